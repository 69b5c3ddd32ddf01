"""The message channel against the simulated camera (and a scripted server for odd cases)."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from custom_components.business_cameras.api.errors import AuthError
from custom_components.business_cameras.api.sunmi.codec import (
    CHANNEL_FLAG,
    ByteOrder,
    FrameDecoder,
    PacketType,
)
from custom_components.business_cameras.api.sunmi.push import MessageChannel
from custom_components.business_cameras.api.sunmi.tls import build_ssl_context, pin_error_of
from simulators.sunmi import SunmiSimulator

from .certs import CertBundle, make_certs
from .conftest import APP_ID, SECRET, SimFactory, ssl_context_for, wait_for

HOST = "127.0.0.35"
FAST = {"backoff_initial": 0.05, "backoff_max": 0.2}


@dataclass
class Recorder:
    """Collects what the channel reports."""

    events: list[dict[str, Any]] = field(default_factory=list)
    states: list[bool] = field(default_factory=list)
    auth_errors: list[AuthError] = field(default_factory=list)


ChannelFactory = Callable[..., Awaitable[tuple[MessageChannel, Recorder]]]


@pytest.fixture
async def make_channel() -> AsyncIterator[ChannelFactory]:
    channels: list[MessageChannel] = []

    async def factory(
        host: str, port: int, context: Any, fingerprint: str | None, **options: Any
    ) -> tuple[MessageChannel, Recorder]:
        recorder = Recorder()
        options.setdefault("app_id", APP_ID)
        options.setdefault("secret_key", SECRET)
        for key, value in FAST.items():
            options.setdefault(key, value)
        channel = MessageChannel(
            host,
            port,
            ssl_context=context,
            fingerprint=fingerprint,
            on_event=recorder.events.append,
            on_state=recorder.states.append,
            on_auth_error=recorder.auth_errors.append,
            **options,
        )
        channels.append(channel)
        await channel.start()
        return channel, recorder

    yield factory
    for channel in channels:
        await channel.stop()


async def sim_channel(
    make_sim: SimFactory, make_channel: ChannelFactory, **options: Any
) -> tuple[SunmiSimulator, MessageChannel, Recorder]:
    sim_options = options.pop("sim", {})
    sim_options.setdefault("resend_seconds", 0.5)
    sim = await make_sim(HOST, **sim_options)
    options.setdefault("events", ["dynamic_detect_event", "face_recog_event"])
    channel, recorder = await make_channel(
        sim.host, sim.channel_port, ssl_context_for(sim), sim.server_fingerprint, **options
    )
    await wait_for(lambda: channel.connected)
    return sim, channel, recorder


def connection(sim: SunmiSimulator) -> dict[str, Any]:
    """The simulator's view of the one channel client (its control-API summary)."""
    [conn] = sim.summary()["channel"]
    assert isinstance(conn, dict)
    return conn


async def test_connect_subscribe_publish_puback(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim, channel, recorder = await sim_channel(make_sim, make_channel)
    assert recorder.states == [True]
    assert channel.subscribed_events == ["dynamic_detect_event", "face_recog_event"]
    assert connection(sim)["subscriptions"] == ["dynamic_detect_event", "face_recog_event"]
    assert await sim.publish_motion(detect_type=3) == 1
    assert await sim.publish_face(faceid="42", group_name="vip", age_range=5, gender=2) == 1
    await wait_for(lambda: len(recorder.events) == 2)
    motion, face = recorder.events
    assert (motion["event_type"], motion["detect_type"], motion["event_id"]) == (
        "dynamic_detect_event",
        3,
        1,
    )
    assert (face["faceid"], face["group_name"], face["gender"]) == ("42", "vip", 2)
    # Both were acknowledged: nothing waits for a resend.
    await wait_for(lambda: connection(sim)["unacked"] == [])


async def test_store_sense_refuses_face_events(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    # Subscribing both on an SS is refused (311); the channel falls back to one by one.
    sim, channel, _ = await sim_channel(make_sim, make_channel, sim={"model": "SS"})
    assert channel.subscribed_events == ["dynamic_detect_event"]
    assert connection(sim)["subscriptions"] == ["dynamic_detect_event"]


async def test_heartbeat(make_sim: SimFactory, make_channel: ChannelFactory) -> None:
    sim, channel, recorder = await sim_channel(
        make_sim, make_channel, keep_alive=1, sim={"keep_alive_unit": 1.0}
    )
    # The camera drops a client silent for 3 keep-alive periods (3 s here): it stays.
    await asyncio.sleep(4)
    assert channel.pings >= 3
    assert channel.pongs >= 3
    assert channel.connected
    assert recorder.states == [True]
    assert channel.connects == 1
    assert connection(sim)["keep_alive"] == 1


async def test_reconnect_after_drop_and_restart(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim, channel, recorder = await sim_channel(make_sim, make_channel)
    await sim.publish_motion(detect_type=1)
    await wait_for(lambda: len(recorder.events) == 1)

    assert sim.drop_channel() == 1
    await wait_for(lambda: recorder.states == [True, False, True])
    assert channel.connects == 2
    await sim.publish_motion(detect_type=2)
    await wait_for(lambda: len(recorder.events) == 2)

    sim.restart()  # event ids start at 1 again: a new event 1 is no redelivery
    await wait_for(lambda: recorder.states == [True, False, True, False, True])
    await sim.publish_motion(detect_type=3)
    await wait_for(lambda: len(recorder.events) == 3)
    assert [event["event_id"] for event in recorder.events] == [1, 2, 1]
    assert channel.connects == 3


async def test_reconnects_while_the_camera_is_down(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim, channel, recorder = await sim_channel(make_sim, make_channel)
    await sim.channel.stop()
    await wait_for(lambda: recorder.states == [True, False])
    await asyncio.sleep(0.5)  # a few refused attempts, backing off
    attempts = channel.connects
    await sim.channel.start()
    await wait_for(lambda: recorder.states == [True, False, True])
    assert channel.connects == attempts + 1


@pytest.mark.parametrize("kind", ["bad_crc", "bad_flag", "bad_json", "wrong_shape"])
async def test_corrupt_frames_are_dropped(
    make_sim: SimFactory, make_channel: ChannelFactory, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    sim, channel, recorder = await sim_channel(make_sim, make_channel, sim={"resend_seconds": 0.3})
    assert sim.send_corrupt(kind) == 1
    await sim.publish_motion(detect_type=1)
    # The corrupted PUBLISH is dropped unacknowledged; the camera's resend gets through.
    await wait_for(lambda: len(recorder.events) == 1)
    assert channel.dropped_frames >= 1
    assert channel.connected
    assert channel.connects == 1
    await sim.publish_motion(detect_type=2)
    await wait_for(lambda: len(recorder.events) == 2)
    assert "dropped a frame" in caplog.text
    assert "Traceback" not in caplog.text


async def test_truncated_frame_then_reconnect(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim, channel, recorder = await sim_channel(make_sim, make_channel)
    assert sim.send_corrupt("truncated") == 1
    await sim.publish_motion(detect_type=1)  # half a frame, then the camera closes
    await wait_for(lambda: recorder.states == [True, False, True])
    await sim.publish_motion(detect_type=2)
    await wait_for(lambda: any(event["detect_type"] == 2 for event in recorder.events))
    assert channel.connects == 2


async def test_wrong_secret_reports_auth_and_stops(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim = await make_sim(HOST)
    channel, recorder = await make_channel(
        sim.host,
        sim.channel_port,
        ssl_context_for(sim),
        sim.server_fingerprint,
        secret_key="wrong",
    )
    await wait_for(lambda: bool(recorder.auth_errors))
    await asyncio.sleep(0.5)  # backoff would have retried several times by now
    assert not channel.running
    assert [error.code for error in recorder.auth_errors] == [3]
    assert channel.auth_error is recorder.auth_errors[0]
    # Both CONNECT signature variants were tried once, then nothing more.
    assert sim.channel.disconnects.get("connack_3") == 2
    assert channel.connects == 2
    assert recorder.states == []


async def test_wrong_app_id_is_not_retried(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim = await make_sim(HOST)
    channel, recorder = await make_channel(
        sim.host, sim.channel_port, ssl_context_for(sim), sim.server_fingerprint, app_id="B"
    )
    await wait_for(lambda: bool(recorder.auth_errors))
    assert [error.code for error in recorder.auth_errors] == [7]
    assert channel.connects == 1


async def test_certificate_mismatch_never_connects(
    make_sim: SimFactory, make_channel: ChannelFactory
) -> None:
    sim = await make_sim(HOST)
    channel, recorder = await make_channel(
        sim.host, sim.channel_port, ssl_context_for(sim), "cd" * 32
    )
    # Handshakes (refused by the client after the certificate), but never a CONNECT.
    await wait_for(lambda: sum(sim.channel.disconnects.values()) >= 2)
    assert channel.running
    assert recorder.states == []
    assert sim.channel.disconnects.get("connack_0") is None


async def test_stop_sends_disconnect(make_sim: SimFactory, make_channel: ChannelFactory) -> None:
    sim, channel, recorder = await sim_channel(make_sim, make_channel)
    await channel.stop()
    assert not channel.running
    assert recorder.states == [True, False]
    await wait_for(lambda: sim.channel.disconnects.get("client_disconnect") == 1)
    await channel.stop()  # twice is fine


# --- a scripted server for what the simulator does not do -------------------------------------


@dataclass
class Script:
    """How the scripted camera behaves."""

    pong: bool = True
    crc_order: ByteOrder = "big"
    crc_header: bool = False
    empty_crc: bool = True
    publish_twice: bool = False
    received: list[int] = field(default_factory=list)


def frame(type_: int, payload: bytes, script: Script) -> bytes:
    header = CHANNEL_FLAG + bytes([1, type_]) + len(payload).to_bytes(2, "big")
    if not payload and not script.empty_crc:
        return header
    covered = header + payload if script.crc_header else payload
    return header + payload + zlib.crc32(covered).to_bytes(4, script.crc_order)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> CertBundle:
    return make_certs(Path(tmp_path_factory.mktemp("channel-certs")))


@pytest.fixture
async def scripted(certs: CertBundle) -> AsyncIterator[tuple[Script, int]]:
    script = Script()
    tasks: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        decoder = FrameDecoder()
        try:
            while data := await reader.read(4096):
                for got in decoder.feed(data):
                    script.received.append(got.type)
                    if got.type == PacketType.CONNECT:
                        writer.write(frame(PacketType.CONNACK, b'{"code":0}', script))
                    elif got.type == PacketType.SUBSCRIBE:
                        writer.write(frame(PacketType.SUBACK, b'{"code":0}', script))
                        event = json.dumps(
                            {"event_id": 7, "event_type": "dynamic_detect_event", "detect_type": 1}
                        ).encode()
                        for _ in range(2 if script.publish_twice else 1):
                            writer.write(frame(PacketType.PUBLISH, event, script))
                    elif got.type == PacketType.PINGREQ and script.pong:
                        writer.write(frame(PacketType.PINGRESP, b"", script))
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            tasks.discard(task)

    server = await asyncio.start_server(serve, HOST, 0, ssl=certs.server_context)
    yield script, server.sockets[0].getsockname()[1]
    server.close()
    for task in list(tasks):
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)
    await server.wait_closed()


def fingerprint(certs: CertBundle) -> str:
    import hashlib

    return hashlib.sha256(certs.server_der).hexdigest()


@pytest.mark.parametrize(
    ("order", "header", "empty_crc"),
    [("big", False, True), ("little", False, False), ("big", True, True), ("little", True, False)],
)
async def test_crc_variants_and_redelivery(
    scripted: tuple[Script, int],
    certs: CertBundle,
    make_channel: ChannelFactory,
    order: ByteOrder,
    header: bool,
    empty_crc: bool,
) -> None:
    script, port = scripted
    script.crc_order, script.crc_header, script.empty_crc = order, header, empty_crc
    script.publish_twice = True
    context = build_ssl_context(certs.p12, certs.password)
    channel, recorder = await make_channel(HOST, port, context, fingerprint(certs), keep_alive=1)
    await wait_for(lambda: len(recorder.events) == 1)
    await wait_for(lambda: script.received.count(PacketType.PUBACK) == 2)
    await wait_for(lambda: channel.pongs >= 1, timeout=5)  # an empty PINGRESP, too
    assert len(recorder.events) == 1  # the redelivery was acknowledged, not delivered
    assert channel.connected
    assert channel.connects == 1


async def test_missing_pingresp_is_a_dead_link(
    scripted: tuple[Script, int], certs: CertBundle, make_channel: ChannelFactory
) -> None:
    script, port = scripted
    script.pong = False
    context = build_ssl_context(certs.p12, certs.password)
    channel, recorder = await make_channel(HOST, port, context, fingerprint(certs), keep_alive=1)
    await wait_for(lambda: recorder.states[:3] == [True, False, True], timeout=8)
    assert channel.connects >= 2


def test_pin_error_of_plain_errors() -> None:
    assert pin_error_of(OSError("x")) is None
