"""The NVR's multipart event push (document §2.1.1, §3.2 and Appendix IV)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from typing import Any, Final

from ..errors import ProtocolError
from ..model import CameraEvent, EventType
from .parsers import decode_strings, opt_int, opt_str, to_int

_LOGGER = logging.getLogger(__name__)

MAX_BODY_BYTES: Final = 16 * 1024 * 1024
MAX_PARTS: Final = 16
MAX_MESSAGES: Final = 256
JPEG_MAGIC: Final = b"\xff\xd8"

TYPE_CHANNEL: Final = 1
TYPE_DEVICE: Final = 2
TYPE_STORAGE: Final = 7

_T = EventType
# Appendix IV: (type, sub_type) -> (normalised type, the document's label).
EVENT_TABLE: Final[dict[tuple[int, int], tuple[EventType, str]]] = {
    (1, 1): (_T.UNKNOWN, "Time"),
    (1, 2): (_T.MOTION, "Motion detection"),
    (1, 3): (_T.TAMPER, "Camera tampering"),
    (1, 4): (_T.LINE_CROSSING, "Line crossing detection"),
    (1, 5): (_T.INTRUSION, "Intrusion detection"),
    (1, 6): (_T.REGION_ENTERING, "Region entering detection"),
    (1, 7): (_T.REGION_EXITING, "Region exiting detection"),
    (1, 8): (_T.LOITERING, "Loitering detection"),
    (1, 9): (_T.PERSON, "Crowd detection"),
    (1, 10): (_T.MOTION, "Fast motion detection"),
    (1, 11): (_T.VEHICLE, "Park detection"),
    (1, 12): (_T.OBJECT, "Object abandoned detection"),
    (1, 13): (_T.OBJECT, "Object removal detection"),
    (1, 14): (_T.AUDIO, "Audio error"),
    (1, 15): (_T.TAMPER, "Out of focus"),
    (1, 16): (_T.SCENE_CHANGE, "Scene change detection"),
    (1, 17): (_T.FACE, "Face detection"),
    (1, 18): (_T.ALARM_INPUT, "Alarm signal"),
    (1, 19): (_T.VIDEO_LOSS, "Video loss"),
    (1, 20): (_T.UNKNOWN, "Video message"),
    (1, 21): (_T.PERSON, "Human detection"),
    (1, 22): (_T.VEHICLE, "Vehicle detection"),
    (1, 23): (_T.OBJECT, "Abandon or take"),
    (1, 24): (_T.DOORBELL, "Doorbell"),
    (1, 25): (_T.AUDIO, "Cry detection"),
    (1, 26): (_T.UNKNOWN, "Emergency call"),
    (1, 36): (_T.UNKNOWN, "Push I frame"),
    (2, 1): (_T.DISK_MISSING, "SD card missing"),
    (2, 2): (_T.DISK_FULL, "SD card full"),
    (2, 3): (_T.DISK_MISSING, "Disk missing"),
    (2, 4): (_T.DISK_FULL, "Disk full"),
    (2, 5): (_T.DEVICE_FAULT, "Device offline"),
    (2, 6): (_T.DISK_ERROR, "SD card error"),
    (2, 7): (_T.DISK_ERROR, "Disk error"),
    (2, 8): (_T.DEVICE_FAULT, "Log in error"),
    (2, 9): (_T.POE_FAULT, "PoE single port short circuit"),
    (2, 10): (_T.POE_FAULT, "PoE single port overload"),
    (2, 11): (_T.POE_FAULT, "PoE chip temperature error"),
    (2, 12): (_T.POE_FAULT, "PoE total overload"),
    (2, 13): (_T.ALARM_INPUT, "Alarm input"),
    (2, 14): (_T.DEVICE_FAULT, "Fan abnormal"),
    (2, 15): (_T.DEVICE_FAULT, "IP conflict"),
    (2, 17): (_T.DISK_ERROR, "Disk disabled"),
    (7, 1): (_T.STORAGE_FAULT, "RAID offline"),
    (7, 2): (_T.STORAGE_FAULT, "RAID degraded"),
    (7, 3): (_T.STORAGE_FAULT, "RAID disk abnormal"),
    (7, 4): (_T.STORAGE_FAULT, "RAID spare abnormal"),
    (7, 5): (_T.STORAGE_FAULT, "No array"),
    (7, 6): (_T.STORAGE_FAULT, "Array full"),
    (7, 7): (_T.STORAGE_FAULT, "No hard disk"),
    (7, 8): (_T.STORAGE_FAULT, "Hard disk password error"),
}
TYPE_LABELS: Final = {
    TYPE_CHANNEL: "Channel event",
    TYPE_DEVICE: "Device exception",
    TYPE_STORAGE: "Storage exception",
}
# Optional string keys of a message object (§3.2).
_OPTIONAL_KEYS: Final = ("port", "disk", "array", "alarm_output", "alarm_input")


@dataclass(frozen=True, slots=True)
class PushMessage:
    """One element of ``messages`` (strings already percent-decoded)."""

    type: int
    sub_types: tuple[int, ...]
    localtime: str | None
    channel: int | None = None
    channel_name: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VigiPush:
    """One parsed push request."""

    device_id: str | None
    device_name: str | None
    messages: list[PushMessage]
    images: list[bytes] = field(default_factory=list)


# (type, sub_type) pairs outside Appendix IV already reported, so each is logged once.
_REPORTED_UNKNOWN: set[tuple[int, int | None]] = set()


def classify(type_: int, sub_type: int | None) -> tuple[EventType, str]:
    """Return the normalised type and a human label for a (type, sub_type) pair."""
    if sub_type is not None and (type_, sub_type) in EVENT_TABLE:
        return EVENT_TABLE[(type_, sub_type)]
    if (type_, sub_type) not in _REPORTED_UNKNOWN:
        _REPORTED_UNKNOWN.add((type_, sub_type))
        _LOGGER.debug("Undocumented event type %s sub_type %s kept as 'unknown'", type_, sub_type)
    kind = TYPE_LABELS.get(type_, f"Event type {type_}")
    return EventType.UNKNOWN, kind if sub_type is None else f"{kind} {sub_type}"


def parse_push(content_type: str, body: bytes) -> VigiPush:
    """Parse a multipart push; the boundary is taken from ``content_type``, never assumed."""
    if len(body) > MAX_BODY_BYTES:
        raise ProtocolError(f"push: body of {len(body)} bytes exceeds {MAX_BODY_BYTES}")
    parts = _split(content_type, body)
    event_part = _find_event_part(parts)
    data = _load_json(event_part)
    # Picture parts have no documented name or type: recognise them by the JPEG magic.
    images = [
        payload
        for part in parts
        if part is not event_part and (payload := _payload(part)).startswith(JPEG_MAGIC)
    ]
    return _parse_event_json(data, images)


def _split(content_type: str, body: bytes) -> list[MIMEPart]:
    if "\r" in content_type or "\n" in content_type:
        raise ProtocolError("push: Content-Type header contains a line break")
    header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(EmailMessage, policy=policy.HTTP).parsebytes(header + body)
    if message.get_content_type() != "multipart/form-data":
        raise ProtocolError("push: Content-Type is not multipart/form-data")
    if not message.get_boundary():
        raise ProtocolError("push: Content-Type has no boundary")
    if message.defects or not message.is_multipart():
        names = ", ".join(type(defect).__name__ for defect in message.defects)
        raise ProtocolError(f"push: malformed multipart body ({names or 'no parts'})")
    parts = list(message.iter_parts())
    if not parts:
        raise ProtocolError("push: multipart body has no parts")
    if len(parts) > MAX_PARTS:
        raise ProtocolError(f"push: {len(parts)} parts exceed {MAX_PARTS}")
    for part in parts:
        if part.defects:
            names = ", ".join(type(defect).__name__ for defect in part.defects)
            raise ProtocolError(f"push: malformed part ({names})")
    return parts


def _payload(part: MIMEPart) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _find_event_part(parts: list[MIMEPart]) -> MIMEPart:
    for part in parts:
        if part.get_param("name", header="content-disposition") == "event":
            return part
    # Tolerate an unnamed JSON part: the document only shows the name in one example.
    for part in parts:
        if part.get_content_type() == "application/json":
            return part
    raise ProtocolError('push: no part named "event"')


def _load_json(part: MIMEPart) -> Mapping[str, Any]:
    charset = part.get_content_charset() or "utf-8"
    try:
        data = json.loads(_payload(part).decode(charset))
    except (LookupError, UnicodeDecodeError, ValueError) as err:
        raise ProtocolError(f"push: event part is not JSON ({type(err).__name__})") from None
    if not isinstance(data, dict):
        raise ProtocolError("push: event JSON is not an object")
    return data


def _parse_event_json(data: Mapping[str, Any], images: list[bytes]) -> VigiPush:
    endpoint = "push"
    decoded = decode_strings(dict(data))
    raw_messages = decoded.get("messages")
    if not isinstance(raw_messages, list):
        raise ProtocolError("push: messages is not a list")
    if len(raw_messages) > MAX_MESSAGES:
        raise ProtocolError(f"push: {len(raw_messages)} messages exceed {MAX_MESSAGES}")
    messages = [_parse_message(item) for item in raw_messages]
    # §3.2 names the keys dev_id/dev_name, the §2.1.1 example device_id/device_name.
    device_id = decoded.get("dev_id", decoded.get("device_id"))
    device_name = decoded.get("dev_name", decoded.get("device_name"))
    return VigiPush(
        device_id=opt_str(device_id, endpoint, "dev_id"),
        device_name=opt_str(device_name, endpoint, "dev_name"),
        messages=messages,
        images=images,
    )


def _parse_message(item: Any) -> PushMessage:
    endpoint = "push"
    if not isinstance(item, dict):
        raise ProtocolError("push: a message is not an object")
    if "type" not in item:
        raise ProtocolError("push: a message lacks type")
    raw_sub = item.get("sub_type", [])
    # The document says an array; a bare number is tolerated.
    subs = raw_sub if isinstance(raw_sub, list) else [raw_sub]
    extra = {key: str(item[key]) for key in _OPTIONAL_KEYS if item.get(key) not in (None, "")}
    return PushMessage(
        type=to_int(item["type"], endpoint, "type"),
        sub_types=tuple(to_int(sub, endpoint, "sub_type") for sub in subs),
        localtime=opt_str(item.get("localtime"), endpoint, "localtime"),
        channel=opt_int(item.get("channel"), endpoint, "channel"),
        channel_name=opt_str(item.get("channel_name"), endpoint, "channel_name"),
        extra=extra,
        raw=item,
    )


def to_events(push: VigiPush, received_at: datetime) -> list[CameraEvent]:
    """One CameraEvent per (message, sub_type); channel events get the first JPEG.

    ``localtime`` has no documented format or zone, so the event time is ``received_at``;
    the NVR's own text stays in the attributes.
    """
    image = push.images[0] if push.images else None
    events = []
    for message in push.messages:
        for sub_type in message.sub_types or (None,):
            event_type, label = classify(message.type, sub_type)
            is_channel = message.type == TYPE_CHANNEL and message.channel is not None
            attributes: dict[str, Any] = {
                "label": label,
                "vendor_type": message.type,
                "vendor_sub_type": sub_type,
                "localtime": message.localtime,
                "nvr_id": push.device_id,
                "nvr_name": push.device_name,
            }
            if message.channel is not None:
                attributes["channel"] = message.channel
            if message.channel_name is not None:
                attributes["channel_name"] = message.channel_name
            attributes.update(message.extra)
            vendor = f"{message.type}" if sub_type is None else f"{message.type}/{sub_type}"
            events.append(
                CameraEvent(
                    device_key=f"ch{message.channel}" if is_channel else "nvr",
                    type=event_type,
                    time=received_at,
                    vendor_type=vendor,
                    attributes=attributes,
                    image=image if is_channel else None,
                    raw=dict(message.raw),
                )
            )
    return events
