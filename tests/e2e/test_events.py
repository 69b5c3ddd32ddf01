"""Simulated events: binary sensors turn on and event entities fire, on both platforms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from scripts import demo

from .hass import wait_for_state
from .stack import Stack, vigi_channel

pytestmark = pytest.mark.e2e


def test_vigi_motion_turns_the_sensor_on_and_fires_the_event_entity(e2e: Stack) -> None:
    channel = int(str(demo.DEMO_EVENT["channel"]))  # the demo's event: motion on channel 3
    motion = e2e.registry.entity(vigi_channel(channel), "binary_sensor", "motion")
    event = e2e.registry.entity(vigi_channel(channel), "event", "camera_event")

    async def scenario() -> None:
        before = (await demo.state_of(e2e.api, event))["state"]
        assert (await demo.state_of(e2e.api, motion))["state"] == "off"
        await demo.check_event(e2e.api, e2e.demo)  # POST /event, then a motion sensor is on

        def fired(state: Mapping[str, Any]) -> bool:
            return bool(state["state"] != before and state["attributes"]["event_type"] == "motion")

        await wait_for_state(e2e.api, motion, lambda s: s["state"] == "on")
        await wait_for_state(e2e.api, event, fired)

    e2e.run(scenario())


def test_sunmi_face_fires_the_event_entity(e2e: Stack) -> None:
    assert "group 'vip'" in e2e.run(demo.check_face(e2e.api, e2e.demo))


def test_sunmi_motion_turns_the_sensor_on(e2e: Stack) -> None:
    assert " is on" in e2e.run(demo.check_sunmi_motion(e2e.api, e2e.demo))
