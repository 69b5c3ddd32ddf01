"""VIGI entities against the simulator: what exists, what it shows, what writes reach the NVR."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.components.diagnostics import REDACTED
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.business_cameras import async_remove_config_entry_device
from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.coordinator import DEVICE_RESCAN_CYCLES
from simulators.vigi import VigiSimulator
from simulators.vigi.state import EventServer
from tests.integration.devices import device_by_identifier

from ..conftest import HUB_ID, VIGI_PASSWORD, setup_entry


def eid(hass: HomeAssistant, platform: str, suffix: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{HUB_ID}_{suffix}")
    assert found is not None, suffix
    return found


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def entity_table(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Every entity of the entry with the parts that do not change between runs."""
    table: dict[str, Any] = {}
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        state = hass.states.get(entity.entity_id)
        attributes = {}
        if state is not None and entity.domain not in ("camera", "image"):
            attributes = {
                # str(): Home Assistant 2026 keys some attributes with a StrEnum.
                str(key): value
                for key, value in state.attributes.items()
                if key not in {"friendly_name", "entity_picture", "access_token"}
            }
        table[entity.unique_id.removeprefix(f"{HUB_ID}_")] = {
            "entity_id": entity.entity_id,
            "translation_key": entity.translation_key,
            "category": entity.entity_category,
            "disabled_by": entity.disabled_by,
            "device_class": entity.device_class or entity.original_device_class,
            "state": None if state is None or entity.domain in ("camera", "image") else state.state,
            "attributes": attributes,
        }
    return dict(sorted(table.items()))


async def test_entities_snapshot(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    await setup_entry(hass, vigi_entry)
    assert entity_table(hass, vigi_entry) == snapshot


async def test_devices_channels_via_nvr(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    registry = dr.async_get(hass)
    nvr = device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_nvr"))
    assert nvr is not None
    assert nvr.manufacturer == "TP-Link"
    channel = device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_ch1"))
    assert channel is not None
    assert channel.via_device_id == nvr.id
    assert (dr.CONNECTION_NETWORK_MAC, "00:ff:00:13:31:01") in channel.connections
    devices = dr.async_entries_for_config_entry(registry, vigi_entry.entry_id)
    assert len(devices) == 5


async def test_poll_reads_only_what_enabled_entities_need(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    vigi_sim.requests.clear()
    coordinator = vigi_entry.runtime_data.coordinator
    await coordinator.async_refresh()
    paths = {key.split(" ", 1)[1] for key in vigi_sim.requests}
    assert "/openapi/added_devices" in paths
    assert "/openapi/disks" in paths
    # Slow groups (audio, streams, timing, event servers) wait for their turn.
    assert "/openapi/audio/output/sound" not in paths
    assert "/openapi/ntp" not in paths
    assert "/openapi/record/days" not in paths
    assert "/openapi/snapshot" not in paths


async def test_switch_number_select_write_through(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    mute = eid(hass, "switch", "ch1_speaker_mute")
    assert state_of(hass, mute) == STATE_OFF
    await hass.services.async_call("switch", "turn_on", {"entity_id": mute}, blocking=True)
    assert vigi_sim.state.channels[1].audio_out.mute == "on"
    await hass.async_block_till_done()
    assert state_of(hass, mute) == STATE_ON

    volume = eid(hass, "number", "ch2_speaker_volume")
    await hass.services.async_call(
        "number", "set_value", {"entity_id": volume, "value": 35}, blocking=True
    )
    assert vigi_sim.state.channels[2].audio_out.volume == 35
    await hass.async_block_till_done()
    assert float(state_of(hass, volume)) == 35

    timing = eid(hass, "select", "nvr_timing_mode")
    await hass.services.async_call(
        "select", "select_option", {"entity_id": timing, "option": "ntp"}, blocking=True
    )
    assert vigi_sim.state.timing_mode == "ntp"

    port = eid(hass, "switch", "nvr_poe_port_2")
    await hass.services.async_call("switch", "turn_off", {"entity_id": port}, blocking=True)
    assert vigi_sim.state.poe[1].enable == "off"


async def test_write_error_is_translated(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    vigi_sim.inject_fault("http500", count=5, path="/openapi/audio/output/sound")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "switch",
            "turn_on",
            {"entity_id": eid(hass, "switch", "ch1_speaker_mute")},
            blocking=True,
        )
    assert err.value.translation_key == "write_failed"


async def test_manual_alarm_button_and_service(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    await hass.services.async_call(
        "button", "press", {"entity_id": eid(hass, "button", "ch1_manual_alarm")}, blocking=True
    )
    assert vigi_sim.requests["POST /openapi/alarm_output/ipc_manual_alarm"] == 1
    assert vigi_sim.state.channels[1].alarm.active_until is not None

    device = device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_ch3"))
    assert device is not None
    await hass.services.async_call(DOMAIN, "trigger_alarm", {"device_id": device.id}, blocking=True)
    assert vigi_sim.state.channels[3].alarm.active_until is not None


async def test_services_refuse_what_cannot_be_done(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    device = device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_ch1"))
    assert device is not None
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "format_sd_card", {"device_id": device.id}, blocking=True
        )
    assert err.value.translation_key == "confirm_required"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "format_sd_card", {"device_id": device.id, "confirm": True}, blocking=True
        )
    assert err.value.translation_key == "not_supported"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "ptz_reset", {"device_id": device.id}, blocking=True)
    assert err.value.translation_key == "not_supported"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "ptz_reset", {"device_id": "nope"}, blocking=True)
    assert err.value.translation_key == "device_not_found"


async def test_reboot_button_is_disabled_by_default(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    entry = er.async_get(hass).async_get(eid(hass, "button", "nvr_reboot"))
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_camera_stream_and_snapshot(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    await setup_entry(hass, vigi_entry)
    camera = eid(hass, "camera", "ch1_camera")
    client = await hass_client()
    response = await client.get(f"/api/camera_proxy/{camera}")
    assert response.status == 200
    body = await response.read()
    assert body[:2] == b"\xff\xd8"
    platform = vigi_entry.runtime_data.backend
    device = vigi_entry.runtime_data.coordinator.devices["ch1"]
    url = await platform.async_stream_source(device, "main")
    assert url == f"rtsp://admin:{VIGI_PASSWORD}@{vigi_sim.host}:554/live/1/1/avm"


async def test_simulator_down_then_back(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    coordinator = vigi_entry.runtime_data.coordinator
    disk = eid(hass, "sensor", "nvr_disk_free_1")
    assert float(state_of(hass, disk)) == 120
    await vigi_sim.go_down(30, wait=False)
    await asyncio.sleep(0.05)
    await coordinator.async_refresh()
    assert state_of(hass, disk) == STATE_UNAVAILABLE
    await vigi_sim.go_down(0)
    await coordinator.async_refresh()
    assert float(state_of(hass, disk)) == 120
    assert vigi_entry.state is ConfigEntryState.LOADED


async def test_offline_channel_is_unavailable_but_reports_connectivity(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    vigi_sim.set_channel_online(4, False)
    async_fire_time_changed(hass)
    await vigi_entry.runtime_data.coordinator.async_refresh()
    assert state_of(hass, eid(hass, "binary_sensor", "ch4_online")) == STATE_OFF
    assert state_of(hass, eid(hass, "binary_sensor", "ch4_motion")) == STATE_UNAVAILABLE
    assert state_of(hass, eid(hass, "binary_sensor", "ch3_motion")) == STATE_OFF


async def test_changed_password_starts_reauth(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    vigi_sim.auth.password = "changed-on-the-nvr"
    vigi_sim.restart()
    await vigi_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


@pytest.mark.parametrize("sim_options", [{"max_failures": 1, "lockout_seconds": 600}])
async def test_lockout_raises_an_issue_and_stops_logins(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    coordinator = vigi_entry.runtime_data.coordinator
    vigi_sim.auth.password = "changed-on-the-nvr"
    vigi_sim.restart()
    await coordinator.async_refresh()  # wrong password: reauth, and the NVR locks the account
    await coordinator.async_refresh()
    issue_id = f"account_locked_{vigi_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    logins = vigi_sim.requests["GET /openapi/token"]
    for _ in range(3):
        await coordinator.async_refresh()
    assert vigi_sim.requests["GET /openapi/token"] == logins  # no attempt while locked


async def test_changed_certificate_raises_a_fixable_issue(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    await setup_entry(hass, vigi_entry)
    port = vigi_sim.port
    await vigi_sim.stop()
    replacement = VigiSimulator(host=vigi_sim.host, port=port, password=VIGI_PASSWORD, channels=4)
    await replacement.start()
    try:
        await vigi_entry.runtime_data.coordinator.async_refresh()
        issue_id = f"certificate_changed_{vigi_entry.entry_id}"
        issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
        assert issue is not None
        assert issue.is_fixable
        assert issue.data is not None
        assert issue.data["fingerprint"] == replacement.fingerprint
        assert replacement.requests["GET /openapi/token"] == 0  # nothing sent to an unknown cert

        # The user checks the fingerprint and accepts it in Repairs: the entry reloads with it.
        client = await hass_client()
        response = await client.post(
            "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
        )
        flow = await response.json()
        assert flow["step_id"] == "confirm"
        shown = flow["description_placeholders"]["fingerprint"]
        assert shown.replace(":", "").lower() == replacement.fingerprint
        response = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
        assert (await response.json())["type"] == "create_entry"
        await hass.async_block_till_done()
        assert vigi_entry.data["fingerprint"] == replacement.fingerprint
        assert vigi_entry.state is ConfigEntryState.LOADED
        assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
        assert replacement.requests["GET /openapi/token"] >= 1
        await hass.config_entries.async_unload(vigi_entry.entry_id)
    finally:
        await replacement.stop()


async def test_no_free_event_server_slot_raises_an_issue_and_polls(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    for slot in (1, 2, 3):
        vigi_sim.state.event_servers[slot] = EventServer(
            slot, "127.0.0.9", 3000 + slot, "/theirs", "HTTP", "on"
        )
    await setup_entry(hass, vigi_entry)
    assert vigi_entry.state is ConfigEntryState.LOADED
    assert vigi_entry.runtime_data.push is None
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"push_unavailable_{vigi_entry.entry_id}")
    assert issue is not None
    assert sorted(s.url for s in vigi_sim.state.event_servers.values()) == ["/theirs"] * 3


async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    await setup_entry(hass, vigi_entry)
    diagnostics: Any = await get_diagnostics_for_config_entry(hass, hass_client, vigi_entry)
    text = str(diagnostics)
    for secret in (VIGI_PASSWORD, vigi_sim.fingerprint, "00:ff:00:13:31:01", HUB_ID):
        assert secret not in text
    assert diagnostics["entry"]["data"]["password"] == REDACTED
    assert diagnostics["devices"]["ch1"]["mac"] == REDACTED
    assert "nvr" in diagnostics["states"]


async def test_removed_channel_disappears_and_added_channel_appears(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, vigi_entry)
    ch4 = device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_ch4"))
    assert ch4 is not None
    # The user can not delete a channel the NVR still has.
    assert not await async_remove_config_entry_device(hass, vigi_entry, ch4)
    del vigi_sim.state.channels[4]
    coordinator = vigi_entry.runtime_data.coordinator
    coordinator._cycle = DEVICE_RESCAN_CYCLES - 1
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert vigi_entry.state is ConfigEntryState.LOADED
    assert device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_ch4")) is None
    assert device_by_identifier(hass, (DOMAIN, f"{HUB_ID}_ch3")) is not None
