"""Event push end to end: the simulator POSTs to Home Assistant's webhook over real HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import aiohttp
import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.business_cameras.const import DOMAIN
from simulators.vigi import VigiSimulator
from simulators.vigi.state import EventServer
from tests.integration.logs import assert_no_traceback

from ..conftest import HUB_ID, setup_entry

WEBHOOK_PATH = "/api/webhook/0123456789abcdef0123456789abcdef"


def entity_id(hass: HomeAssistant, platform: str, unique_suffix: str, sim: VigiSimulator) -> str:
    registry = er.async_get(hass)
    found = registry.async_get_entity_id(platform, DOMAIN, f"{HUB_ID}_{unique_suffix}")
    assert found is not None, unique_suffix
    return found


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


@pytest.fixture
async def http_port(
    hass: HomeAssistant, routes_ready: None, hass_client_no_auth: ClientSessionGenerator
) -> int:
    """Serve Home Assistant's HTTP app on 127.0.0.1 and make it the internal URL."""
    client = await hass_client_no_auth()
    port = client.port
    assert port is not None
    await hass.config.async_update(internal_url=f"http://127.0.0.1:{port}")
    return port


async def test_setup_registers_and_unload_removes_event_server(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry, http_port: int
) -> None:
    await setup_entry(hass, vigi_entry)
    servers = list(vigi_sim.state.event_servers.values())
    assert len(servers) == 1
    assert servers[0].port == http_port
    assert servers[0].url == WEBHOOK_PATH
    assert WEBHOOK_PATH.rsplit("/", 1)[1] in hass.data["webhook"]
    registered = entity_id(hass, "binary_sensor", "nvr_push_registered", vigi_sim)
    assert hass.states.get(registered).state == STATE_ON  # type: ignore[union-attr]
    assert await hass.config_entries.async_unload(vigi_entry.entry_id)
    assert not vigi_sim.state.event_servers
    assert WEBHOOK_PATH.rsplit("/", 1)[1] not in hass.data["webhook"]


async def test_foreign_event_servers_are_left_alone(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry, http_port: int
) -> None:
    vigi_sim.state.event_servers[1] = EventServer(1, "127.0.0.9", 3001, "/theirs", "HTTP", "on")
    await setup_entry(hass, vigi_entry)
    assert sorted(vigi_sim.state.event_servers) == [1, 2]
    assert await hass.config_entries.async_unload(vigi_entry.entry_id)
    assert sorted(vigi_sim.state.event_servers) == [1]


async def test_pushed_motion_turns_sensor_on_and_fires_event(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry, http_port: int
) -> None:
    await setup_entry(hass, vigi_entry)
    motion = entity_id(hass, "binary_sensor", "ch2_motion", vigi_sim)
    person = entity_id(hass, "binary_sensor", "ch2_person", vigi_sim)
    other = entity_id(hass, "binary_sensor", "ch1_motion", vigi_sim)
    event = entity_id(hass, "event", "ch2_camera_event", vigi_sim)
    image = entity_id(hass, "image", "ch2_last_event_image", vigi_sim)
    assert hass.states.get(motion).state == STATE_OFF  # type: ignore[union-attr]
    assert hass.states.get(event).state == STATE_UNKNOWN  # type: ignore[union-attr]

    delivered = await vigi_sim.trigger_event(channel=2, type=1, sub_types=[2], picture=True)
    assert delivered == 1
    await wait_for(lambda: hass.states.get(motion).state == STATE_ON)  # type: ignore[union-attr]
    assert hass.states.get(person).state == STATE_OFF  # type: ignore[union-attr]
    assert hass.states.get(other).state == STATE_OFF  # type: ignore[union-attr]
    fired = hass.states.get(event)
    assert fired is not None
    assert fired.attributes["event_type"] == "motion"
    assert fired.attributes["has_image"] is True
    assert hass.states.get(image).state != STATE_UNKNOWN  # type: ignore[union-attr]

    await vigi_sim.trigger_event(channel=2, type=1, sub_types=[21], picture=False)
    await wait_for(lambda: hass.states.get(person).state == STATE_ON)  # type: ignore[union-attr]
    assert hass.states.get(event).attributes["event_type"] == "person"  # type: ignore[union-attr]
    assert await hass.config_entries.async_unload(vigi_entry.entry_id)


async def test_undocumented_event_is_kept_not_dropped(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    http_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, vigi_entry)
    event = entity_id(hass, "event", "ch1_camera_event", vigi_sim)
    with caplog.at_level(logging.DEBUG):
        await vigi_sim.trigger_event(channel=1, type=1, sub_types=[99], picture=False)
        await vigi_sim.trigger_event(channel=1, type=1, sub_types=[99], picture=False)
    await wait_for(lambda: hass.states.get(event).state != STATE_UNKNOWN)  # type: ignore[union-attr]
    fired = hass.states.get(event)
    assert fired is not None
    assert fired.attributes["event_type"] == "unknown"
    assert fired.attributes["vendor_sub_type"] == 99
    assert fired.attributes["raw"]["sub_type"] == [99]
    assert caplog.text.count("Undocumented event type 1 sub_type 99") <= 1
    assert_no_traceback(caplog)


async def test_device_event_reaches_nvr_entities(
    hass: HomeAssistant, vigi_sim: VigiSimulator, vigi_entry: MockConfigEntry, http_port: int
) -> None:
    await setup_entry(hass, vigi_entry)
    disk_error = entity_id(hass, "binary_sensor", "nvr_disk_error", vigi_sim)
    device_event = entity_id(hass, "event", "nvr_device_event", vigi_sim)
    assert hass.states.get(disk_error).state == STATE_OFF  # type: ignore[union-attr]
    await vigi_sim.trigger_device_event(type=2, sub_types=[7], disk="1")
    await wait_for(lambda: hass.states.get(disk_error).state == STATE_ON)  # type: ignore[union-attr]
    assert hass.states.get(device_event).attributes["event_type"] == "disk_error"  # type: ignore[union-attr]
    assert await hass.config_entries.async_unload(vigi_entry.entry_id)


async def post_from(source: str, port: int, body: bytes, content_type: str) -> int:
    """POST to the webhook from ``source`` (the NVR's address or another one)."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with aiohttp.ClientSession(connector=connector) as session:
        response = await session.post(
            f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            data=body,
            headers={"Content-Type": content_type},
        )
        return response.status


@pytest.mark.parametrize(
    ("content_type", "body", "status", "log"),
    [
        ("application/json", b'{"messages": []}', 415, "content type"),
        ("multipart/form-data;boundary=--VIGI-OPENAPI-MSG-PUSH", b"garbage", 400, "Rejected"),
        (
            "multipart/form-data;boundary=--VIGI-OPENAPI-MSG-PUSH",
            b'----VIGI-OPENAPI-MSG-PUSH\r\nContent-Disposition: form-data;name="event"\r\n'
            b"Content-Type: application/json\r\n\r\n{not json}\r\n----VIGI-OPENAPI-MSG-PUSH--\r\n",
            400,
            "Rejected",
        ),
        ("multipart/form-data;boundary=x", b"x" * (4 * 1024 * 1024 + 10), 413, "too large"),
    ],
    ids=["json", "garbage", "bad-json-part", "oversized"],
)
async def test_bad_pushes_are_rejected_with_a_log_line(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    http_port: int,
    caplog: pytest.LogCaptureFixture,
    content_type: str,
    body: bytes,
    status: int,
    log: str,
) -> None:
    await setup_entry(hass, vigi_entry)
    motion = entity_id(hass, "binary_sensor", "ch1_motion", vigi_sim)
    before = hass.states.get(motion)
    with caplog.at_level(logging.WARNING):
        assert await post_from(vigi_sim.host, http_port, body, content_type) == status
    assert log in caplog.text
    assert_no_traceback(caplog)
    assert hass.states.get(motion) == before
    assert await hass.config_entries.async_unload(vigi_entry.entry_id)


async def test_forged_push_from_another_address_is_rejected(
    hass: HomeAssistant,
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    http_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, vigi_entry)
    motion = entity_id(hass, "binary_sensor", "ch1_motion", vigi_sim)
    body = (
        b'----VIGI-OPENAPI-MSG-PUSH\r\nContent-Disposition: form-data;name="event"\r\n'
        b"Content-Type: application/json; charset=UTF-8\r\n\r\n"
        b'{"dev_id":"x","dev_name":"NVR","messages":[{"type":1,"sub_type":[2],'
        b'"localtime":"2026-11-23 18:00:00","channel":"1","channel_name":"a"}]}\r\n'
        b"----VIGI-OPENAPI-MSG-PUSH--\r\n"
    )
    content_type = "multipart/form-data;boundary=--VIGI-OPENAPI-MSG-PUSH"
    assert await post_from("127.0.0.1", http_port, body, content_type) == 403
    assert "sender is not the device" in caplog.text
    assert hass.states.get(motion).state == STATE_OFF  # type: ignore[union-attr]
    # The same body from the NVR's own address is accepted.
    assert await post_from(vigi_sim.host, http_port, body, content_type) == 200
    assert hass.states.get(motion).state == STATE_ON  # type: ignore[union-attr]
    assert await hass.config_entries.async_unload(vigi_entry.entry_id)
