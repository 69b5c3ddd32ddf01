"""UDP discovery of three simulated cameras on 127.0.0.31-33 (targets given, never broadcast)."""

from __future__ import annotations

import asyncio
import base64
import json
import zlib
from collections.abc import AsyncIterator, Mapping

import pytest

from custom_components.business_cameras.api.sunmi.codec import (
    ByteOrder,
    DiscoveryType,
    encode_discovery,
)
from custom_components.business_cameras.api.sunmi.discovery import (
    DiscoveredCamera,
    broadcast_targets,
    discover,
    parse_reply,
)

from .conftest import SimFactory

HOSTS = ("127.0.0.31", "127.0.0.32", "127.0.0.33")


async def scan(targets: list[str]) -> list[DiscoveredCamera]:
    """A quick scan from an ephemeral port on 127.0.0.1."""
    return await discover(
        targets, attempts=2, interval=0.05, wait=0.5, bind_host="127.0.0.1", bind_port=0
    )


async def test_three_cameras(make_sim: SimFactory) -> None:
    sims = [
        await make_sim(HOSTS[0], model="FS", sn="FS101D8BS00001"),
        await make_sim(HOSTS[1], model="SS", sn="SS101D8BS00002"),
        await make_sim(HOSTS[2], model="FS", sn="FS101D8BS00003"),
    ]
    targets = [f"{sim.host}:{sim.discovery_port}" for sim in sims]
    cameras = await scan(targets)
    assert [(c.sn, c.ip, c.model, c.firmware) for c in cameras] == [
        ("FS101D8BS00001", "127.0.0.31", "FM020", "1.2.3"),
        ("FS101D8BS00003", "127.0.0.33", "FM020", "1.2.3"),
        ("SS101D8BS00002", "127.0.0.32", "FM010", "1.2.3"),
    ]
    first = cameras[0]
    assert first.mac == sims[0].device.mac.upper()
    assert (first.name, first.network) == ("SUNMI", "LAN")
    # Every attempt reached every camera (doc form, then doc + app form): deduplicated by SN.
    assert all(sim.discovery is not None and sim.discovery.answered >= 2 for sim in sims)


async def test_nobody_answers() -> None:
    assert await scan(["127.0.0.31:9"]) == []


class FakeCamera(asyncio.DatagramProtocol):
    """Answers every datagram with canned replies (bad ones, foreign devices, duplicates)."""

    def __init__(self, replies: list[bytes]) -> None:
        self.replies = replies
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        assert self.transport is not None
        for reply in self.replies:
            self.transport.sendto(reply, addr)


@pytest.fixture
async def fake_camera() -> AsyncIterator[tuple[FakeCamera, int]]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: FakeCamera([]), local_addr=(HOSTS[0], 0)
    )
    yield protocol, transport.get_extra_info("sockname")[1]
    transport.close()


def reply(payload: Mapping[str, object], order: ByteOrder = "big") -> bytes:
    data = encode_discovery(DiscoveryType.RESPONSE, payload)
    crc = int.from_bytes(data[-4:], "big")
    return data[:-4] + crc.to_bytes(4, order)


async def test_malformed_foreign_and_duplicate_replies(
    fake_camera: tuple[FakeCamera, int],
) -> None:
    camera, port = fake_camera
    ipc = {"type": "IPC", "deviceid": "FS1", "model": "FM020", "mac": "aa:bb:cc:dd:ee:ff"}
    text = base64.b64encode(json.dumps(ipc).encode())
    body = bytes.fromhex("ffff33ff0102") + len(text).to_bytes(2, "big") + text
    bad_crc = body + ((zlib.crc32(body) + 1) & 0xFFFFFFFF).to_bytes(4, "big")
    camera.replies = [
        b"garbage",
        bad_crc,
        reply({"type": "ROUTER", "deviceid": "W1"}),
        reply({"type": "IPC"}),  # no SN
        encode_discovery(DiscoveryType.REQUEST),  # another scanner's request
        reply(ipc, "little"),
        reply(ipc),
    ]
    cameras = await scan([f"{HOSTS[0]}:{port}"])
    assert cameras == [
        DiscoveredCamera(
            sn="FS1",
            ip=HOSTS[0],  # no "ip" in the reply: the sender's address
            mac="AA:BB:CC:DD:EE:FF",
            model="FM020",
            firmware=None,
            name=None,
            network=None,
        )
    ]


def test_parse_reply_filters_on_type() -> None:
    assert parse_reply({"type": "ipc", "deviceid": "X", "ip": "10.0.0.2"}, "10.0.0.9") is not None
    assert parse_reply({"type": "POS", "deviceid": "X"}, "10.0.0.9") is None


def test_broadcast_targets_are_strings() -> None:
    targets = broadcast_targets()
    assert targets
    assert all(isinstance(target, str) for target in targets)


async def test_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="attempts"):
        await discover(["127.0.0.31"], attempts=0)


async def test_concurrent_scans_on_the_doc_port(make_sim: SimFactory) -> None:
    # Both scans ask for the doc's port (here a free one); the second falls back.
    sim = await make_sim(HOSTS[1], model="SS", sn="SS101D8BS00002")
    target = [f"{sim.host}:{sim.discovery_port}"]
    probe = await asyncio.get_running_loop().create_datagram_endpoint(
        asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
    )
    free_port = probe[0].get_extra_info("sockname")[1]
    probe[0].close()

    async def scan_doc_port() -> list[DiscoveredCamera]:
        return await discover(
            target, port=free_port, attempts=2, interval=0.05, wait=0.5, bind_host="127.0.0.1"
        )

    first, second = await asyncio.gather(scan_doc_port(), scan_doc_port())
    assert [c.sn for c in first] == [c.sn for c in second] == ["SS101D8BS00002"]
