"""SUNMI entities and push against the simulators: what exists, what writes reach the camera."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.business_cameras.const import DOMAIN
from simulators.sunmi import SunmiSimulator
from tests.integration.devices import device_by_identifier
from tests.integration.logs import assert_no_traceback

from ..conftest import setup_entry
from .conftest import FS_SN, SS_SN, sunmi_entry_data


def eid(hass: HomeAssistant, platform: str, sn: str, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{sn}_camera_{key}")
    assert found is not None, key
    return found


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_fs_camera_entities(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    device = device_by_identifier(hass, (DOMAIN, f"{FS_SN}_camera"))
    assert device is not None
    assert device.manufacturer == "SUNMI"
    assert device.serial_number == FS_SN
    for platform, key in (
        ("switch", "status_led"),
        ("switch", "motion_detection"),
        ("number", "face_optimize_seconds"),
        ("select", "ir_mode"),
        ("select", "rotation"),
        ("number", "zoom"),
        ("number", "focus"),
        ("button", "auto_focus"),
        ("button", "reset_zoom_focus"),
        ("sensor", "memory_card_status"),
        ("sensor", "memory_card_free"),
        ("sensor", "people_entered"),
        ("sensor", "people_exited"),
        ("sensor", "people_passed"),
        ("sensor", "firmware"),
        ("sensor", "event_path"),
        ("binary_sensor", "motion"),
        ("event", "camera_event"),
        ("camera", "camera"),
    ):
        eid(hass, platform, FS_SN, key)
    rotation = hass.states.get(eid(hass, "select", FS_SN, "rotation"))
    assert rotation is not None
    assert rotation.attributes["options"] == ["0", "180"]
    await wait_for(lambda: state_of(hass, eid(hass, "sensor", FS_SN, "event_path")) == "channel")
    reboot = er.async_get(hass).async_get(eid(hass, "button", FS_SN, "reboot"))
    assert reboot is not None
    assert reboot.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_ss_camera_has_no_face_or_lens_entities(
    hass: HomeAssistant, ss_sim: SunmiSimulator
) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id=SS_SN, data=sunmi_entry_data(ss_sim, "SS"))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    registry = er.async_get(hass)
    for platform, key in (
        ("number", "face_optimize_seconds"),
        ("number", "zoom"),
        ("sensor", "people_entered"),
    ):
        assert registry.async_get_entity_id(platform, DOMAIN, f"{SS_SN}_camera_{key}") is None
    rotation = hass.states.get(eid(hass, "select", SS_SN, "rotation"))
    assert rotation is not None
    assert rotation.attributes["options"] == ["0", "90", "180", "270"]
    await hass.config_entries.async_unload(entry.entry_id)


async def test_writes_reach_the_camera(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    led = eid(hass, "switch", FS_SN, "status_led")
    target = STATE_OFF if state_of(hass, led) == STATE_ON else STATE_ON
    await hass.services.async_call("switch", f"turn_{target}", {"entity_id": led}, blocking=True)
    await hass.async_block_till_done()
    assert state_of(hass, led) == target
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": eid(hass, "select", FS_SN, "rotation"), "option": "180"},
        blocking=True,
    )
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": eid(hass, "number", FS_SN, "zoom"), "value": 120},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert state_of(hass, eid(hass, "select", FS_SN, "rotation")) == "180"
    assert float(state_of(hass, eid(hass, "number", FS_SN, "zoom"))) == 120
    await hass.services.async_call(
        "button", "press", {"entity_id": eid(hass, "button", FS_SN, "auto_focus")}, blocking=True
    )
    assert any("autoFocus" in path for path in fs_sim.requests)


async def test_format_sd_card_needs_confirmation(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    device = device_by_identifier(hass, (DOMAIN, f"{FS_SN}_camera"))
    assert device is not None
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "format_sd_card", {"device_id": device.id}, blocking=True
        )
    assert not any("formatMemoryCard" in path for path in fs_sim.requests)
    await hass.services.async_call(
        DOMAIN, "format_sd_card", {"device_id": device.id, "confirm": True}, blocking=True
    )
    assert any("formatMemoryCard" in path for path in fs_sim.requests)
    await hass.async_block_till_done()
    card = eid(hass, "sensor", FS_SN, "memory_card_status")
    await fs_entry.runtime_data.coordinator.async_refresh()
    assert state_of(hass, card) in ("formatting", "normal")


async def test_channel_push_motion_and_face(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    motion = eid(hass, "binary_sensor", FS_SN, "motion")
    event = eid(hass, "event", FS_SN, "camera_event")
    image = eid(hass, "image", FS_SN, "last_event_image")
    await wait_for(lambda: state_of(hass, eid(hass, "sensor", FS_SN, "event_path")) == "channel")
    assert state_of(hass, motion) == STATE_OFF
    assert await fs_sim.publish_motion(detect_type=1) >= 1
    await wait_for(lambda: state_of(hass, motion) == STATE_ON)
    assert (
        await fs_sim.publish_face(
            faceid="358526", group_name="vip", age_range=5, gender=2, pic=True
        )
        >= 1
    )
    await wait_for(lambda: hass.states.get(event).attributes.get("event_type") == "face")  # type: ignore[union-attr]
    attributes = hass.states.get(event).attributes  # type: ignore[union-attr]
    assert attributes["group"] == "vip"
    assert attributes["gender"] == "female"
    assert attributes["age_range"] == 5
    await wait_for(lambda: state_of(hass, image) != STATE_UNKNOWN)


@pytest.mark.parametrize("kind", ["bad_crc", "bad_flag", "truncated", "bad_json", "wrong_shape"])
async def test_corrupt_frames_are_dropped_and_the_channel_survives(
    hass: HomeAssistant,
    fs_sim: SunmiSimulator,
    fs_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    await setup_entry(hass, fs_entry)
    motion = eid(hass, "binary_sensor", FS_SN, "motion")
    await wait_for(lambda: state_of(hass, eid(hass, "sensor", FS_SN, "event_path")) == "channel")
    with caplog.at_level(logging.DEBUG):
        fs_sim.send_corrupt(kind)
        # The corrupt frame may cost one event (a truncated frame ends the connection); the
        # channel must carry the next ones, reconnecting by itself where it has to.
        async with asyncio.timeout(20):
            while state_of(hass, motion) != STATE_ON:
                await fs_sim.publish_motion(detect_type=1)
                await asyncio.sleep(0.5)
    assert_no_traceback(caplog)
    assert entry_has_no_reauth(hass)


def entry_has_no_reauth(hass: HomeAssistant) -> bool:
    return not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_channel_reconnects_after_a_drop(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    path = eid(hass, "sensor", FS_SN, "event_path")
    await wait_for(lambda: state_of(hass, path) == "channel")
    fs_sim.drop_channel()
    await wait_for(lambda: state_of(hass, path) == "poll")
    await wait_for(lambda: state_of(hass, path) == "channel", timeout=20)
    motion = eid(hass, "binary_sensor", FS_SN, "motion")
    await fs_sim.publish_motion(detect_type=1)
    await wait_for(lambda: state_of(hass, motion) == STATE_ON)


async def test_http_callback_push(
    hass: HomeAssistant,
    routes_ready: None,
    fs_sim: SunmiSimulator,
    fs_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    client = await hass_client_no_auth()
    await hass.config.async_update(internal_url=f"http://127.0.0.1:{client.port}")
    hass.config_entries.async_update_entry(fs_entry, options={"push_method": "webhook"})
    await setup_entry(hass, fs_entry)
    path = eid(hass, "sensor", FS_SN, "event_path")
    assert state_of(hass, path) == "webhook"
    assert any("hook/add" in p for p in fs_sim.requests)
    motion = eid(hass, "binary_sensor", FS_SN, "motion")
    assert await fs_sim.publish_motion(detect_type=0) >= 1
    await wait_for(lambda: state_of(hass, motion) == STATE_ON)
    await hass.config_entries.async_unload(fs_entry.entry_id)
    assert any("hook/delete" in p for p in fs_sim.requests)


async def test_changed_secret_starts_reauth(
    hass: HomeAssistant, fs_sim: SunmiSimulator, fs_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, fs_entry)
    fs_sim.secret_key = "rotated-secret"
    await fs_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
