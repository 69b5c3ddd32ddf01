"""The multipart event push: the document's example, mapping, and malformed bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.model import EventType
from custom_components.business_cameras.api.vigi import push
from custom_components.business_cameras.api.vigi.push import (
    EVENT_TABLE,
    classify,
    parse_push,
    to_events,
)

from .doc_vectors import PUSH_BODY, PUSH_CONTENT_TYPE

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) + b"\r\n--not-a-boundary\r\n" + b"\xff\xd9"


def multipart(
    event: Any,
    *,
    boundary: str = "--VIGI-OPENAPI-MSG-PUSH",
    pictures: int = 0,
    raw_json: bytes | None = None,
) -> bytes:
    data = raw_json if raw_json is not None else json.dumps(event).encode()
    delimiter = f"--{boundary}\r\n".encode()
    body = (
        delimiter + b'Content-Disposition: form-data;name="event"\r\n'
        b"Content-Type: application/json; charset=UTF-8\r\n\r\n" + data + b"\r\n"
    )
    for index in range(pictures):
        body += (
            delimiter
            + f'Content-Disposition: form-data;name="picture";filename="{index}.jpg"'
            "\r\nContent-Type: image/jpeg\r\n\r\n".encode()
            + JPEG
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode()


def channel_event(**extra: Any) -> dict[str, Any]:
    message = {
        "type": 1,
        "sub_type": [2, 21],
        "localtime": "2025-01-02 04:04:05",
        "channel": "3",
        "channel_name": "Front%20door",
    }
    message.update(extra)
    return {"dev_id": "abc", "dev_name": "My%20NVR", "messages": [message]}


def test_document_example_parses() -> None:
    parsed = parse_push(PUSH_CONTENT_TYPE, PUSH_BODY)
    assert (parsed.device_id, parsed.device_name) == ("id", "name")
    assert len(parsed.messages) == 1
    message = parsed.messages[0]
    assert (message.type, message.sub_types, message.channel) == (2, (9,), None)
    assert message.extra == {"port": "3"}
    assert parsed.images == []
    [event] = to_events(parsed, NOW)
    assert event.device_key == "nvr"
    assert event.type is EventType.POE_FAULT
    assert event.vendor_type == "2/9"
    assert event.attributes["port"] == "3"
    assert event.attributes["label"] == "PoE single port short circuit"
    assert event.time == NOW
    assert event.image is None


def test_channel_event_with_pictures() -> None:
    parsed = parse_push(PUSH_CONTENT_TYPE, multipart(channel_event(), pictures=2))
    assert parsed.device_id == "abc"
    assert parsed.device_name == "My NVR"
    assert parsed.images == [JPEG, JPEG]
    events = to_events(parsed, NOW)
    assert [(e.device_key, e.type, e.vendor_type) for e in events] == [
        ("ch3", EventType.MOTION, "1/2"),
        ("ch3", EventType.PERSON, "1/21"),
    ]
    assert all(e.image == JPEG for e in events)
    assert events[0].attributes["channel_name"] == "Front door"
    assert events[0].attributes["channel"] == 3
    assert events[0].raw["sub_type"] == [2, 21]


def test_quoted_boundary_and_tolerated_number_forms() -> None:
    event = channel_event(type="1", sub_type=24)
    body = multipart(event, boundary="__VIGI-OPENAPI_MSG_PUSH")
    parsed = parse_push('multipart/form-data; boundary="__VIGI-OPENAPI_MSG_PUSH"', body)
    [event_out] = to_events(parsed, NOW)
    assert event_out.type is EventType.DOORBELL
    assert event_out.vendor_type == "1/24"


def test_device_event_does_not_get_the_picture() -> None:
    event = {
        "device_id": "abc",
        "device_name": "n",
        "messages": [
            {"type": 7, "sub_type": [2], "localtime": "x", "array": "1"},
            {"type": 2, "sub_type": [13], "localtime": "x", "alarm_input": "Door%20contact"},
        ],
    }
    events = to_events(parse_push(PUSH_CONTENT_TYPE, multipart(event, pictures=1)), NOW)
    assert [(e.device_key, e.type) for e in events] == [
        ("nvr", EventType.STORAGE_FAULT),
        ("nvr", EventType.ALARM_INPUT),
    ]
    assert all(e.image is None for e in events)
    assert events[1].attributes["alarm_input"] == "Door contact"


def test_unknown_types_keep_their_numbers() -> None:
    event = {
        "dev_id": "a",
        "messages": [{"type": 9, "sub_type": [77]}, {"type": 1, "sub_type": []}],
    }
    events = to_events(parse_push(PUSH_CONTENT_TYPE, multipart(event)), NOW)
    assert [(e.type, e.vendor_type, e.device_key) for e in events] == [
        (EventType.UNKNOWN, "9/77", "nvr"),
        (EventType.UNKNOWN, "1", "nvr"),
    ]
    assert events[0].attributes["vendor_sub_type"] == 77
    assert events[0].raw == {"type": 9, "sub_type": [77]}


def test_every_documented_sub_type_has_a_label() -> None:
    channel = {1, *range(2, 27), 36}
    device = {*range(1, 16), 17}
    storage = set(range(1, 9))
    documented = {(1, s) for s in channel} | {(2, s) for s in device} | {(7, s) for s in storage}
    assert set(EVENT_TABLE) == documented
    assert all(label for _, label in EVENT_TABLE.values())
    assert classify(1, 4) == (EventType.LINE_CROSSING, "Line crossing detection")
    assert classify(2, 10)[0] is EventType.POE_FAULT
    assert classify(2, 99) == (EventType.UNKNOWN, "Device exception 99")


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("multipart/form-data", multipart(channel_event()), "no boundary"),
        ("application/json", b"{}", "not multipart/form-data"),
        (PUSH_CONTENT_TYPE, multipart(channel_event(), boundary="other"), "malformed multipart"),
        (PUSH_CONTENT_TYPE, multipart(channel_event())[:-40], "malformed multipart"),
        (PUSH_CONTENT_TYPE, b"", "malformed multipart"),
        (PUSH_CONTENT_TYPE, multipart(None, raw_json=b"{not json"), "not JSON"),
        (PUSH_CONTENT_TYPE, multipart(None, raw_json=b"\xff\xfe"), "not JSON"),
        (PUSH_CONTENT_TYPE, multipart([1, 2]), "not an object"),
        (PUSH_CONTENT_TYPE, multipart({"messages": {"type": 1}}), "messages is not a list"),
        (PUSH_CONTENT_TYPE, multipart({"messages": [5]}), "a message is not an object"),
        (PUSH_CONTENT_TYPE, multipart({"messages": [{"sub_type": [2]}]}), "lacks type"),
        (PUSH_CONTENT_TYPE, multipart(channel_event(type="motion")), "type"),
        (PUSH_CONTENT_TYPE, multipart(channel_event(sub_type=["x"])), "sub_type"),
        (PUSH_CONTENT_TYPE, multipart(channel_event(), pictures=push.MAX_PARTS), "parts exceed"),
        (PUSH_CONTENT_TYPE + "\r\nX-Evil: 1", multipart(channel_event()), "line break"),
    ],
)
def test_malformed_pushes(content_type: str, body: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        parse_push(content_type, body)


def test_part_without_header_separator() -> None:
    body = (
        b"----VIGI-OPENAPI-MSG-PUSH\r\n"
        b'Content-Disposition: form-data;name="event"\r\n'
        b'{"messages": []}\r\n'
        b"----VIGI-OPENAPI-MSG-PUSH--\r\n"
    )
    with pytest.raises(ProtocolError):
        parse_push(PUSH_CONTENT_TYPE, body)


def test_no_event_part() -> None:
    body = (
        b"----VIGI-OPENAPI-MSG-PUSH\r\n"
        b'Content-Disposition: form-data;name="picture"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n" + JPEG + b"\r\n"
        b"----VIGI-OPENAPI-MSG-PUSH--\r\n"
    )
    with pytest.raises(ProtocolError, match='no part named "event"'):
        parse_push(PUSH_CONTENT_TYPE, body)


def test_oversized_body_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "MAX_BODY_BYTES", 100)
    with pytest.raises(ProtocolError, match="exceeds"):
        parse_push(PUSH_CONTENT_TYPE, multipart(channel_event()))


def test_too_many_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(push, "MAX_MESSAGES", 1)
    event = {"messages": [{"type": 1, "sub_type": [2]}] * 2}
    with pytest.raises(ProtocolError, match="messages exceed"):
        parse_push(PUSH_CONTENT_TYPE, multipart(event))
