"""The entities the flows created, with states that match the simulators."""

from __future__ import annotations

from typing import Any

import pytest

from scripts import demo
from scripts.demo import current_states

from .sims import sim_state
from .stack import SUNMI_SS, VIGI_HUB, Stack, vigi_channel

pytestmark = pytest.mark.e2e

VIGI_CHANNEL = vigi_channel(6)  # no other e2e test touches channel 6
STREAM_FEATURE = 2  # CameraEntityFeature.STREAM
CARD_STATUSES = {0: "miss", 1: "unformatted", 2: "normal"}  # the SUNMI OpenAPI's codes


def test_every_enabled_entity_has_a_state(e2e: Stack) -> None:
    entries = set(e2e.demo.entries.values())
    wanted = {
        e["entity_id"]
        for e in e2e.registry.entities
        if e["config_entry_id"] in entries and e["disabled_by"] is None
    }
    states = e2e.run(current_states(e2e.api, wanted))
    assert set(states) == wanted
    assert [e for e, s in states.items() if s == "unavailable"] == []
    assert len(wanted) > 100  # 16 channels, the hub and two cameras


def test_vigi_entities_match_the_nvr(e2e: Stack) -> None:
    entity = e2e.registry.entity

    async def scenario() -> tuple[dict[str, Any], list[str]]:
        sim = await sim_state(e2e, e2e.vigi_control)
        camera = await e2e.api.call("GET", f"/api/states/{entity(VIGI_CHANNEL, 'camera')}")
        wanted = [
            entity(VIGI_CHANNEL, "binary_sensor", "motion"),
            entity(VIGI_CHANNEL, "binary_sensor", "online"),
            entity(VIGI_CHANNEL, "switch", "speaker_mute"),
            entity(VIGI_CHANNEL, "sensor", "main_resolution"),
            entity(VIGI_CHANNEL, "event", "camera_event"),
            entity(VIGI_HUB, "sensor", "disk_status"),
            entity(VIGI_HUB, "sensor", "event_path"),
        ]
        states = await current_states(e2e.api, wanted)
        return {"sim": sim, "camera": camera}, [states[w] for w in wanted]

    found, states = e2e.run(scenario())
    channel = found["sim"]["channels"]["6"]
    assert found["camera"]["state"] == "idle"
    assert found["camera"]["attributes"]["supported_features"] & STREAM_FEATURE
    assert states == [
        "off",
        "on",
        channel["audio_out"]["mute"],
        channel["main"]["resolution"],
        "unknown",  # no event yet
        found["sim"]["disks"][0]["status"],
        "webhook",  # the NVR pushes to Home Assistant's webhook
    ]


def test_sunmi_entities_match_the_camera(e2e: Stack) -> None:
    entity = e2e.registry.entity

    async def scenario() -> tuple[dict[str, Any], list[str]]:
        sim = await sim_state(e2e, demo.SS_CAMERA.control_url)
        wanted = [
            entity(SUNMI_SS, "camera"),
            entity(SUNMI_SS, "switch", "status_led"),
            entity(SUNMI_SS, "sensor", "memory_card_status"),
            entity(SUNMI_SS, "sensor", "event_path"),
        ]
        states = await current_states(e2e.api, wanted)
        return sim, [states[w] for w in wanted]

    sim, states = e2e.run(scenario())
    assert states == [
        "idle",
        "on" if sim["led_switch"] else "off",
        CARD_STATUSES[sim["sd_card_status"]],
        "channel",
    ]
