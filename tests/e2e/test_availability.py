"""An NVR outage: its entities turn unavailable, then recover by themselves (no reload)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from scripts.demo import VIGI_TITLE, domain_entries, entry_titled

from .hass import wait_for_state
from .sims import sim_post, wait_for_sim
from .stack import VIGI_HUB, Stack, vigi_channel

pytestmark = pytest.mark.e2e

OUTAGE = 3  # seconds the simulator refuses connections, then it is back with every token void


def unavailable(state: Mapping[str, Any]) -> bool:
    return bool(state["state"] == "unavailable")


def available(state: Mapping[str, Any]) -> bool:
    return not unavailable(state)


def test_vigi_outage_and_recovery(e2e: Stack) -> None:
    disk = e2e.registry.entity(VIGI_HUB, "sensor", "disk_status")
    motion = e2e.registry.entity(vigi_channel(5), "binary_sensor", "motion")

    async def refresh() -> None:
        # The integration polls once a minute; ask for the poll now, as the UI's update does.
        await e2e.api.call("POST", "/api/services/homeassistant/update_entity", {"entity_id": disk})

    async def scenario() -> None:
        await sim_post(e2e, e2e.vigi_control + "/down", {"seconds": OUTAGE})
        await wait_for_state(e2e.api, disk, unavailable, 30, poke=refresh)
        assert (await e2e.api.call("GET", f"/api/states/{motion}"))["state"] == "unavailable"

        await wait_for_sim(e2e, e2e.vigi_control, lambda s: bool(s["up"]), OUTAGE + 10)
        await wait_for_state(e2e.api, disk, available, 40, poke=refresh)
        await wait_for_state(e2e.api, motion, lambda s: s["state"] == "off")
        entry = entry_titled(await domain_entries(e2e.api), VIGI_TITLE)
        assert entry is not None
        assert entry["state"] == "loaded"

        # The NVR still pushes its events to Home Assistant.
        await sim_post(e2e, e2e.vigi_control + "/event", {"channel": 5, "type": 1})
        await wait_for_state(e2e.api, motion, lambda s: s["state"] == "on")

    e2e.run(scenario(), timeout=120)
