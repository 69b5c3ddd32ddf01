"""HTTP callback authentication and event normalisation (seed payload examples)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from custom_components.business_cameras.api.errors import AuthError, ProtocolError
from custom_components.business_cameras.api.model import EventType
from custom_components.business_cameras.api.sunmi.push import (
    ReplayGuard,
    event_time,
    parse_http_push,
    redact_url,
    to_events,
)

from .doc_vectors import (
    CHANNEL_DETECT,
    CHANNEL_FACE,
    HTTP_DETECT,
    HTTP_DETECT_FORM,
    HTTP_FACE,
    HTTP_FACE_FORM,
    multipart,
    signed_push,
)

SECRET = "ABCDEFG3F2BB03917123"
RECEIVED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _post(form: dict[str, str], payload: dict[str, object], **kwargs: str) -> tuple[str, bytes]:
    return multipart(signed_push(form, json.dumps(payload), SECRET, **kwargs))


@pytest.mark.parametrize("scope", ["all", "public"])
def test_seed_detect_push_is_verified(scope: str) -> None:
    content_type, body = _post(HTTP_DETECT_FORM, HTTP_DETECT, scope=scope)
    payload = parse_http_push(content_type, body, "123", SECRET, now=1579158770)
    assert payload == HTTP_DETECT


def test_seed_face_push_is_verified() -> None:
    content_type, body = _post(HTTP_FACE_FORM, HTTP_FACE)
    payload = parse_http_push(content_type, body, "KJQJ89V956U9O9UI", SECRET, now=1597894809)
    assert payload == HTTP_FACE


def test_wrong_secret_app_id_or_time_is_rejected() -> None:
    content_type, body = _post(HTTP_DETECT_FORM, HTTP_DETECT)
    with pytest.raises(AuthError, match="signature"):
        parse_http_push(content_type, body, "123", "other", now=1579158770)
    with pytest.raises(AuthError, match="app_id"):
        parse_http_push(content_type, body, "124", SECRET, now=1579158770)
    with pytest.raises(AuthError, match="timestamp"):
        parse_http_push(content_type, body, "123", SECRET, now=1579158766 + 3600)


def test_tampered_payload_is_rejected() -> None:
    fields = signed_push(HTTP_DETECT_FORM, json.dumps(HTTP_DETECT), SECRET)
    fields["payload"] = fields["payload"].replace('"detect_type": 2', '"detect_type": 3')
    content_type, body = multipart(fields)
    with pytest.raises(AuthError):
        parse_http_push(content_type, body, "123", SECRET, now=1579158770)


def test_replay_is_rejected() -> None:
    guard = ReplayGuard()
    content_type, body = _post(HTTP_DETECT_FORM, HTTP_DETECT)
    parse_http_push(content_type, body, "123", SECRET, now=1579158770, replay_guard=guard)
    with pytest.raises(AuthError, match="replayed"):
        parse_http_push(content_type, body, "123", SECRET, now=1579158771, replay_guard=guard)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"{}"),
        ("multipart/form-data", b"--x\r\n\r\n--x--"),
        ("multipart/form-data; boundary=x\r\nX-Evil: 1", b""),
    ],
)
def test_malformed_requests(content_type: str, body: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_http_push(content_type, body, "123", SECRET, now=1579158770)


def test_missing_part_and_bad_payload() -> None:
    fields = signed_push(HTTP_DETECT_FORM, json.dumps(HTTP_DETECT), SECRET)
    del fields["random"]
    with pytest.raises(ProtocolError, match="random"):
        parse_http_push(*multipart(fields), "123", SECRET, now=1579158770)
    content_type, body = multipart(signed_push(HTTP_DETECT_FORM, "[1, 2]", SECRET))
    with pytest.raises(ProtocolError, match="object"):
        parse_http_push(content_type, body, "123", SECRET, now=1579158770)
    content_type, body = multipart(signed_push(HTTP_DETECT_FORM, "{bad", SECRET))
    with pytest.raises(ProtocolError, match="JSON"):
        parse_http_push(content_type, body, "123", SECRET, now=1579158770)


# --- to_events -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detect_type", "expected"),
    [
        (0, [EventType.MOTION]),
        (1, [EventType.AUDIO]),
        (2, [EventType.MOTION, EventType.AUDIO]),
        (3, [EventType.PERSON]),
        (9, [EventType.UNKNOWN]),
    ],
)
def test_http_detect_table(detect_type: int, expected: list[EventType]) -> None:
    events = to_events(
        {**HTTP_DETECT, "detect_type": detect_type}, "camera", source="http", received=RECEIVED
    )
    assert [event.type for event in events] == expected
    for event in events:
        assert event.device_key == "camera"
        assert event.attributes["detect_type"] == detect_type
        assert event.attributes["source"] == "http"
        assert event.attributes["combined"] is (len(expected) > 1)
        assert event.vendor_type == f"dynamic_detect_event/{detect_type}"


@pytest.mark.parametrize(
    ("detect_type", "expected"),
    [
        (1, [EventType.MOTION]),
        (2, [EventType.AUDIO]),
        (3, [EventType.MOTION, EventType.AUDIO]),
        (0, [EventType.UNKNOWN]),
    ],
)
def test_channel_detect_table(detect_type: int, expected: list[EventType]) -> None:
    events = to_events(
        {**CHANNEL_DETECT, "detect_type": detect_type},
        "camera",
        source="channel",
        received=RECEIVED,
    )
    assert [event.type for event in events] == expected
    assert events[0].attributes["detect_type"] == detect_type


def test_seed_http_detect_event() -> None:
    [motion, audio] = to_events(HTTP_DETECT, "camera", source="http", received=RECEIVED)
    assert (motion.type, audio.type) == (EventType.MOTION, EventType.AUDIO)
    assert motion.time == datetime.fromtimestamp(1579158765, UTC)
    assert motion.attributes["event_id"] == 1
    assert motion.attributes["sn"] == "SS101D8BS00080"
    assert motion.attributes["has_video"] is True
    # The media URL's auth_key never reaches the event.
    assert "d701e761" not in json.dumps(motion.raw)
    assert motion.raw["video_url"].endswith("1579158761.flv?auth_key=**REDACTED**")


def test_seed_http_face_event() -> None:
    [event] = to_events(HTTP_FACE, "camera", source="http", received=RECEIVED)
    assert event.type is EventType.FACE
    assert event.vendor_type == "face_recog_event"
    assert event.time == datetime.fromtimestamp(1597894809, UTC)
    attrs = event.attributes
    assert attrs["face_id"] == "358526"
    assert attrs["cloud_face_id"] == "8798765433"
    assert attrs["group"] == "db_0"
    assert attrs["age"] is None  # 0: not set
    assert attrs["age_range"] == 5
    assert attrs["age_band"] == "29-35"
    assert attrs["gender"] == "undefined"
    assert attrs["arrive_times"] == 3
    assert attrs["has_picture"] is True
    assert attrs["name"] is None
    assert attrs["custom"] == {}
    assert "f88c2f9a" not in json.dumps(event.raw)


def test_seed_channel_face_event_keeps_custom_attributes() -> None:
    [event] = to_events(CHANNEL_FACE, "camera", source="channel", received=RECEIVED)
    attrs = event.attributes
    assert attrs["face_id"] == "00000001"
    assert attrs["group"] == "vip"
    assert attrs["age"] == 10
    assert attrs["age_range"] is None
    assert attrs["age_band"] is None
    assert attrs["gender"] == "female"
    assert attrs["arrive_times"] == 4
    assert attrs["custom"] == {"vip_level": "1", "hobby": "tennis", "weight": "60", "height": "180"}
    # 15930292837 (the seed's placeholder) is no plausible time: the receive time is used.
    assert event.time == RECEIVED


def test_face_items_and_name() -> None:
    payload = {
        **HTTP_FACE,
        "gender": 1,
        "age_range": 8,
        "item1": "gold",
        "item5": "x",
        "name": "Alice",
    }
    [event] = to_events(payload, "camera", source="http", received=RECEIVED)
    assert event.attributes["name"] == "Alice"
    assert event.attributes["gender"] == "male"
    assert event.attributes["age_band"] == "56-100"
    assert event.attributes["custom"] == {"item1": "gold", "item5": "x"}


def test_unknown_event_type() -> None:
    [event] = to_events(
        {"event_type": "door_event", "event_id": 5}, "camera", source="channel", received=RECEIVED
    )
    assert event.type is EventType.UNKNOWN
    assert event.vendor_type == "door_event"


def test_report_time_seconds_or_milliseconds() -> None:
    assert event_time(1597894809, RECEIVED) == datetime.fromtimestamp(1597894809, UTC)
    assert event_time(1597894809123, RECEIVED) == datetime.fromtimestamp(1597894809.123, UTC)
    assert event_time("1597894809", RECEIVED) == datetime.fromtimestamp(1597894809, UTC)
    for bad in (None, "", "x", 0, -5, 15930292837, 10**20, 10**15):
        assert event_time(bad, RECEIVED) == RECEIVED


def test_redact_url() -> None:
    assert redact_url("https://h/a.jpg?auth_key=1") == "https://h/a.jpg?auth_key=**REDACTED**"
    assert redact_url("https://h/a.jpg") == "https://h/a.jpg"
    assert redact_url(None) is None
