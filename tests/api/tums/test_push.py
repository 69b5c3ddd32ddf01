"""Pushed messages (1.4.6.3): parsing, types and deduplication."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.model import EventType
from custom_components.business_cameras.api.tums import push

EXAMPLE = {
    "qrcode": "799E562E7073C9A31",
    "mac": "00-FF-00-2C-9F-39",
    "deviceName": "TL-IPC43AN",
    "msgId": "123",
    "time": "1609135966",
    "msgType": "vmsDeviceAlarm",
    "msgContentType": ["NVRHardDiskAbnormal"],
}


def test_document_example() -> None:
    [event] = push.parse_message(EXAMPLE)
    assert event.device_key == "00:ff:00:2c:9f:39"
    assert event.type is EventType.DISK_ERROR
    assert event.time == datetime.fromtimestamp(1609135966, UTC)
    assert event.vendor_type == "vmsDeviceAlarm/NVRHardDiskAbnormal"
    assert event.attributes["qr_code"] == "799E562E7073C9A31"
    assert event.raw == EXAMPLE


def test_several_content_types_and_unknown() -> None:
    message = EXAMPLE | {
        "msgType": "monitorAlarm",
        "msgContentType": ["humanDetected", "overstepingBoundaryDetected", "brandNewThing"],
    }
    events = push.parse_message(message)
    assert [e.type for e in events] == [
        EventType.PERSON,
        EventType.LINE_CROSSING,
        EventType.UNKNOWN,
    ]
    assert events[2].raw["msgContentType"][2] == "brandNewThing"


def test_online_offline() -> None:
    offline = push.parse_message(EXAMPLE | {"msgContentType": ["ipcDeviceOffline"]})[0]
    online = push.parse_message(EXAMPLE | {"msgContentType": ["ipcDeviceOnline"]})[0]
    assert offline.type is EventType.DEVICE_FAULT
    assert offline.attributes["online"] is False
    assert online.type is EventType.UNKNOWN
    assert online.attributes["online"] is True


def test_empty_content_type_kept() -> None:
    [event] = push.parse_message(EXAMPLE | {"msgContentType": []})
    assert event.type is EventType.UNKNOWN
    assert event.vendor_type == "vmsDeviceAlarm"


@pytest.mark.parametrize(
    "broken",
    [
        {k: v for k, v in EXAMPLE.items() if k != "mac"},
        {k: v for k, v in EXAMPLE.items() if k != "msgType"},
        EXAMPLE | {"time": "yesterday"},
    ],
)
def test_invalid_messages(broken: dict[str, object]) -> None:
    with pytest.raises(ProtocolError):
        push.parse_message(broken)


def test_body() -> None:
    assert push.parse_body(json.dumps(EXAMPLE).encode()) == [EXAMPLE]
    assert len(push.parse_body(json.dumps([EXAMPLE, EXAMPLE]).encode())) == 2
    for bad in (b"nope", b"[]", b"[1]", b"x" * (push.MAX_BODY_BYTES + 1)):
        with pytest.raises(ProtocolError):
            push.parse_body(bad)


def test_dedupe_keys() -> None:
    assert push.dedupe_key(EXAMPLE) == ("id", "123")
    no_id = {k: v for k, v in EXAMPLE.items() if k != "msgId"}
    assert push.dedupe_key(no_id) == (
        "fields",
        "00:ff:00:2c:9f:39",
        "1609135966",
        "vmsDeviceAlarm",
        ("NVRHardDiskAbnormal",),
    )
    assert push.dedupe_key(no_id) == push.dedupe_key(no_id | {"mac": "00ff002c9f39"})


def test_deduplicator_bounded() -> None:
    seen = push.Deduplicator(size=2)
    assert not seen.seen("a")
    assert seen.seen("a")
    assert not seen.seen("b")
    assert not seen.seen("c")
    assert not seen.seen("a")  # evicted
