"""Binary wire formats: UDP discovery datagrams and message-channel frames.

Discovery (reference §1, sourced): ``FF FF 33 FF | ver | type | Len (BE) | base64(JSON) |
CRC-32 (BE) over header + payload``.

Message channel (reference §2, layout ASSUMED): ``FF 3E 3E FF | ver | type | Length (BE) |
UTF-8 JSON | CRC-32``. What the CRC covers and its byte order are not documented; the encoder
uses ``CHANNEL_CRC`` below and the decoder accepts every variant in ``CHANNEL_CRC_VARIANTS``,
logging at debug level which one the device used.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final, Literal

from .errors import BadCrcError, BadFlagError, BadPayloadError, FrameError, TruncatedError

_LOGGER = logging.getLogger(__name__)

ByteOrder = Literal["big", "little"]

# --- discovery -------------------------------------------------------------------------------

DISCOVERY_FLAG: Final = b"\xff\xff\x33\xff"
DISCOVERY_VERSION: Final = 1
DISCOVERY_PORT: Final = 10001
DISCOVERY_OVERHEAD: Final = 12  # header 8 + CRC 4
# The Sunmi Assistant app sends this payload; the doc says a request has none (Len 0).
APP_REQUEST_PAYLOAD: Final[Mapping[str, str]] = {"reserve": "111"}
_DISCOVERY_HEADER: Final = struct.Struct(">4sBBH")


class DiscoveryType(IntEnum):
    """Byte 5 of a discovery datagram."""

    REQUEST = 1
    RESPONSE = 2


@dataclass(frozen=True, slots=True)
class DiscoveryMessage:
    """A decoded discovery datagram (``payload`` is ``None`` when it carries none)."""

    type: int
    version: int
    payload: dict[str, Any] | None
    crc_byteorder: ByteOrder


def _crc(data: bytes) -> int:
    return zlib.crc32(data) & 0xFFFFFFFF


def encode_discovery(type_: int, payload: Mapping[str, Any] | None = None) -> bytes:
    """Build a datagram; ``payload`` is JSON, base64-encoded (none: Len 0)."""
    text = b""
    if payload is not None:
        raw = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False)
        text = base64.b64encode(raw.encode("utf-8"))
    if len(text) > 0xFFFF:
        raise ValueError("discovery payload too long")
    body = _DISCOVERY_HEADER.pack(DISCOVERY_FLAG, DISCOVERY_VERSION, type_, len(text)) + text
    return body + _crc(body).to_bytes(4, "big")


def discovery_request() -> bytes:
    """The request as the document describes it: type 1, Len 0, no payload."""
    return encode_discovery(DiscoveryType.REQUEST)


def discovery_request_app() -> bytes:
    """The request as the Sunmi Assistant app sends it: base64 of ``{"reserve":"111"}``."""
    return encode_discovery(DiscoveryType.REQUEST, APP_REQUEST_PAYLOAD)


def decode_discovery(data: bytes) -> DiscoveryMessage:
    """Check flag, CRC (big-endian, else little-endian) and decode the base64 JSON payload."""
    if len(data) < DISCOVERY_OVERHEAD:
        raise TruncatedError(f"discovery: {len(data)} bytes, shorter than a header and CRC")
    flag, version, type_, length = _DISCOVERY_HEADER.unpack_from(data)
    if flag != DISCOVERY_FLAG:
        raise BadFlagError(f"discovery: flag {flag.hex()} is not {DISCOVERY_FLAG.hex()}")
    end = 8 + length
    if end + 4 != len(data):
        # The app ignores Len and takes the payload as "datagram length - 12"; do the same.
        _LOGGER.debug(
            "discovery: Len %s does not match the datagram (%s bytes); using the datagram",
            length,
            len(data),
        )
        end = len(data) - 4
    covered, given = data[:end], data[end : end + 4]
    computed = _crc(covered)
    if given == computed.to_bytes(4, "big"):
        order: ByteOrder = "big"
    elif given == computed.to_bytes(4, "little"):
        order = "little"
        _LOGGER.debug("discovery: CRC matched little-endian")
    else:
        raise BadCrcError(f"discovery: CRC {given.hex()} does not match {computed:08x}")
    text = data[8:end]
    payload = None
    if text:
        try:
            decoded = json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError, ValueError) as err:
            raise BadPayloadError(f"discovery: payload is not base64 JSON ({err})") from None
        if not isinstance(decoded, dict):
            raise BadPayloadError("discovery: payload is not a JSON object")
        payload = decoded
    return DiscoveryMessage(type=type_, version=version, payload=payload, crc_byteorder=order)


# --- message channel ---------------------------------------------------------------------------

CHANNEL_FLAG: Final = b"\xff\x3e\x3e\xff"
CHANNEL_VERSION: Final = 1
CHANNEL_PORT: Final = 10021
HEADER_SIZE: Final = 8
CRC_SIZE: Final = 4
MAX_PAYLOAD: Final = 0xFFFF
_CHANNEL_HEADER: Final = struct.Struct(">4sBBH")

CrcScope = Literal["payload", "header+payload"]
# ASSUMPTION (reference §2): the doc says "CRC of payload"; byte order as in discovery. The
# encoder uses this variant; change it here if a device proves otherwise.
CHANNEL_CRC: Final[tuple[CrcScope, ByteOrder]] = ("payload", "big")
# The decoder tries these in order and logs which one matched.
CHANNEL_CRC_VARIANTS: Final[tuple[tuple[CrcScope, ByteOrder], ...]] = (
    ("payload", "big"),
    ("header+payload", "big"),
    ("payload", "little"),
    ("header+payload", "little"),
)


class PacketType(IntEnum):
    """Byte 5 of a message-channel frame (seed table)."""

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


@dataclass(frozen=True, slots=True)
class Frame:
    """One message-channel frame. ``crc`` tells which variant matched (``none``: no CRC)."""

    type: int
    payload: bytes = b""
    version: int = CHANNEL_VERSION
    crc: str = "payload/big"

    def json(self) -> dict[str, Any]:
        """The payload as a JSON object (``{}`` when empty); BadPayloadError otherwise."""
        if not self.payload:
            return {}
        try:
            data = json.loads(self.payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise BadPayloadError(f"{_type_name(self.type)}: payload is not JSON ({err})") from None
        if not isinstance(data, dict):
            raise BadPayloadError(f"{_type_name(self.type)}: payload is not a JSON object")
        return data


def _type_name(type_: int) -> str:
    try:
        return PacketType(type_).name
    except ValueError:
        return f"type {type_}"


def _channel_crc(header: bytes, payload: bytes, scope: CrcScope, order: ByteOrder) -> bytes:
    covered = header + payload if scope == "header+payload" else payload
    return _crc(covered).to_bytes(4, order)


def encode_frame(type_: int, payload: Mapping[str, Any] | bytes | None = None) -> bytes:
    """Build a frame: JSON payload (or raw bytes), length big-endian, CRC per ``CHANNEL_CRC``."""
    if payload is None:
        body = b""
    elif isinstance(payload, bytes):
        body = payload
    else:
        body = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False).encode()
    if len(body) > MAX_PAYLOAD:
        raise ValueError(f"frame payload of {len(body)} bytes exceeds {MAX_PAYLOAD}")
    header = _CHANNEL_HEADER.pack(CHANNEL_FLAG, CHANNEL_VERSION, type_, len(body))
    return header + body + _channel_crc(header, body, *CHANNEL_CRC)


def _valid_type(type_: int) -> bool:
    return PacketType.CONNECT <= type_ <= PacketType.DISCONNECT


def _match_crc(header: bytes, payload: bytes, given: bytes) -> str | None:
    for scope, order in CHANNEL_CRC_VARIANTS:
        if given == _channel_crc(header, payload, scope, order):
            return f"{scope}/{order}"
    return None


def _empty_crcs(header: bytes) -> set[bytes]:
    """Every CRC an empty-payload frame may carry (``00000000`` under the payload variants)."""
    return {_channel_crc(header, b"", scope, order) for scope, order in CHANNEL_CRC_VARIANTS}


def decode_frame(data: bytes) -> Frame:
    """Decode exactly one complete frame (Length 0 may come with or without its CRC)."""
    if len(data) < HEADER_SIZE:
        if CHANNEL_FLAG.startswith(data[:4]):
            raise TruncatedError(f"frame: {len(data)} bytes, shorter than a header")
        raise BadFlagError(f"frame: flag {data[:4].hex()} is not {CHANNEL_FLAG.hex()}")
    flag, version, type_, length = _CHANNEL_HEADER.unpack_from(data)
    if flag != CHANNEL_FLAG:
        raise BadFlagError(f"frame: flag {flag.hex()} is not {CHANNEL_FLAG.hex()}")
    if not _valid_type(type_):
        raise FrameError(f"frame: unknown packet type {type_}")
    header = data[:HEADER_SIZE]
    if length == 0 and len(data) == HEADER_SIZE:
        return Frame(type_, b"", version, "none")
    if len(data) < HEADER_SIZE + length + CRC_SIZE:
        raise TruncatedError(
            f"frame: {len(data)} bytes, {_type_name(type_)} needs {HEADER_SIZE + length + 4}"
        )
    if len(data) > HEADER_SIZE + length + CRC_SIZE:
        raise FrameError(f"frame: {len(data) - HEADER_SIZE - length - 4} bytes after the CRC")
    payload = data[HEADER_SIZE : HEADER_SIZE + length]
    given = data[HEADER_SIZE + length :]
    variant = _match_crc(header, payload, given)
    if variant is None:
        raise BadCrcError(f"frame: {_type_name(type_)} CRC {given.hex()} matches no variant")
    return Frame(type_, payload, version, variant)


class FrameDecoder:
    """Turn a byte stream into frames, resynchronising on the flag after anything malformed.

    ``feed`` yields every complete frame; what is dropped (garbage, bad CRC, a frame cut short
    by the next flag) goes to ``on_error``. ``strict_crc=False`` passes frames with a bad CRC on
    (for bring-up with a device whose CRC variant is unknown), still reporting them.
    """

    def __init__(
        self,
        on_error: Callable[[FrameError], None] | None = None,
        *,
        strict_crc: bool = True,
    ) -> None:
        """Start with an empty buffer."""
        self._buffer = bytearray()
        self._on_error = on_error
        self._strict_crc = strict_crc
        # After a Length-0 frame emitted before its (optional) CRC arrived: the CRCs to skip.
        self._trailing_crcs: set[bytes] = set()
        self._crc_seen: str | None = None

    @property
    def buffered(self) -> int:
        """Bytes held back, waiting for the rest of a frame."""
        return len(self._buffer)

    def _error(self, error: FrameError) -> None:
        if self._on_error is not None:
            self._on_error(error)

    def feed(self, data: bytes) -> Iterator[Frame]:
        """Add ``data`` and yield every frame it completes."""
        self._buffer += data
        while True:
            frame = self._next()
            if frame is None:
                return
            yield frame

    def _skip_trailing_crc(self) -> bool:
        """Consume the optional CRC of the last empty frame; False while it may be incomplete."""
        if not self._trailing_crcs:
            return True
        head = bytes(self._buffer[:CRC_SIZE])
        if len(head) < CRC_SIZE and any(crc.startswith(head) for crc in self._trailing_crcs):
            return not head  # wait only when some of it is already here
        if head in self._trailing_crcs:
            del self._buffer[:CRC_SIZE]
        self._trailing_crcs = set()
        return True

    def _resync(self, start: int = 0) -> bool:
        """Drop bytes before the next flag at or after ``start``; False if none is buffered."""
        index = self._buffer.find(CHANNEL_FLAG, start)
        if index < 0:
            # Keep a tail that may be the start of a flag split across reads.
            keep = 0
            for size in range(min(3, len(self._buffer)), 0, -1):
                if CHANNEL_FLAG.startswith(bytes(self._buffer[-size:])):
                    keep = size
                    break
            dropped = len(self._buffer) - keep
            if dropped:
                self._error(BadFlagError(f"frame: {dropped} bytes without a flag dropped"))
                del self._buffer[:dropped]
            return False
        if index:
            self._error(BadFlagError(f"frame: {index} bytes before the flag dropped"))
            del self._buffer[:index]
        return True

    def _next(self) -> Frame | None:
        while True:
            if not self._skip_trailing_crc():
                return None
            if not self._buffer:
                return None
            if not self._buffer.startswith(CHANNEL_FLAG) and not self._resync():
                return None
            if len(self._buffer) < HEADER_SIZE:
                return None
            _, version, type_, length = _CHANNEL_HEADER.unpack_from(self._buffer)
            if not _valid_type(type_):
                self._error(FrameError(f"frame: unknown packet type {type_}; resynchronising"))
                self._resync(1)
                continue
            header = bytes(self._buffer[:HEADER_SIZE])
            # UTF-8 never contains 0xFF: a flag inside the payload means this frame was cut short.
            cut = self._buffer.find(CHANNEL_FLAG, 1, HEADER_SIZE + length)
            if cut > 0:
                self._error(
                    TruncatedError(f"frame: {_type_name(type_)} cut short after {cut} bytes")
                )
                del self._buffer[:cut]
                continue
            if length == 0:
                del self._buffer[:HEADER_SIZE]
                self._trailing_crcs = _empty_crcs(header)
                return Frame(type_, b"", version, "none")
            total = HEADER_SIZE + length + CRC_SIZE
            if len(self._buffer) < total:
                return None
            payload = bytes(self._buffer[HEADER_SIZE : HEADER_SIZE + length])
            given = bytes(self._buffer[HEADER_SIZE + length : total])
            variant = _match_crc(header, payload, given)
            if variant is None:
                error = BadCrcError(
                    f"frame: {_type_name(type_)} CRC {given.hex()} matches no variant"
                )
                self._error(error)
                if self._strict_crc:
                    self._resync(1)
                    continue
                variant = "bad"
            del self._buffer[:total]
            if variant not in (self._crc_seen, "bad"):
                _LOGGER.debug("message channel: CRC variant %s", variant)
                self._crc_seen = variant
            return Frame(type_, payload, version, variant)
