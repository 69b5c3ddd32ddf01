"""Discovery datagrams and message-channel frames: doc vectors, round trips, corrupt input."""

from __future__ import annotations

import base64
import contextlib
import json
import random
import string
import zlib
from typing import Any

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.sunmi.codec import (
    CHANNEL_FLAG,
    ByteOrder,
    DiscoveryType,
    Frame,
    FrameDecoder,
    PacketType,
    decode_discovery,
    decode_frame,
    discovery_request,
    discovery_request_app,
    encode_discovery,
    encode_frame,
)
from custom_components.business_cameras.api.sunmi.errors import (
    BadCrcError,
    BadFlagError,
    BadPayloadError,
    FrameError,
    TruncatedError,
)

# Reference §1/§2 test vectors.
DOC_REQUEST = bytes.fromhex("ffff33ff 01 01 0000 20ab2c62")
APP_REQUEST = (
    bytes.fromhex("ffff33ff 01 01 0018") + b"eyJyZXNlcnZlIjoiMTExIn0=" + bytes.fromhex("37947cfe")
)
PINGREQ = bytes.fromhex("ff3e3eff 01 03 0000 00000000")
CONNACK_OK = bytes.fromhex("ff3e3eff 01 02 000a 7b22636f6465223a307d 723cae98")

RNG = random.Random(20240601)


def random_json(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """A random JSON object with unicode text, numbers, lists and nesting."""
    alphabet = string.ascii_letters + string.digits + ' _-:/?&=äöü中文€"\\'
    result: dict[str, Any] = {}
    for _ in range(rng.randint(0, 6)):
        key = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        kind = rng.randint(0, 4 if depth < 2 else 2)
        value: Any
        if kind == 0:
            value = rng.randint(-(2**40), 2**40)
        elif kind == 1:
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        elif kind == 2:
            value = rng.choice([True, False, None, 1.5])
        elif kind == 3:
            value = [rng.randint(0, 9) for _ in range(rng.randint(0, 5))]
        else:
            value = random_json(rng, depth + 1)
        result[key] = value
    return result


# --- discovery -----------------------------------------------------------------------------


def test_doc_request_vector() -> None:
    assert discovery_request() == DOC_REQUEST
    message = decode_discovery(DOC_REQUEST)
    assert message.type == DiscoveryType.REQUEST
    assert message.payload is None
    assert message.crc_byteorder == "big"


def test_app_request_vector() -> None:
    assert discovery_request_app() == APP_REQUEST
    assert zlib.crc32(APP_REQUEST[:-4]) == 0x37947CFE
    assert decode_discovery(APP_REQUEST).payload == {"reserve": "111"}


def test_discovery_reply_from_the_doc() -> None:
    reply = {
        "ip": "192.168.103.198",
        "mac": "04:12:24:E3:45:12",
        "firmware": "1.0.0",
        "name": "SUNMI",
        "model": "FM020",
        "type": "IPC",
        "network": "LAN",
        "deviceid": "FS101D8BS00106",
    }
    data = encode_discovery(DiscoveryType.RESPONSE, reply)
    assert data[:8] == bytes.fromhex("ffff33ff0102") + (len(data) - 12).to_bytes(2, "big")
    assert base64.b64decode(data[8:-4]) == json.dumps(reply, separators=(",", ":")).encode()
    message = decode_discovery(data)
    assert message.type == DiscoveryType.RESPONSE
    assert message.payload == reply


def test_discovery_round_trips() -> None:
    for _ in range(300):
        payload = random_json(RNG)
        type_ = RNG.choice([1, 2])
        message = decode_discovery(encode_discovery(type_, payload))
        assert (message.type, message.payload) == (type_, payload)


def test_discovery_accepts_little_endian_crc() -> None:
    data = encode_discovery(DiscoveryType.RESPONSE, {"type": "IPC", "deviceid": "X"})
    little = data[:-4] + int.from_bytes(data[-4:], "big").to_bytes(4, "little")
    message = decode_discovery(little)
    assert message.crc_byteorder == "little"
    assert message.payload == {"type": "IPC", "deviceid": "X"}


def test_discovery_ignores_a_wrong_len_like_the_app() -> None:
    data = bytearray(encode_discovery(DiscoveryType.RESPONSE, {"a": 1}))
    data[6:8] = b"\x00\x01"  # Len lies; the CRC covers the lie
    body = bytes(data[:-4])
    fixed = body + zlib.crc32(body).to_bytes(4, "big")
    assert decode_discovery(fixed).payload == {"a": 1}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", TruncatedError),
        (DOC_REQUEST[:11], TruncatedError),
        (b"\xff\xff\x34\xff" + DOC_REQUEST[4:], BadFlagError),
        (DOC_REQUEST[:-1] + b"\x00", BadCrcError),
    ],
)
def test_discovery_corrupt(data: bytes, error: type[FrameError]) -> None:
    with pytest.raises(error):
        decode_discovery(data)


def test_discovery_payload_not_base64_json() -> None:
    for text in (b"!!!!", base64.b64encode(b"[1,2]"), base64.b64encode(b"\xff\xfe")):
        body = bytes.fromhex("ffff33ff0102") + len(text).to_bytes(2, "big") + text
        with pytest.raises(BadPayloadError):
            decode_discovery(body + zlib.crc32(body).to_bytes(4, "big"))


def test_discovery_random_bytes_never_crash() -> None:
    for _ in range(500):
        data = RNG.randbytes(RNG.randint(0, 60))
        if RNG.random() < 0.5:
            data = b"\xff\xff\x33\xff" + data
        with contextlib.suppress(ProtocolError):
            decode_discovery(data)


# --- message channel -----------------------------------------------------------------------


def test_pingreq_vector() -> None:
    assert encode_frame(PacketType.PINGREQ) == PINGREQ
    assert decode_frame(PINGREQ) == Frame(PacketType.PINGREQ, b"", 1, "payload/big")


def test_connack_vector() -> None:
    assert encode_frame(PacketType.CONNACK, {"code": 0}) == CONNACK_OK
    frame = decode_frame(CONNACK_OK)
    assert frame.type == PacketType.CONNACK
    assert frame.json() == {"code": 0}
    assert frame.crc == "payload/big"


def test_packet_types_are_the_seed_table() -> None:
    assert [(t.name, t.value) for t in PacketType] == [
        ("CONNECT", 1),
        ("CONNACK", 2),
        ("PINGREQ", 3),
        ("PINGRESP", 4),
        ("SUBSCRIBE", 5),
        ("SUBACK", 6),
        ("UNSUBSCRIBE", 7),
        ("UNSUBACK", 8),
        ("PUBLISH", 9),
        ("PUBACK", 10),
        ("DISCONNECT", 11),
    ]


def _with_crc(header: bytes, payload: bytes, scope: str, order: ByteOrder) -> bytes:
    covered = header + payload if scope == "header+payload" else payload
    return header + payload + zlib.crc32(covered).to_bytes(4, order)


@pytest.mark.parametrize(
    ("scope", "order"),
    [
        ("payload", "big"),
        ("header+payload", "big"),
        ("payload", "little"),
        ("header+payload", "little"),
    ],
)
def test_every_crc_variant_is_accepted(scope: str, order: ByteOrder) -> None:
    payload = b'{"code":0}'
    header = CHANNEL_FLAG + bytes([1, PacketType.CONNACK]) + len(payload).to_bytes(2, "big")
    frame = decode_frame(_with_crc(header, payload, scope, order))
    assert frame.json() == {"code": 0}
    assert frame.crc == f"{scope}/{order}"
    [streamed] = list(FrameDecoder().feed(_with_crc(header, payload, scope, order)))
    assert streamed.crc == f"{scope}/{order}"


def test_empty_frame_without_crc() -> None:
    bare = PINGREQ[:8]
    assert decode_frame(bare) == Frame(PacketType.PINGREQ, b"", 1, "none")
    decoder = FrameDecoder()
    frames = list(decoder.feed(bare + CONNACK_OK + bare))
    assert [f.type for f in frames] == [PacketType.PINGREQ, PacketType.CONNACK, PacketType.PINGREQ]
    assert decoder.buffered == 0


def test_empty_frame_crc_split_across_reads() -> None:
    errors: list[FrameError] = []
    decoder = FrameDecoder(errors.append)
    assert [f.type for f in decoder.feed(PINGREQ[:10])] == [PacketType.PINGREQ]
    assert list(decoder.feed(PINGREQ[10:])) == []
    assert [f.type for f in decoder.feed(CONNACK_OK)] == [PacketType.CONNACK]
    assert errors == []


def test_frame_round_trips_through_random_splits() -> None:
    for _ in range(100):
        frames = []
        for _ in range(RNG.randint(1, 8)):
            type_ = RNG.choice(list(PacketType))
            payload = None if RNG.random() < 0.3 else random_json(RNG)
            frames.append((type_, payload))
        stream = b"".join(encode_frame(t, p) for t, p in frames)
        errors: list[FrameError] = []
        decoder = FrameDecoder(errors.append)
        got: list[Frame] = []
        position = 0
        while position < len(stream):
            step = RNG.randint(1, 40)
            got.extend(decoder.feed(stream[position : position + step]))
            position += step
        assert errors == []
        assert [(f.type, f.json()) for f in got] == [(t, p or {}) for t, p in frames]


def test_decoder_resynchronises_after_garbage() -> None:
    errors: list[FrameError] = []
    decoder = FrameDecoder(errors.append)
    frames = list(decoder.feed(b"garbage\x00\xff\x3e" + CONNACK_OK + b"\x01\x02" + PINGREQ))
    assert [f.type for f in frames] == [PacketType.CONNACK, PacketType.PINGREQ]
    assert all(isinstance(e, BadFlagError) for e in errors)
    assert len(errors) == 2


def test_decoder_keeps_a_split_flag() -> None:
    decoder = FrameDecoder()
    assert list(decoder.feed(b"junk" + CONNACK_OK[:2])) == []
    assert [f.type for f in decoder.feed(CONNACK_OK[2:])] == [PacketType.CONNACK]


def test_decoder_drops_bad_crc_and_continues() -> None:
    errors: list[FrameError] = []
    decoder = FrameDecoder(errors.append)
    bad = CONNACK_OK[:-1] + bytes([CONNACK_OK[-1] ^ 1])
    frames = list(decoder.feed(bad + PINGREQ))
    assert [f.type for f in frames] == [PacketType.PINGREQ]
    assert any(isinstance(e, BadCrcError) for e in errors)


def test_decoder_lenient_crc_passes_frames_on() -> None:
    errors: list[FrameError] = []
    decoder = FrameDecoder(errors.append, strict_crc=False)
    bad = CONNACK_OK[:-1] + bytes([CONNACK_OK[-1] ^ 1])
    [frame] = list(decoder.feed(bad))
    assert frame.crc == "bad"
    assert frame.json() == {"code": 0}
    assert isinstance(errors[0], BadCrcError)


def test_decoder_drops_a_frame_cut_short_by_the_next_flag() -> None:
    errors: list[FrameError] = []
    decoder = FrameDecoder(errors.append)
    publish = encode_frame(PacketType.PUBLISH, {"event_id": 1, "event_type": "x"})
    frames = list(decoder.feed(publish[:15] + PINGREQ + CONNACK_OK))
    assert [f.type for f in frames] == [PacketType.PINGREQ, PacketType.CONNACK]
    assert any(isinstance(e, TruncatedError) for e in errors)


def test_decoder_skips_unknown_packet_types() -> None:
    errors: list[FrameError] = []
    decoder = FrameDecoder(errors.append)
    bogus = CHANNEL_FLAG + bytes([1, 0x42, 0, 0])
    assert [f.type for f in decoder.feed(bogus + PINGREQ)] == [PacketType.PINGREQ]
    assert errors


def test_bad_json_payload_is_a_typed_error() -> None:
    frame = decode_frame(encode_frame(PacketType.PUBLISH, b"{not json"))
    with pytest.raises(BadPayloadError):
        frame.json()
    with pytest.raises(BadPayloadError):
        decode_frame(encode_frame(PacketType.PUBLISH, b"[1]")).json()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\xff\x3e", TruncatedError),
        (CONNACK_OK[:-2], TruncatedError),
        (b"\xff\x3e\x3e\xfe" + CONNACK_OK[4:], BadFlagError),
        (b"abcdefgh", BadFlagError),
        (CONNACK_OK[:-4] + b"\x00\x00\x00\x00", BadCrcError),
        (CONNACK_OK + b"\x00", FrameError),
    ],
)
def test_frame_corrupt(data: bytes, error: type[FrameError]) -> None:
    with pytest.raises(error):
        decode_frame(data)


def test_random_streams_never_crash_and_valid_frames_survive() -> None:
    for _ in range(200):
        good = encode_frame(PacketType.PUBLISH, random_json(RNG))
        noise = RNG.randbytes(RNG.randint(0, 50)).replace(CHANNEL_FLAG, b"")
        decoder = FrameDecoder(lambda _error: None)
        got = list(decoder.feed(noise + good + PINGREQ))
        assert [f.type for f in got][-2:] == [PacketType.PUBLISH, PacketType.PINGREQ]


def test_payload_limit() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        encode_frame(PacketType.PUBLISH, b"x" * 65536)
