"""SUNMI Device Discovery Protocol (UDP 10001), reference section 1.

Datagram: Flag ``FF FF 33 FF`` | Version 1 | Type (1 request, 2 response) | Len (u16 BE,
length of the base64 text) | base64(JSON) | CRC-32 (zlib) over header+payload, big-endian.
A request is answered unicast to its sender; anything else is dropped silently.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import struct
import zlib
from collections.abc import Callable
from typing import Any, Literal

_LOGGER = logging.getLogger(__name__)

FLAG = b"\xff\xff\x33\xff"
VERSION = 0x01
TYPE_REQUEST = 0x01
TYPE_RESPONSE = 0x02
HEADER = struct.Struct(">4sBBH")
CRC_SIZE = 4
CRC_BYTEORDER: Literal["big", "little"] = (
    "big"  # what the device sends; requests are also accepted little-endian
)


def crc32(data: bytes) -> int:
    """CRC-32 as java.util.zip.CRC32 / zlib."""
    return zlib.crc32(data) & 0xFFFFFFFF


def encode(packet_type: int, payload: bytes) -> bytes:
    """A complete datagram around an (already base64) payload."""
    body = HEADER.pack(FLAG, VERSION, packet_type, len(payload)) + payload
    return body + crc32(body).to_bytes(CRC_SIZE, CRC_BYTEORDER)


def decode(datagram: bytes) -> tuple[int, bytes] | None:
    """(type, base64 payload) of a well-formed datagram, else None."""
    if len(datagram) < HEADER.size + CRC_SIZE:
        return None
    flag, version, packet_type, length = HEADER.unpack_from(datagram)
    if flag != FLAG or version != VERSION:
        return None
    if len(datagram) != HEADER.size + length + CRC_SIZE:
        return None  # truncated, or trailing bytes
    body, crc = datagram[:-CRC_SIZE], datagram[-CRC_SIZE:]
    expected = crc32(body)
    if crc not in (expected.to_bytes(4, "big"), expected.to_bytes(4, "little")):
        return None
    return packet_type, body[HEADER.size :]


def is_request(datagram: bytes) -> bool:
    """A valid discovery request: empty payload (doc) or base64 of a JSON object (app)."""
    decoded = decode(datagram)
    if decoded is None or decoded[0] != TYPE_REQUEST:
        return False
    payload = decoded[1]
    if not payload:
        return True
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):
        return False
    return isinstance(data, dict)


def response(info: dict[str, Any]) -> bytes:
    """The type-2 datagram carrying the device's JSON."""
    text = json.dumps(info, separators=(",", ":")).encode()
    return encode(TYPE_RESPONSE, base64.b64encode(text))


class DiscoveryProtocol(asyncio.DatagramProtocol):
    """Answers discovery requests from loopback senders (any sender inside a test netns)."""

    def __init__(self, info: Callable[[], dict[str, Any]], *, any_sender: bool = False) -> None:
        """``info`` builds the reply JSON when a request arrives."""
        self._info = info
        self._any_sender = any_sender
        self.transport: asyncio.DatagramTransport | None = None
        self.answered = 0
        self.dropped = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport."""
        assert isinstance(transport, asyncio.DatagramTransport)
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        """Answer a valid request unicast; drop everything else."""
        allowed = self._any_sender or str(addr[0]).startswith("127.")
        if self.transport is None or not allowed or not is_request(data):
            self.dropped += 1
            _LOGGER.debug("Discovery: dropped %d bytes from %s", len(data), addr)
            return
        self.answered += 1
        self.transport.sendto(response(self._info()), addr)
