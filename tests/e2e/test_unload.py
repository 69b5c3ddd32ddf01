"""Unloading the NVR's entry removes Home Assistant from the NVR's event servers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from scripts import demo
from scripts.demo import VIGI_TITLE, wait_for_entries

from .hass import ws
from .sims import sim_state, wait_for_sim
from .stack import Stack

pytestmark = pytest.mark.e2e


def registered(state: Mapping[str, Any]) -> bool:
    return bool(state["event_servers"])


def test_unload_removes_the_event_server_and_setup_restores_it(e2e: Stack) -> None:
    entry_id = e2e.demo.entries[VIGI_TITLE]
    disable = {"type": "config_entries/disable", "entry_id": entry_id}

    async def scenario() -> None:
        servers = (await sim_state(e2e, e2e.vigi_control))["event_servers"]
        assert [s["ip_or_domain"] for s in servers] == [demo.HASS_HOST]
        assert servers[0]["port"] == e2e.api.port

        # Disabling the entry (Settings > Devices & services > ... > Disable) unloads it.
        assert await ws(e2e.api, {**disable, "disabled_by": "user"}) == {"require_restart": False}
        await wait_for_sim(e2e, e2e.vigi_control, lambda s: not registered(s))

        # Enabled again, it sets up and registers once more, for the tests after this one.
        await ws(e2e.api, {**disable, "disabled_by": None})
        await wait_for_entries(e2e.api, [VIGI_TITLE])
        await wait_for_sim(e2e, e2e.vigi_control, registered)
        await demo.wait_for_motion_sensors(e2e.api, e2e.demo.motion)

    e2e.run(scenario(), timeout=120)
