"""The simulators' plain-HTTP control APIs, as the tests use them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from scripts import demo
from scripts.demo import control

from .stack import Stack


async def sim_state(e2e: Stack, control_url: str) -> dict[str, Any]:
    """A simulator's GET /state."""
    async with e2e.session.get(control_url + "/state") as resp:
        assert resp.status == 200, await resp.text()
        state: dict[str, Any] = await resp.json()
    return state


async def sim_post(e2e: Stack, url: str, body: Any = None) -> str:
    """POST to a control API (scripts.demo's control); its answer."""
    return await control(e2e.session, url, body)


async def wait_for_sim(
    e2e: Stack,
    control_url: str,
    done: Callable[[Mapping[str, Any]], bool],
    within: float = 15.0,
) -> dict[str, Any]:
    """Poll a simulator's state until done(state); AssertionError with it after `within` s."""
    return await _poll(lambda: sim_state(e2e, control_url), done, within, f"{control_url}/state")


async def _poll(
    read: Callable[[], Awaitable[dict[str, Any]]],
    done: Callable[[Mapping[str, Any]], bool],
    within: float,
    what: str,
) -> dict[str, Any]:
    """read() until done(answer); AssertionError naming ``what`` after `within` s."""
    deadline = time.monotonic() + within
    while True:
        answer = await read()
        if done(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not as expected after {within:.0f} s")
        await asyncio.sleep(0.2)


async def tums_settings(
    e2e: Stack,
    device_id: str,
    done: Callable[[Mapping[str, Any]], bool] = lambda _: True,
    within: float = 15.0,
) -> dict[str, Any]:
    """A TUMS device's settings as the simulator holds them, once done(settings)."""

    async def read() -> dict[str, Any]:
        url = f"{demo.TUMS_CONTROL_URL}/settings"
        async with e2e.session.get(url, params={"device_id": device_id}) as resp:
            assert resp.status == 200, await resp.text()
            settings: dict[str, Any] = await resp.json()
        return settings

    return await _poll(read, done, within, f"{device_id}: TUMS settings")
