"""In chromium: log in, a dashboard of every platform, live camera images, switches, events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from scripts import demo

from .browser import Browser, log_in, screenshot
from .dashboard import ROWS, Platform, create_dashboard, platforms
from .sims import sim_post, sim_state, tums_settings, wait_for_sim
from .stack import Stack

pytestmark = pytest.mark.e2e

UI_TIMEOUT = 15_000  # ms


@dataclass(frozen=True)
class Dashboard:
    """The logged-in page showing the test dashboard."""

    page: Page
    vigi: Platform
    sunmi: Platform
    tums: Platform

    @property
    def platforms(self) -> tuple[Platform, ...]:
        """Every column, left to right."""
        return self.vigi, self.sunmi, self.tums

    def row(self, platform: Platform, kind: str) -> Locator:
        """One row (ROWS kind) of a platform's entities card."""
        card = self.page.locator("hui-entities-card", has_text=platform.card)
        return card.locator("#states > div").nth(ROWS.index(kind))

    def camera_image(self, platform: Platform) -> Locator:
        """The <img> of a platform's camera card (its column holds one picture card)."""
        column = self.page.locator("hui-grid-section", has_text=platform.title)
        return column.locator("hui-picture-entity-card img")


@pytest.fixture(scope="module")
def dashboard(e2e: Stack, browser: Browser) -> Dashboard:
    """Log in as the demo user, then open a new dashboard made over the websocket API."""
    columns = platforms(e2e.registry)
    page = browser.page

    async def open_dashboard() -> None:
        screenshot(await log_in(page, e2e.api.url), "login")
        path = await create_dashboard(e2e.api, columns)
        await page.goto(e2e.api.url + path)
        await page.locator("hui-entities-card").first.wait_for()

    e2e.run(open_dashboard())
    return Dashboard(page, *columns)


def test_camera_images_load(e2e: Stack, dashboard: Dashboard) -> None:
    async def natural_width(platform: Platform) -> int:
        image = await dashboard.camera_image(platform).element_handle(timeout=UI_TIMEOUT)
        loaded = "img => img.complete && img.naturalWidth > 0"
        await dashboard.page.wait_for_function(loaded, arg=image, timeout=UI_TIMEOUT)
        width: int = await image.evaluate("img => img.naturalWidth")
        return width

    for platform in dashboard.platforms:
        if platform.camera is not None:
            assert e2e.run(natural_width(platform)) > 0
        for kind in ROWS:
            row = dashboard.row(platform, kind)
            e2e.run(expect(row).to_contain_text(platform.rows[kind][1], timeout=UI_TIMEOUT))
    screenshot(e2e.run(dashboard.page.screenshot()), "dashboard")


def test_switches_change_the_simulators(e2e: Stack, dashboard: Dashboard) -> None:
    async def toggle(platform: Platform) -> None:
        toggle = dashboard.row(platform, "switch").locator("ha-entity-toggle ha-switch")
        await toggle.click(timeout=UI_TIMEOUT)

    async def scenario() -> None:
        vigi = e2e.vigi_control
        muted = (await sim_state(e2e, vigi))["channels"]["1"]["audio_out"]["mute"]
        await toggle(dashboard.vigi)
        flipped = {"on": "off", "off": "on"}[muted]
        await wait_for_sim(e2e, vigi, lambda s: s["channels"]["1"]["audio_out"]["mute"] == flipped)

        sunmi = demo.FS_CAMERA.control_url
        led = (await sim_state(e2e, sunmi))["led_switch"]
        await toggle(dashboard.sunmi)
        await wait_for_sim(e2e, sunmi, lambda s: s["led_switch"] != led)

        def date_shown(settings: Mapping[str, Any]) -> bool:
            return bool(settings["osd"]["date"]["ifShow"])

        shown = date_shown(await tums_settings(e2e, e2e.demo.tums_device))
        await toggle(dashboard.tums)
        await tums_settings(e2e, e2e.demo.tums_device, lambda s: date_shown(s) != shown)

    e2e.run(scenario())


def test_simulated_events_show_up(e2e: Stack, dashboard: Dashboard) -> None:
    async def scenario() -> None:
        for platform in dashboard.platforms:
            await expect(dashboard.row(platform, "motion")).to_contain_text("Clear")
        await sim_post(e2e, e2e.vigi_control + "/event", {"channel": 1, "type": 1})
        await sim_post(e2e, demo.FS_CAMERA.control_url + "/motion", {"detect_type": 1})
        push = {"kind": "movementDetected", "device_id": e2e.demo.tums_device}
        await sim_post(e2e, demo.TUMS_CONTROL_URL + "/push", push)
        for platform in dashboard.platforms:
            motion, event = dashboard.row(platform, "motion"), dashboard.row(platform, "event")
            await expect(motion).to_contain_text("Detected", timeout=UI_TIMEOUT)
            await expect(event).to_contain_text("Motion", timeout=UI_TIMEOUT)
        screenshot(await dashboard.page.screenshot(), "dashboard-events")

    e2e.run(scenario())


def test_requests_to_other_hosts_are_blocked(e2e: Stack, browser: Browser) -> None:
    url = "http://example.invalid/"  # never resolved: the route aborts it first
    fetch = "url => fetch(url).then(() => 'loaded', () => 'blocked')"
    assert e2e.run(browser.page.evaluate(fetch, url)) == "blocked"
    assert url in browser.blocked
