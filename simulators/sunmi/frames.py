"""Message-channel frame layout (port 10021), reference section 2 -- all of it ASSUMED.

Frame: Flag ``FF 3E 3E FF`` | Version 1 | Packet Type | Length (u16 BE) | raw UTF-8 JSON |
CRC-32 (zlib).  The seed says the CRC is "of payload"; whether the header is covered and
the CRC byte order are not stated, so both are the constants below and nothing else in
the simulator knows them.  Empty payloads give CRC ``00000000``.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from enum import IntEnum
from typing import Literal

FLAG = b"\xff\x3e\x3e\xff"
VERSION = 0x01
HEADER = struct.Struct(">4sBBH")
CRC_SIZE = 4
CRC_BYTEORDER: Literal["big", "little"] = "big"  # ASSUMPTION
CRC_COVERS_HEADER = False  # ASSUMPTION: CRC-32 of the payload only ("CRC ... of payload")
MAX_PAYLOAD = 0xFFFF


class PacketType(IntEnum):
    """Packet types (seed table)."""

    CONNECT = 1
    CONNACK = 2
    PINGREQ = 3
    PINGRESP = 4
    SUBSCRIBE = 5
    SUBACK = 6
    UNSUBSCRIBE = 7
    UNSUBACK = 8
    PUBLISH = 9
    PUBACK = 10
    DISCONNECT = 11


# Section 2.6 says DISCONNECT is "0x11"; the table says 11.  A client's 0x11 is honoured too.
DISCONNECT_TYPES = frozenset({PacketType.DISCONNECT, 0x11})
CORRUPT_KINDS = ("bad_crc", "bad_flag", "truncated", "bad_json", "wrong_shape")
BAD_JSON = b'{"event_id":1,"event_type":'
WRONG_SHAPE = b'["dynamic_detect_event",1]'


class FrameError(Exception):
    """A frame that breaks the layout (flag, version, CRC)."""


def crc(header: bytes, payload: bytes) -> bytes:
    """The four CRC bytes for a frame."""
    covered = header + payload if CRC_COVERS_HEADER else payload
    return (zlib.crc32(covered) & 0xFFFFFFFF).to_bytes(CRC_SIZE, CRC_BYTEORDER)


def encode(packet_type: int, payload: bytes = b"") -> bytes:
    """A complete frame."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError("payload longer than 65535 bytes")
    header = HEADER.pack(FLAG, VERSION, packet_type, len(payload))
    return header + payload + crc(header, payload)


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Read one frame; FrameError on a bad flag/version/CRC, IncompleteReadError on EOF."""
    header = await reader.readexactly(HEADER.size)
    flag, version, packet_type, length = HEADER.unpack(header)
    if flag != FLAG:
        raise FrameError(f"bad flag {flag.hex()}")
    if version != VERSION:
        raise FrameError(f"bad version {version}")
    rest = await reader.readexactly(length + CRC_SIZE)
    payload, checksum = rest[:length], rest[length:]
    if checksum != crc(header, payload):
        raise FrameError("bad CRC")
    return packet_type, payload


def corrupt(kind: str, packet_type: int, payload: bytes) -> bytes:
    """A deliberately broken version of the frame ``encode(packet_type, payload)``."""
    if kind == "bad_json":
        return encode(packet_type, BAD_JSON)
    if kind == "wrong_shape":
        return encode(packet_type, WRONG_SHAPE)
    frame = encode(packet_type, payload)
    if kind == "bad_crc":
        return frame[:-1] + bytes([frame[-1] ^ 0xFF])
    if kind == "bad_flag":
        return b"\xff\x3e\x3e\xfe" + frame[4:]
    if kind == "truncated":
        return frame[: max(HEADER.size - 2, len(frame) // 2)]
    raise ValueError(f"unknown corruption {kind!r}; expected one of {CORRUPT_KINDS}")
