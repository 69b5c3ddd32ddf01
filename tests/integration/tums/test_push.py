"""Cloud push: the simulated TUMS cloud POSTs to Home Assistant's webhook over real HTTP."""

from __future__ import annotations

import json
import logging

import aiohttp
import pytest
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.business_cameras.const import DOMAIN
from simulators.tums import TumsSimulator
from tests.integration.logs import assert_no_traceback

from ..conftest import setup_entry
from .conftest import AK, IPC1, NVR0, WEBHOOK_ID, wait_for

WEBHOOK_PATH = f"/api/webhook/{WEBHOOK_ID}"


@pytest.fixture
async def external_port(
    hass: HomeAssistant, routes_ready: None, hass_client_no_auth: ClientSessionGenerator
) -> int:
    """Serve Home Assistant's HTTP app on 127.0.0.1 and make it the external URL."""
    client = await hass_client_no_auth()
    port = client.port
    assert port is not None
    await hass.config.async_update(external_url=f"http://127.0.0.1:{port}")
    return port


SEARCH_VIDEO = "/vms/open/webServer/v2/searchVideo"


def push_on(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.config_entries.async_update_entry(entry, options={"push_method": "webhook"})


async def test_push_is_off_unless_chosen(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry, external_port: int
) -> None:
    await setup_entry(hass, tums_entry)
    assert tums_sim.state.push_config is None
    assert WEBHOOK_ID not in hass.data.get("webhook", {})


async def test_subscribe_push_dedupe_and_unsubscribe(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    external_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    push_on(hass, tums_entry)
    await setup_entry(hass, tums_entry)
    config = tums_sim.state.push_config
    assert config is not None
    assert config["serverUrl"] == f"http://127.0.0.1:{external_port}{WEBHOOK_PATH}"
    assert config["openMsgTransport"] == 1
    path = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{AK}_{IPC1}_event_path")
    assert path is not None
    assert hass.states.get(path).state == "webhook"  # type: ignore[union-attr]
    motion = er.async_get(hass).async_get_entity_id("binary_sensor", DOMAIN, f"{AK}_{IPC1}_motion")
    assert motion is not None
    events: list[str] = []
    coordinator = tums_entry.runtime_data.coordinator
    coordinator.async_add_event_listener(IPC1, lambda event: events.append(event.type.value))
    status = await tums_sim.push_message("movementDetected", IPC1, msg_id="42")
    assert status == 200
    await wait_for(lambda: hass.states.get(motion).state == STATE_ON)  # type: ignore[union-attr]
    # The cloud redelivers: the same msgId is ignored.
    assert await tums_sim.push_message("movementDetected", IPC1, msg_id="42") == 200
    await hass.async_block_till_done()
    assert events == ["motion"]
    # A channel behind the NVR is found by its own MAC.
    channel_events: list[str] = []
    coordinator.async_add_event_listener(
        f"{NVR0}:ch1", lambda event: channel_events.append(event.type.value)
    )
    nvr = tums_sim.state.find(NVR0)
    assert nvr is not None
    assert await tums_sim.push_message("movementDetected", nvr.channels[1].qr_code) == 200
    await hass.async_block_till_done()
    assert channel_events == ["motion"]
    # Unsubscribed on unload (push switched off, the URL left in place as the API requires).
    assert await hass.config_entries.async_unload(tums_entry.entry_id)
    assert tums_sim.state.push_config["openMsgTransport"] == 0  # type: ignore[index]
    assert WEBHOOK_ID not in hass.data["webhook"]


async def test_unknown_device_and_bad_bodies(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    external_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    push_on(hass, tums_entry)
    await setup_entry(hass, tums_entry)
    url = f"http://127.0.0.1:{external_port}{WEBHOOK_PATH}"
    body = {
        "qrcode": "16e0099999999999x",
        "mac": "00-FF-99-99-99-99",
        "deviceName": "stranger",
        "msgId": "7",
        "time": "1700000000",
        "msgType": "monitorAlarm",
        "msgContentType": ["movementDetected"],
    }
    headers = {"Content-Type": "application/json;charset=UTF-8"}
    caplog.set_level(logging.DEBUG, logger="custom_components.business_cameras")
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=json.dumps(body), headers=headers) as response:
            assert response.status == 200
        assert "unknown device" in caplog.text
        async with session.post(url, data=b"{not json", headers=headers) as response:
            assert response.status == 400
        async with session.post(url, data=b"x", headers={"Content-Type": "text/plain"}) as response:
            assert response.status == 415
    assert_no_traceback(caplog)


async def test_no_external_url_raises_an_issue(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry, routes_ready: None
) -> None:
    push_on(hass, tums_entry)
    await setup_entry(hass, tums_entry)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"push_unavailable_{tums_entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == "push_unavailable_external"
    assert tums_sim.state.push_config is None


async def test_no_recording_reads_while_push_is_on(
    hass: HomeAssistant, tums_sim: TumsSimulator, tums_entry: MockConfigEntry, external_port: int
) -> None:
    push_on(hass, tums_entry)
    await setup_entry(hass, tums_entry)
    searches = tums_sim.requests[SEARCH_VIDEO]
    await tums_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    assert tums_sim.requests[SEARCH_VIDEO] == searches
