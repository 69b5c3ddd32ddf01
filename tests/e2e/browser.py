"""Debian's chromium, driven by Playwright, kept to 127.0.0.1; screenshots for CI and the docs.

Never ``playwright install``: the browser is the system's (scripts/e2e-deps installs it).
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.async_api import BrowserContext, Page, Playwright, Route, async_playwright

from scripts.demo import DEMO_PASSWORD, DEMO_USERNAME, HASS_HOST

from .stack import ARTIFACTS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1800, "height": 900}  # three dashboard columns side by side
LOCAL_SCHEMES = ("data", "blob", "about")
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DOCS_COLOURS = 64  # palette PNGs keep the committed copies small


@dataclass
class Browser:
    """One persistent chromium profile with one page; requests leave 127.0.0.1 never."""

    playwright: Playwright
    context: BrowserContext
    page: Page
    blocked: list[str] = field(default_factory=list)

    async def close(self) -> None:
        """Close chromium and Playwright's driver."""
        try:
            await self.context.close()
        finally:
            await self.playwright.stop()


async def open_browser(profile: Path) -> Browser:
    """Launch chromium headless on a fresh profile; other hosts than 127.0.0.1 are aborted."""
    playwright = await async_playwright().start()
    try:
        context = await playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": VIEWPORT["width"], "height": VIEWPORT["height"]},
            locale="en-US",
            timezone_id="Europe/Amsterdam",
            service_workers="block",  # so that every request passes the route below
        )
    except BaseException:
        await playwright.stop()
        raise
    browser = Browser(playwright, context, context.pages[0])

    async def only_loopback(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname == HASS_HOST:
            await route.continue_()
        else:
            browser.blocked.append(route.request.url)
            await route.abort("blockedbyclient")

    await context.route("**/*", only_loopback)
    return browser


async def log_in(page: Page, base_url: str) -> bytes:
    """Home Assistant's own login page, as a person fills it in; a screenshot of the form."""
    await page.goto(base_url + "/")
    await page.get_by_label("Username").fill(DEMO_USERNAME)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    form = await page.screenshot()
    await page.get_by_role("button", name="Log in").click()
    await page.locator("ha-sidebar").wait_for()
    return form


def screenshot(png: bytes, name: str) -> Path:
    """Save under artifacts/e2e; with E2E_UPDATE_DOCS=1 also a small copy in docs/screenshots.

    Only on request, so that an ordinary run leaves the work tree as it was.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    artifact = ARTIFACTS / f"{name}.png"
    artifact.write_bytes(png)
    if os.environ.get("E2E_UPDATE_DOCS") != "1":
        return artifact
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(DOCS_COLOURS)
        small.save(DOCS_SCREENSHOTS / f"{name}.png", optimize=True)
    return artifact


def chromium_missing() -> str | None:
    """Why no browser test can run here, or None."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        return f"{CHROMIUM} is missing; ./scripts/e2e-deps installs Debian's chromium"
    return None
