"""Pushes from the simulated NVR to a tiny receiver on 127.0.0.1, parsed by the backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from custom_components.business_cameras.api.errors import AuthError, ProtocolError
from custom_components.business_cameras.api.model import EventType
from custom_components.business_cameras.api.vigi import VigiBackend
from simulators.vigi import VigiSimulator

from .conftest import ClientFactory, SimFactory

HOST = "127.0.0.14"
RECEIVER_HOST = "127.0.0.1"


@dataclass
class Receiver:
    """Records every POST it gets."""

    url: str = ""
    received: list[tuple[str, bytes, str | None]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            (request.headers.get("Content-Type", ""), await request.read(), request.remote)
        )
        return web.json_response({"error_code": 0})


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """An HTTP server standing in for Home Assistant's webhook view."""
    target = Receiver()
    app = web.Application()
    app.router.add_post("/api/webhook/{hook}", target.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, RECEIVER_HOST, 0)
    await site.start()
    port = runner.addresses[0][1]
    target.url = f"http://{RECEIVER_HOST}:{port}/api/webhook/vigi-test"
    yield target
    await runner.cleanup()


async def registered(
    make_sim: SimFactory, make_client: ClientFactory, receiver: Receiver, **options: object
) -> tuple[VigiSimulator, VigiBackend]:
    sim = await make_sim(HOST, **options)
    backend = VigiBackend(make_client(sim), nvr_id=sim.fingerprint)
    await backend.async_connect()
    await backend.async_register_push(receiver.url)
    return sim, backend


@pytest.mark.parametrize("id_keys", ["dev", "device"])
async def test_channel_event_with_picture(
    make_sim: SimFactory, make_client: ClientFactory, receiver: Receiver, id_keys: str
) -> None:
    sim, backend = await registered(make_sim, make_client, receiver, push_id_keys=id_keys)
    assert await sim.trigger_event(channel=3, type=1, sub_types=[2, 21], picture=True) == 1
    [(content_type, body, remote)] = receiver.received
    events = backend.parse_push(content_type, body, remote)
    assert [(e.device_key, e.type) for e in events] == [
        ("ch3", EventType.MOTION),
        ("ch3", EventType.PERSON),
    ]
    image = events[0].image
    assert image is not None
    assert image.startswith(b"\xff\xd8")
    assert events[0].attributes["channel_name"] == "IPC3 OSD"
    assert events[0].attributes["nvr_name"] == "VIGI NVR"


async def test_device_event(
    make_sim: SimFactory, make_client: ClientFactory, receiver: Receiver
) -> None:
    sim, backend = await registered(make_sim, make_client, receiver)
    await sim.trigger_device_event(type=2, sub_types=[10], port=4)
    [(content_type, body, remote)] = receiver.received
    [event] = backend.parse_push(content_type, body, remote)
    assert (event.device_key, event.type, event.attributes["port"]) == (
        "nvr",
        EventType.POE_FAULT,
        "4",
    )
    assert event.image is None


async def test_push_from_another_address_is_refused(
    make_sim: SimFactory, make_client: ClientFactory, receiver: Receiver
) -> None:
    sim, backend = await registered(make_sim, make_client, receiver)
    await sim.trigger_event(channel=1)
    [(content_type, body, remote)] = receiver.received
    assert remote == HOST
    with pytest.raises(AuthError):
        backend.parse_push(content_type, body, "127.0.0.99")
    with pytest.raises(AuthError):
        backend.parse_push(content_type, body, None)
    assert backend.parse_push(content_type, body, f"::ffff:{HOST}")


async def test_wrong_boundary_push(
    make_sim: SimFactory, make_client: ClientFactory, receiver: Receiver
) -> None:
    sim, backend = await registered(make_sim, make_client, receiver)
    sim.inject_fault("wrong_boundary")
    await sim.trigger_event(channel=2, picture=False)
    [(content_type, body, remote)] = receiver.received
    with pytest.raises(ProtocolError):
        backend.parse_push(content_type, body, remote)


async def test_unregistered_receiver_gets_nothing(
    make_sim: SimFactory, make_client: ClientFactory, receiver: Receiver
) -> None:
    sim, backend = await registered(make_sim, make_client, receiver)
    await backend.async_unregister_push()
    assert await sim.trigger_event(channel=1) == 0
    assert receiver.received == []
