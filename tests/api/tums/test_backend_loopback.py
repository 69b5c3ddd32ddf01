"""TumsBackend against the simulated cloud on 127.0.0.83, push receiver on 127.0.0.84."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from custom_components.business_cameras.api.backend import (
    Action,
    Backend,
    Setting,
    WebhookPushBackend,
)
from custom_components.business_cameras.api.errors import UnsupportedError
from custom_components.business_cameras.api.model import (
    CameraEvent,
    Capability,
    Device,
    EventType,
    StateGroup,
)
from custom_components.business_cameras.api.tums.backend import TumsBackend
from custom_components.business_cameras.api.tums.client import Path, TumsClient
from custom_components.business_cameras.api.tums.errors import PushTargetInUseError

from .conftest import ClientFactory, SimFactory

HOST = "127.0.0.83"
RECEIVER = "127.0.0.84"
NVR0 = "16E00900000000000"
IPC1 = "16E00900000000001"
IPC2 = "16E00900000000002"


async def _backend(
    make_sim: SimFactory, make_client: ClientFactory, **sim_options: Any
) -> tuple[Any, TumsBackend, TumsClient]:
    sim = await make_sim(HOST, **sim_options)
    client = make_client(sim)
    backend = TumsBackend(client, account_id="acct-1")
    await backend.async_connect()
    return sim, backend, client


async def test_protocols_and_devices(make_sim: SimFactory, make_client: ClientFactory) -> None:
    _, backend, _ = await _backend(make_sim, make_client)
    assert isinstance(backend, Backend)
    assert isinstance(backend, WebhookPushBackend)
    assert backend.unique_id == "acct-1"
    devices = {d.key: d for d in await backend.async_get_devices()}
    assert len(devices) == 20 + 2 * 4  # two NVRs with four connected channels each
    nvr = devices[NVR0]
    assert nvr.mac == "00:ff:00:00:00:18"
    assert Capability.REBOOT in nvr.capabilities
    assert Capability.PTZ_RESET not in nvr.capabilities
    channel = devices[f"{NVR0}:ch2"]
    assert channel.parent == NVR0
    assert channel.channel == 2
    assert Capability.REBOOT not in channel.capabilities
    ptz = devices[IPC1]
    assert Capability.PTZ_RESET in ptz.capabilities
    assert Capability.PTZ_RESET not in devices[IPC2].capabilities
    assert {Capability.MANUAL_ALARM, Capability.FORMAT_SD, Capability.FIRMWARE} <= ptz.capabilities
    assert Capability.PEOPLE_FLOW not in ptz.capabilities
    assert await backend.async_stream_source(ptz, "main") is None
    assert await backend.async_snapshot(ptz) is None
    again = {d.key for d in await backend.async_get_devices()}
    assert again == set(devices)


async def test_state_groups_and_concurrency(
    make_sim: SimFactory, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim, backend, client = await _backend(make_sim, make_client)
    devices = {d.key: d for d in await backend.async_get_devices()}
    sim.set_online("16E00900000000005", False)
    in_flight = 0
    peak = 0
    original = client._post

    async def counting(*args: Any) -> Any:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await asyncio.sleep(0.005)
            return await original(*args)
        finally:
            in_flight -= 1

    monkeypatch.setattr(client, "_post", counting)
    sim.requests.clear()
    states = await backend.async_get_state(devices, [StateGroup.ONLINE])
    assert set(sim.requests) <= {Path.DEVICE_APP_LIST, Path.CHANNELS}
    assert states[IPC1].online
    assert not states["16E00900000000005"].online
    assert states[f"{NVR0}:ch1"].online
    groups = [
        StateGroup.ONLINE,
        StateGroup.MEMORY_CARD,
        StateGroup.TIMING,
        StateGroup.STREAMS,
        StateGroup.INFO,
        StateGroup.IMAGE,
    ]
    states = await backend.async_get_state(devices, groups)
    assert peak <= 4
    card = states[IPC1].memory_card
    assert card is not None
    assert card.total_gb == pytest.approx(119.1)
    assert states[IPC1].timing_mode == "ntp"
    assert "main" in states[IPC1].streams
    assert states[IPC1].firmware
    assert states[IPC1].ir_mode
    assert states["16E00900000000005"].memory_card is None  # offline: not read
    assert sim.requests[Path.UPGRADE_INFO] >= 1


async def test_unlicensed_device(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, _ = await _backend(make_sim, make_client)
    sim.set_licensed(IPC1, False)
    devices = {d.key: d for d in await backend.async_get_devices()}
    assert devices[IPC1].capabilities == frozenset()
    states = await backend.async_get_state(devices, [StateGroup.ONLINE, StateGroup.TIMING])
    assert states[IPC1].extra["licensed"] is False
    assert states[IPC1].timing_mode is None


async def test_project_people_flow(make_sim: SimFactory, make_client: ClientFactory) -> None:
    _, backend, _ = await _backend(make_sim, make_client, app_type="project")
    devices = {d.key: d for d in await backend.async_get_devices()}
    assert Capability.PEOPLE_FLOW in devices[IPC1].capabilities  # index 1 counts people
    assert Capability.PEOPLE_FLOW not in devices[IPC2].capabilities
    states = await backend.async_get_state(devices, [StateGroup.PEOPLE_FLOW])
    flow = states[IPC1].people_flow
    assert flow is not None
    assert flow.entered is not None


async def test_actions_and_settings(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim, backend, _ = await _backend(make_sim, make_client)
    devices = {d.key: d for d in await backend.async_get_devices()}
    ptz = devices[IPC1]
    await backend.async_action(ptz, Action.PTZ_RESET)
    assert sim.requests[Path.PTZ_RESET] == 1
    await backend.async_action(ptz, Action.TRIGGER_ALARM, duration=0.01)
    await asyncio.sleep(0.2)
    assert sim.requests[Path.MANUAL_ALARM] == 2  # started and stopped
    await backend.async_action(ptz, Action.FORMAT_SD_CARD)
    assert sim.requests[Path.FORMAT_SD] == 1
    await backend.async_action(ptz, Action.REBOOT)
    assert sim.requests[Path.REBOOT] == 1
    with pytest.raises(UnsupportedError):
        await backend.async_action(devices[IPC2], Action.PTZ_RESET)
    with pytest.raises(UnsupportedError):
        await backend.async_action(devices[f"{NVR0}:ch1"], Action.REBOOT)
    await backend.async_set(ptz, Setting.TIMING_MODE, "manual")
    await backend.async_set(ptz, Setting.TIMING_MODE, "ntp")
    await backend.async_set(ptz, Setting.IR_MODE, "auto")
    with pytest.raises(UnsupportedError):
        await backend.async_set(ptz, Setting.STATUS_LED, True)
    await backend.async_close()


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[bytes]]]:
    bodies: list[bytes] = []

    async def handle(request: web.Request) -> web.Response:
        bodies.append(await request.read())
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/webhook/{hook}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, RECEIVER, 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://{RECEIVER}:{port}/api/webhook/secret-id", bodies
    await runner.cleanup()


async def test_push_end_to_end(
    make_sim: SimFactory, make_client: ClientFactory, receiver: tuple[str, list[bytes]]
) -> None:
    url, bodies = receiver
    sim, backend, client = await _backend(make_sim, make_client)
    devices: dict[str, Device] = {d.key: d for d in await backend.async_get_devices()}
    await backend.async_register_push(url)
    assert await sim.push_message("humanDetected", IPC1, msg_id="42") == 200
    assert await sim.push_message("humanDetected", IPC1, msg_id="42") == 200  # redelivery
    assert await sim.push_message("brandNewKind", f"{NVR0}", msg_type="monitorAlarm") == 200
    events: list[CameraEvent] = []
    for body in bodies:
        events += backend.parse_push("application/json", body, RECEIVER)
    assert [e.type for e in events] == [EventType.PERSON, EventType.UNKNOWN]
    assert events[0].device_key == IPC1
    assert events[0].device_key in devices
    assert events[1].raw["msgContentType"] == ["brandNewKind"]
    other = TumsBackend(client, account_id="acct-2")
    with pytest.raises(PushTargetInUseError):
        await other.async_register_push(url.replace("secret-id", "other"))
    await backend.async_unregister_push()
    config = await client.get_push_config()
    assert config is not None
    assert not config.enabled
    assert await sim.push_message("humanDetected", IPC1) == 0
