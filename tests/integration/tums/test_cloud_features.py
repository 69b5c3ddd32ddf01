"""TUMS write-only switches, solar supplies and events read from recordings without push."""

from __future__ import annotations

import logging

import pytest
from homeassistant.const import (
    ATTR_ASSUMED_STATE,
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_restore_cache

from custom_components.business_cameras.const import DOMAIN
from simulators.tums import TumsSimulator
from tests.integration.logs import assert_no_traceback

from ..conftest import setup_entry
from .conftest import AK, IPC2, NVR0


def entity(hass: HomeAssistant, platform: str, suffix: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{AK}_{suffix}")
    assert found is not None, suffix
    return found


def current(hass: HomeAssistant, entity_id: str) -> State:
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found


async def enable(hass: HomeAssistant, entry: MockConfigEntry, *entity_ids: str) -> None:
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        registry.async_update_entity(entity_id, disabled_by=None)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    service = SERVICE_TURN_ON if on else SERVICE_TURN_OFF
    await hass.services.async_call("switch", service, {ATTR_ENTITY_ID: entity_id}, blocking=True)


async def test_write_only_switches_are_optimistic_and_reach_the_cloud(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    motion = entity(hass, "switch", f"{IPC2}_motion_detection")
    alarm_in = entity(hass, "switch", f"{IPC2}_alarm_input")
    alarm_out = entity(hass, "switch", f"{IPC2}_alarm_output")
    tamper = entity(hass, "switch", f"{IPC2}_tamper_detection")
    registry = er.async_get(hass)
    for disabled in (alarm_in, alarm_out, tamper):
        assert registry.async_get(disabled).disabled_by is er.RegistryEntryDisabler.INTEGRATION  # type: ignore[union-attr]
    # The cloud cannot tell: unknown until Home Assistant sets it, and marked as assumed.
    assert current(hass, motion).state == STATE_UNKNOWN
    assert current(hass, motion).attributes[ATTR_ASSUMED_STATE] is True

    await switch(hass, motion, False)
    assert current(hass, motion).state == STATE_OFF
    assert tums_sim.alarm_switches(IPC2)["detection"]["2"] is False
    await switch(hass, motion, True)
    assert current(hass, motion).state == STATE_ON
    assert tums_sim.alarm_switches(IPC2)["detection"]["2"] is True

    await enable(hass, tums_entry, alarm_in, alarm_out, tamper)
    assert current(hass, motion).state == STATE_ON  # kept across the reload
    await switch(hass, alarm_in, True)
    await switch(hass, alarm_out, True)
    await switch(hass, tamper, True)
    found = tums_sim.alarm_switches(IPC2)
    assert (found["alarmInput"], found["alarmOutput"]) == ("on", "on")
    assert found["detection"]["3"] is True
    await switch(hass, alarm_out, False)
    assert tums_sim.alarm_switches(IPC2)["alarmOutput"] == "off"
    assert current(hass, alarm_out).state == STATE_OFF


async def test_write_only_switch_restores_the_last_value(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    entity_id = "switch.ipc_2_motion_detection"
    mock_restore_cache(hass, [State(entity_id, STATE_OFF)])
    await setup_entry(hass, tums_entry)
    assert entity(hass, "switch", f"{IPC2}_motion_detection") == entity_id
    assert current(hass, entity_id).state == STATE_OFF


async def test_channel_cameras_without_alarm_ports_get_no_alarm_switches(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    registry = er.async_get(hass)
    for key in ("alarm_input", "alarm_output"):
        unique_id = f"{AK}_{NVR0}:ch1_{key}"
        assert registry.async_get_entity_id("switch", DOMAIN, unique_id) is None
    assert entity(hass, "switch", f"{NVR0}:ch1_motion_detection")


async def test_a_refused_write_is_an_error_and_keeps_the_assumed_state(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    motion = entity(hass, "switch", f"{IPC2}_motion_detection")
    await switch(hass, motion, True)
    tums_sim.set_licensed(IPC2, False)
    with pytest.raises(HomeAssistantError):
        await switch(hass, motion, False)
    assert current(hass, motion).state == STATE_ON


@pytest.mark.parametrize("tums_options", [{"solar": 1}])
async def test_solar_supply_sensors(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    solar = tums_sim.state.devices[-1]
    assert solar.device_type == "VIDEO.SOLARPOWER"
    tums_sim.set_solar(
        solar.qr_code,
        status="1",
        battery=53.32,
        env_temp=23,
        input_watt=12.5,
        output_watt=4.25,
        drift=False,
    )
    await setup_entry(hass, tums_entry)
    key = solar.qr_code
    assert current(hass, entity(hass, "sensor", f"{key}_solar_status")).state == "charging"
    battery = current(hass, entity(hass, "sensor", f"{key}_solar_battery"))
    assert float(battery.state) == pytest.approx(53.32)
    assert battery.attributes["unit_of_measurement"] == "%"
    temperature = entity(hass, "sensor", f"{key}_solar_temperature")
    assert float(current(hass, temperature).state) == 23
    assert float(current(hass, entity(hass, "sensor", f"{key}_solar_input_power")).state) == 12.5
    output = current(hass, entity(hass, "sensor", f"{key}_solar_output_power"))
    assert float(output.state) == 4.25
    # A supply has no camera entities.
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("switch", DOMAIN, f"{AK}_{key}_motion_detection") is None

    tums_sim.set_solar(solar.qr_code, status="6", drift=False)
    await tums_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    status = current(hass, entity(hass, "sensor", f"{key}_solar_status"))
    assert status.state == "high_temperature_no_charge"


async def test_events_are_read_from_recordings_without_push(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await setup_entry(hass, tums_entry)
    coordinator = tums_entry.runtime_data.coordinator
    await coordinator.async_refresh()  # the first read only marks what is history
    await hass.async_block_till_done()
    motion = entity(hass, "binary_sensor", f"{IPC2}_motion")
    events = entity(hass, "event", f"{IPC2}_camera_event")
    channel_motion = entity(hass, "binary_sensor", f"{NVR0}:ch1_motion")
    assert current(hass, motion).state == STATE_OFF
    assert current(hass, events).state == STATE_UNKNOWN

    # No push subscription: the message is not delivered, but the camera records it.
    assert await tums_sim.push_message("movementDetected", IPC2) == 0
    channel = tums_sim.state.find(NVR0)
    assert channel is not None
    assert await tums_sim.push_message("movementDetected", channel.channels[1].qr_code) == 0
    searches = tums_sim.requests["/vms/open/webServer/v2/searchVideo"]
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert tums_sim.requests["/vms/open/webServer/v2/searchVideo"] > searches
    assert current(hass, motion).state == STATE_ON
    assert current(hass, channel_motion).state == STATE_ON
    fired = current(hass, events)
    assert fired.attributes["event_type"] == "motion"
    assert fired.attributes["vendor_type"] == "recording"
    assert fired.attributes["kinds"] == ["motion"]

    # Read again: nothing new, nothing fired twice.
    before = fired.state
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert current(hass, events).state == before
    assert_no_traceback(caplog)


@pytest.mark.parametrize("tums_options", [{"solar": 2}])
async def test_solar_loads_restart_one_by_one(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    single, multi = tums_sim.state.devices[-2:]
    await setup_entry(hass, tums_entry)
    registry = er.async_get(hass)
    unique = f"{AK}_{single.qr_code}_restart_solar_load"
    entries = er.async_entries_for_config_entry(registry, tums_entry.entry_id)
    assert not [e for e in entries if e.unique_id.startswith(unique)]
    buttons = [
        entity(hass, "button", f"{multi.qr_code}_restart_solar_load_{load}") for load in (1, 2, 3)
    ]
    for button in buttons:
        found = registry.async_get(button)
        assert found is not None
        assert found.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    await enable(hass, tums_entry, buttons[1])
    resets = tums_sim.requests["/evcs/open/chargingDeviceManager/v1/solarLoadReset"]
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: buttons[1]}, blocking=True)
    assert tums_sim.requests["/evcs/open/chargingDeviceManager/v1/solarLoadReset"] == resets + 1
    # The supply refuses while discharging is prohibited (status 5): a translated error.
    tums_sim.set_solar(multi.qr_code, status="5", drift=False)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: buttons[1]}, blocking=True
        )


async def test_recordings_are_read_only_for_cameras_with_enabled_event_entities(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    search = "/vms/open/webServer/v2/searchVideo"
    await setup_entry(hass, tums_entry)
    coordinator = tums_entry.runtime_data.coordinator

    async def searches_per_poll() -> int:
        before = tums_sim.requests[search]
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        return tums_sim.requests[search] - before

    everyone = await searches_per_poll()
    assert everyone == 9  # IPC 1..5 and the NVR's four channels
    registry = er.async_get(hass)
    ipc2_events = [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, tums_entry.entry_id)
        if e.unique_id.startswith(f"{AK}_{IPC2}_") and e.domain in ("binary_sensor", "event")
    ]
    assert ipc2_events
    for entity_id in ipc2_events:
        registry.async_update_entity(entity_id, disabled_by=er.RegistryEntryDisabler.USER)
    await hass.config_entries.async_reload(tums_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = tums_entry.runtime_data.coordinator
    assert await searches_per_poll() == everyone - 1
