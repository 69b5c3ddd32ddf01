"""The cloud's push messages to the subscribed ``serverUrl`` (document 1.4.6.3 to 1.4.6.5).

Pushes carry no signature (reference part 2 §11.12): the secret is the unguessable webhook URL
Home Assistant registers. Redeliveries keep ``time``; deduplicate by ``msgId`` or, when it is
missing, by ``(mac, time, msgType, msgContentType)``.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

from ..errors import ProtocolError
from ..model import CameraEvent, EventType
from .parsers import normalise_mac, to_int, to_str

MAX_BODY_BYTES: Final = 256 * 1024
MAX_MESSAGES: Final = 100
DEDUPE_SIZE: Final = 1024

_T = EventType
# 1.4.6.5 msgContentType -> normalised type. Everything else stays UNKNOWN with raw fields.
CONTENT_TYPES: Final[dict[str, EventType]] = {
    "movementDetected": _T.MOTION,
    "fastMoving": _T.MOTION,
    "humanDetected": _T.PERSON,
    "someBodyPass": _T.PERSON,
    "crowdDetected": _T.PERSON,
    "vehicleDetected": _T.VEHICLE,
    "parkingDetected": _T.VEHICLE,
    "electromobileDetected": _T.VEHICLE,
    "faceDetected": _T.FACE,
    "overstepingBoundaryDetected": _T.LINE_CROSSING,  # sic, as documented
    "areaIntruded": _T.INTRUSION,
    "enterArea": _T.REGION_ENTERING,
    "leaveArea": _T.REGION_EXITING,
    "wanderingDetected": _T.LOITERING,
    "shadeDetected": _T.TAMPER,
    "defocusDetected": _T.TAMPER,
    "videoLost": _T.VIDEO_LOSS,
    "externalDeviceAlarm": _T.ALARM_INPUT,
    "sceneChanged": _T.SCENE_CHANGE,
    "audioAbnormal": _T.AUDIO,
    "cryDetected": _T.AUDIO,
    "itemsLeftBehind": _T.OBJECT,
    "itemsTaken": _T.OBJECT,
    "itemsLeftAndTaken": _T.OBJECT,
    "highAltitudeThrowing": _T.OBJECT,
    "SDCardLost": _T.DISK_MISSING,
    "NVRHardDiskLost": _T.DISK_MISSING,
    "SDCardFull": _T.DISK_FULL,
    "NVRHardDiskFull": _T.DISK_FULL,
    "SDCardAbnormal": _T.DISK_ERROR,
    "NVRHardDiskAbnormal": _T.DISK_ERROR,
    "PoEPortAbnormal": _T.POE_FAULT,
    "PoEPortPowerOverLimit": _T.POE_FAULT,
    "PoEChipTemperatureAbnormal": _T.POE_FAULT,
    "PoETotalPowerOverLimit": _T.POE_FAULT,
}
_ONLINE_SUFFIX: Final = "DeviceOnline"
_OFFLINE_SUFFIX: Final = "DeviceOffline"


def dedupe_key(message: Mapping[str, Any]) -> Hashable:
    """``msgId`` when present, else the documented field tuple."""
    msg_id = to_str(message.get("msgId"))
    if msg_id is not None:
        return ("id", msg_id)
    kinds = message.get("msgContentType")
    return (
        "fields",
        normalise_mac(message.get("mac")) or str(message.get("mac")),
        str(message.get("time")),
        str(message.get("msgType")),
        tuple(str(k) for k in kinds) if isinstance(kinds, list) else (str(kinds),),
    )


class Deduplicator:
    """Remembers the last ``size`` message keys; ``seen`` is True for a repeat."""

    def __init__(self, size: int = DEDUPE_SIZE) -> None:
        """Create an empty memory of ``size`` keys."""
        self._size = size
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def seen(self, key: Hashable) -> bool:
        """Record ``key``; whether it was already known."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return True
        self._keys[key] = None
        if len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return False


def event_type(content_type: str) -> tuple[EventType, dict[str, Any]]:
    """The normalised type of one ``msgContentType`` and extra attributes (``online``)."""
    if content_type.endswith(_OFFLINE_SUFFIX):
        return _T.DEVICE_FAULT, {"online": False}
    if content_type.endswith(_ONLINE_SUFFIX):
        return _T.UNKNOWN, {"online": True}
    return CONTENT_TYPES.get(content_type, _T.UNKNOWN), {}


def _time(value: object) -> datetime:
    seconds = to_int(value)
    if seconds is None or seconds < 0:
        raise ProtocolError("push: time is not Unix seconds")
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ProtocolError("push: time out of range") from None


def parse_message(message: Mapping[str, Any]) -> list[CameraEvent]:
    """One pushed message -> one event per ``msgContentType`` entry, keyed by the MAC."""
    mac = normalise_mac(message.get("mac"))
    msg_type = to_str(message.get("msgType"))
    if mac is None or msg_type is None:
        raise ProtocolError("push: message lacks mac or msgType")
    when = _time(message.get("time"))
    kinds = message.get("msgContentType")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list):
        kinds = []
    names = [k for k in kinds if isinstance(k, str) and k] or [""]
    raw = dict(message)
    base = {
        "msg_type": msg_type,
        "msg_id": to_str(message.get("msgId")),
        "qr_code": to_str(message.get("qrcode")) or to_str(message.get("qrCode")),
        "device_name": to_str(message.get("deviceName")),
        "mac": mac,
    }
    events = []
    for name in names:
        kind, extra = event_type(name)
        events.append(
            CameraEvent(
                device_key=mac,
                type=kind,
                time=when,
                vendor_type=f"{msg_type}/{name}" if name else msg_type,
                attributes=base | extra,
                raw=raw,
            )
        )
    return events


def parse_body(body: bytes) -> list[dict[str, Any]]:
    """The pushed JSON: one message object (as documented) or a list of them."""
    if len(body) > MAX_BODY_BYTES:
        raise ProtocolError("push: body too large")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("push: body is not JSON") from None
    items = payload if isinstance(payload, list) else [payload]
    if len(items) > MAX_MESSAGES:
        raise ProtocolError("push: too many messages")
    if not items or not all(isinstance(item, dict) for item in items):
        raise ProtocolError("push: body is not a message object")
    return items
