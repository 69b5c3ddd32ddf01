"""HTTP callbacks from the simulated camera to a receiver on loopback, parsed by the backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from custom_components.business_cameras.api.errors import AuthError, ProtocolError
from custom_components.business_cameras.api.model import EventType

from .conftest import BackendFactory, SimFactory, wait_for

HOST = "127.0.0.36"


@dataclass
class Receiver:
    """Records every POST it gets."""

    url: str = ""
    received: list[tuple[str, bytes, str | None]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            (request.headers.get("Content-Type", ""), await request.read(), request.remote)
        )
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """An HTTP server standing in for Home Assistant's webhook view."""
    target = Receiver()
    app = web.Application()
    app.router.add_post("/api/webhook/{hook}", target.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    port = runner.addresses[0][1]
    target.url = f"http://{HOST}:{port}/api/webhook/sunmi-test"
    yield target
    await runner.cleanup()


async def test_register_push_and_parse(
    make_sim: SimFactory, make_backend: BackendFactory, receiver: Receiver
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim)
    await backend.async_register_push(receiver.url)
    assert sim.state.hooks == {
        "dynamic_detect_event": [receiver.url],
        "face_recog_event": [receiver.url],
    }
    await backend.async_register_push(receiver.url)  # idempotent
    assert sim.requests["/openapi/hook/add"] == 1

    assert await sim.publish_motion(detect_type=3) == 1
    assert await sim.publish_face(faceid="9", group_name="vip", gender=2, age_range=6) == 1
    await wait_for(lambda: len(receiver.received) == 2)
    (ct1, body1, remote1), (ct2, body2, remote2) = receiver.received
    [person] = backend.parse_push(ct1, body1, remote1)
    assert person.type is EventType.PERSON  # HTTP table: 3 = human detected
    assert person.attributes["source"] == "http"
    [face] = backend.parse_push(ct2, body2, remote2)
    assert face.type is EventType.FACE
    assert (face.attributes["face_id"], face.attributes["age_band"]) == ("9", "36-45")
    assert face.attributes["has_picture"] is True
    assert face.image is None  # pictures are fetched on the channel path only

    # The same request again is a replay.
    with pytest.raises(AuthError, match="replayed"):
        backend.parse_push(ct1, body1, remote1)


async def test_forged_pushes_are_rejected(
    make_sim: SimFactory, make_backend: BackendFactory, receiver: Receiver
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim)
    await backend.async_register_push(receiver.url)
    await sim.publish_motion(detect_type=0)
    await wait_for(lambda: len(receiver.received) == 1)
    content_type, body, remote = receiver.received[0]
    with pytest.raises(AuthError):
        backend.parse_push(content_type, body.replace(b'"detect_type":0', b'"detect_type":1'), None)
    other = make_backend(sim, client_options={"secret_key": "other"})
    with pytest.raises(AuthError):
        other.parse_push(content_type, body, remote)
    wrong_sn = make_backend(sim, sn="FS101D8BS99999")
    with pytest.raises(AuthError, match="FS101D8BS99999"):
        wrong_sn.parse_push(content_type, body, remote)
    with pytest.raises(ProtocolError):
        backend.parse_push("text/plain", body, remote)
    [motion] = backend.parse_push(content_type, body, remote)
    assert motion.type is EventType.MOTION


async def test_unregister_keeps_foreign_subscribers(
    make_sim: SimFactory, make_backend: BackendFactory, receiver: Receiver
) -> None:
    sim = await make_sim(HOST)
    backend = make_backend(sim)
    foreign = f"http://{HOST}:9/other-system"
    await backend.client.hook_add(["dynamic_detect_event"], foreign)
    await backend.async_register_push(receiver.url)
    assert sim.state.hooks["dynamic_detect_event"] == [foreign, receiver.url]
    await backend.async_unregister_push()
    assert sim.state.hooks == {"dynamic_detect_event": [foreign]}
    await backend.async_unregister_push()  # nothing registered: nothing sent
    assert sim.requests["/openapi/hook/delete"] == 1


async def test_store_sense_registers_motion_only(
    make_sim: SimFactory, make_backend: BackendFactory, receiver: Receiver
) -> None:
    sim = await make_sim(HOST, model="SS")
    backend = make_backend(sim)
    await backend.async_register_push(receiver.url)
    assert sim.state.hooks == {"dynamic_detect_event": [receiver.url]}
