"""TUMS entities, services and repairs against the simulated cloud."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from homeassistant.components.button.const import SERVICE_PRESS
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.components.update import SERVICE_INSTALL
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    MAJOR_VERSION,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.entity import device_identifier
from simulators.tums import TumsSimulator
from tests.integration.devices import device_by_identifier
from tests.integration.logs import assert_no_traceback

from ..conftest import setup_entry
from .conftest import AK, IPC1, IPC2, NVR0


def entity_id(hass: HomeAssistant, platform: str, suffix: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{AK}_{suffix}")
    assert found is not None, suffix
    return found


def state(hass: HomeAssistant, platform: str, suffix: str) -> str:
    current = hass.states.get(entity_id(hass, platform, suffix))
    assert current is not None, suffix
    return current.state


def registry_device(hass: HomeAssistant, key: str) -> dr.DeviceEntry:
    found = device_by_identifier(hass, device_identifier(AK, key))
    assert found is not None, key
    return found


async def refresh(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()


async def test_devices_channels_and_shared_mac(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    nvr = registry_device(hass, NVR0)
    channel = registry_device(hass, f"{NVR0}:ch2")
    assert channel.via_device_id == nvr.id
    assert channel.model == "VIGI C340"
    mac = tums_sim.state.find(NVR0).mac  # type: ignore[union-attr]
    assert (CONNECTION_NETWORK_MAC, mac.replace("-", ":").lower()) in nvr.connections
    ipc = registry_device(hass, IPC1)
    assert ipc.serial_number == IPC1
    assert ipc.manufacturer == "TP-Link"


async def test_same_mac_as_a_local_vigi_device_is_one_device(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    """A device known by its MAC from another entry (local VIGI) is merged, not duplicated."""
    if MAJOR_VERSION >= 2026:
        pytest.skip(
            "Home Assistant 2026 gives each config entry devices of its own: a shared MAC no "
            "longer merges a cloud device with its local VIGI twin"
        )
    local = MockConfigEntry(domain=DOMAIN, title="VIGI NVR local", data={"platform": "vigi"})
    local.add_to_hass(hass)
    mac = tums_sim.state.find(NVR0).mac.replace("-", ":").lower()  # type: ignore[union-attr]
    registry = dr.async_get(hass)
    existing = registry.async_get_or_create(
        config_entry_id=local.entry_id,
        identifiers={(DOMAIN, "local-nvr")},
        connections={(CONNECTION_NETWORK_MAC, mac)},
        name="NVR via VIGI",
    )
    await setup_entry(hass, tums_entry)
    nvr = registry_device(hass, NVR0)
    assert nvr.id == existing.id
    assert {local.entry_id, tums_entry.entry_id} <= nvr.config_entries


@pytest.mark.parametrize("tums_options", [{"app_type": "project", "devices": 6}])
async def test_project_app_areas_and_people_flow(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    area_names = {r.name for r in tums_sim.state.regions.values()}
    device = registry_device(hass, IPC1)
    assert device.area_id is not None
    areas = {area.name for area in ar.async_get(hass).async_list_areas()}
    assert areas & area_names
    # IPC 1 counts people (every 4th from 1 in the simulator).
    for key in ("people_entered", "people_exited", "people_passed"):
        value = state(hass, "sensor", f"{IPC1}_{key}")
        assert value != STATE_UNAVAILABLE
        assert int(value) >= 0


async def test_device_app_has_no_people_flow(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{AK}_{IPC1}_people_entered") is None


async def test_sensors(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    assert state(hass, "binary_sensor", f"{NVR0}_online") == STATE_ON
    assert state(hass, "binary_sensor", f"{NVR0}:ch1_online") == STATE_ON
    assert state(hass, "sensor", f"{IPC1}_memory_card_status") == "normal"
    assert float(state(hass, "sensor", f"{IPC1}_memory_card_total")) == pytest.approx(119.1)
    assert float(state(hass, "sensor", f"{IPC1}_memory_card_free")) == pytest.approx(60.5)
    assert state(hass, "sensor", f"{IPC1}_firmware").startswith("1.0.3")
    tums_sim.set_online(IPC2, False)
    await refresh(hass, tums_entry)
    assert state(hass, "binary_sensor", f"{IPC2}_online") == STATE_OFF
    assert state(hass, "sensor", f"{IPC2}_memory_card_status") == STATE_UNAVAILABLE
    tums_sim.set_online(NVR0, False)
    await refresh(hass, tums_entry)
    assert state(hass, "binary_sensor", f"{NVR0}:ch1_online") == STATE_OFF


async def test_buttons_reach_the_cloud(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    ipc1 = tums_sim.state.find(IPC1)
    assert ipc1 is not None
    await hass.services.async_call(
        "button",
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id(hass, "button", f"{IPC1}_ptz_reset")},
        blocking=True,
    )
    assert ipc1.ptz_resets == 1
    await hass.services.async_call(
        "button",
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id(hass, "button", f"{IPC1}_manual_alarm")},
        blocking=True,
    )
    assert ipc1.alarm_on
    before = tums_sim.requests["/vms/open/deviceConfig/v1/manualTiming"]
    await hass.services.async_call(
        "button",
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id(hass, "button", f"{IPC1}_sync_clock")},
        blocking=True,
    )
    assert tums_sim.requests["/vms/open/deviceConfig/v1/manualTiming"] == before + 1
    # PTZ reset only where getPtzDeviceResetSupport says so; reboot is disabled by default.
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("button", DOMAIN, f"{AK}_{IPC2}_ptz_reset") is None
    reboot = registry.async_get(entity_id(hass, "button", f"{NVR0}_reboot"))
    assert reboot is not None
    assert reboot.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_switches_and_selects_write_and_read_back(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    ipc1 = tums_sim.state.find(IPC1)
    channel1 = tums_sim.state.find(f"{NVR0}")
    assert ipc1 is not None
    assert channel1 is not None
    loop = entity_id(hass, "switch", f"{IPC1}_loop_recording")
    assert hass.states.get(loop).state == STATE_ON  # type: ignore[union-attr]
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: loop}, blocking=True
    )
    assert ipc1.if_loop is False
    assert hass.states.get(loop).state == STATE_OFF  # type: ignore[union-attr]
    push = entity_id(hass, "switch", f"{NVR0}:ch2_channel_push")
    assert hass.states.get(push).state == STATE_OFF  # type: ignore[union-attr]  # even channels off
    await hass.services.async_call("switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: push}, blocking=True)
    assert channel1.channels[2].push_enabled
    assert hass.states.get(push).state == STATE_ON  # type: ignore[union-attr]
    date = entity_id(hass, "switch", f"{IPC1}_osd_date")
    await hass.services.async_call(
        "switch", SERVICE_TURN_OFF, {ATTR_ENTITY_ID: date}, blocking=True
    )
    assert ipc1.settings["osd"]["date"]["ifShow"] is False
    night = entity_id(hass, "select", f"{IPC1}_ir_mode")
    options = hass.states.get(night).attributes["options"]  # type: ignore[union-attr]
    assert "inf_night_vision" in options
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: night, ATTR_OPTION: "inf_night_vision"},
        blocking=True,
    )
    assert ipc1.settings["image"]["nightVisionMode"] == "inf_night_vision"
    assert hass.states.get(night).state == "inf_night_vision"  # type: ignore[union-attr]
    resolution = entity_id(hass, "select", f"{IPC1}_main_resolution")
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: resolution, ATTR_OPTION: "1280*720"},
        blocking=True,
    )
    assert ipc1.settings["streams"][0]["resolution"] == "1280*720"
    timing = entity_id(hass, "select", f"{IPC1}_timing_mode")
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: timing, ATTR_OPTION: "manual"},
        blocking=True,
    )
    assert ipc1.timing_mode == "manual"


async def test_scheduled_reboot_switch(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    registry.async_get_or_create(
        "switch", DOMAIN, f"{AK}_{IPC1}_scheduled_reboot", config_entry=tums_entry
    )  # pre-registered enabled (it is disabled by default)
    await setup_entry(hass, tums_entry)
    ipc1 = tums_sim.state.find(IPC1)
    assert ipc1 is not None
    switch = entity_id(hass, "switch", f"{IPC1}_scheduled_reboot")
    assert hass.states.get(switch).state == STATE_OFF  # type: ignore[union-attr]
    await hass.services.async_call(
        "switch", SERVICE_TURN_ON, {ATTR_ENTITY_ID: switch}, blocking=True
    )
    assert ipc1.timing_reboot["ifOpen"] is True
    assert ipc1.timing_reboot["time"] == "03:00:00"


async def test_firmware_update(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    tums_sim.state.upgrade_seconds = 0.5
    await setup_entry(hass, tums_entry)
    update = entity_id(hass, "update", f"{NVR0}_firmware_update")
    current = hass.states.get(update)
    assert current is not None
    assert current.state == STATE_ON
    assert current.attributes["latest_version"].startswith("1.1.0")
    assert current.attributes["installed_version"].startswith("1.0.3")
    assert state(hass, "update", f"{IPC2}_firmware_update") == STATE_OFF
    await hass.services.async_call(
        "update", SERVICE_INSTALL, {ATTR_ENTITY_ID: update}, blocking=True
    )
    nvr = tums_sim.state.find(NVR0)
    assert nvr is not None
    assert nvr.upgrade_started is not None
    assert hass.states.get(update).attributes["in_progress"] is True  # type: ignore[union-attr]


async def test_services_route_to_the_cloud(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    ipc1 = tums_sim.state.find(IPC1)
    assert ipc1 is not None
    ipc_id = registry_device(hass, IPC1).id
    channel_id = registry_device(hass, f"{NVR0}:ch1").id
    await hass.services.async_call(DOMAIN, "ptz_reset", {"device_id": ipc_id}, blocking=True)
    assert ipc1.ptz_resets == 1
    await hass.services.async_call(DOMAIN, "trigger_alarm", {"device_id": ipc_id}, blocking=True)
    assert ipc1.alarm_on
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "format_sd_card", {"device_id": ipc_id}, blocking=True
        )
    assert err.value.translation_key == "confirm_required"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "format_sd_card", {"device_id": channel_id}, blocking=True
        )
    assert err.value.translation_key == "confirm_required_nvr_disk"
    assert err.value.translation_placeholders == {"devices": "NVR 0 channel 1"}
    ipc1.cards[0]["freeSpace"] = "1.0G"
    await hass.services.async_call(
        DOMAIN, "format_sd_card", {"device_id": ipc_id, "confirm": True}, blocking=True
    )
    assert ipc1.cards[0]["freeSpace"] == ipc1.cards[0]["totalSpace"]
    nvr = tums_sim.state.find(NVR0)
    assert nvr is not None
    nvr.cards[0]["freeSpace"] = "2.0G"
    await hass.services.async_call(
        DOMAIN, "format_sd_card", {"device_id": channel_id, "confirm": True}, blocking=True
    )
    assert nvr.cards[0]["freeSpace"] == nvr.cards[0]["totalSpace"]
    # IPC 2 has no PTZ: a translated validation error, not a traceback.
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "ptz_reset", {"device_id": registry_device(hass, IPC2).id}, blocking=True
        )


async def test_unlicensed_device_raises_a_repair_issue(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    issues = ir.async_get(hass)
    issue_id = f"device_not_licensed_{tums_entry.entry_id}_{IPC2}"
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    tums_sim.set_licensed(IPC2, False)
    await refresh(hass, tums_entry)
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["device"] == "IPC 2"
    tums_sim.set_licensed(IPC2, True)
    await refresh(hass, tums_entry)
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_clock_skew_is_a_repair_issue_not_a_reauth(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    tums_sim.set_clock_skew(-1200)
    await refresh(hass, tums_entry)
    issue_id = f"clock_skew_{tums_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert not [
        f
        for f in hass.config_entries.flow.async_progress()
        if f["context"].get("source") == SOURCE_REAUTH
    ]
    assert state(hass, "sensor", f"{IPC1}_firmware") == STATE_UNAVAILABLE
    tums_sim.set_clock_skew(0)
    await refresh(hass, tums_entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_rejected_keys_start_reauth(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, tums_entry)
    tums_sim.secret_key = "rotated-in-the-console"
    await refresh(hass, tums_entry)
    flows = hass.config_entries.flow.async_progress()
    assert any(f["context"].get("source") == SOURCE_REAUTH for f in flows)


@pytest.mark.parametrize("fault", ["malformed_json", "http500"])
async def test_bad_answers_make_entities_unavailable_then_recover(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    fault: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, tums_entry)
    tums_sim.inject_fault(fault)
    await refresh(hass, tums_entry)
    assert state(hass, "sensor", f"{IPC1}_memory_card_status") == STATE_UNAVAILABLE
    assert_no_traceback(caplog)
    await refresh(hass, tums_entry)
    assert state(hass, "sensor", f"{IPC1}_memory_card_status") == "normal"


async def test_rate_limit_backs_off(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, tums_entry)
    coordinator = tums_entry.runtime_data.coordinator
    normal = coordinator.update_interval
    before = sum(tums_sim.requests.values())
    tums_sim.inject_fault("rate_limit", count=50)
    with caplog.at_level(logging.WARNING):
        await refresh(hass, tums_entry)
    assert coordinator.update_interval is not None
    assert coordinator.update_interval >= timedelta(minutes=2)
    assert "rate limited" in caplog.text
    # Bounded retries, not a tight loop: the initial try plus three retries.
    assert sum(tums_sim.requests.values()) - before <= 4
    tums_sim.faults.pending.clear()
    # Until the server's retry-after passes the client sends nothing at all.
    before = sum(tums_sim.requests.values())
    await refresh(hass, tums_entry)
    assert sum(tums_sim.requests.values()) == before
    tums_entry.runtime_data.backend._client._blocked_until = 0  # time passes
    await refresh(hass, tums_entry)
    assert coordinator.update_interval == normal
    assert state(hass, "sensor", f"{IPC1}_memory_card_status") == "normal"
