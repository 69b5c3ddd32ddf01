"""Tolerant parsers of TUMS cloud answers.

The document's tables and examples disagree on spellings and types (reference part 2 §11):
numbers arrive as numbers or numeric strings, ``failList`` sits at the top level or inside
``result``, some keys have two spellings. Every parser here accepts all documented variants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..errors import ApiError, ProtocolError
from ..model import Disk, StreamSettings
from . import codes
from .auth import Credentials

NVR_TYPES: Final = frozenset({"NETWORKVIDEORECORDER"})
IPC_TYPES: Final = frozenset({"SURVEILLANCECAMERA"})
SOLAR_TYPES: Final = frozenset({"VIDEO.SOLARPOWER"})  # table 1.4.3.1-1
STATUS_ONLINE: Final = 1
# deviceStatus 2..6 (rebooting, upgrading, configuring, syncing, waiting to upgrade) are
# states of a reachable device.
STATUS_OFFLINE: Final = 0
_SIZE_RE: Final = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTP]?)(?:I?B)?\s*$", re.IGNORECASE)
_SIZE_FACTORS: Final = {
    "": 1.0,
    "K": 1 / 1024**2,
    "M": 1 / 1024,
    "G": 1.0,
    "T": 1024.0,
    "P": 1024.0**2,
}
_HEX_RE: Final = re.compile(r"[^0-9a-fA-F]")


# --- scalars -----------------------------------------------------------------------------


def to_int(value: object) -> int | None:
    """An int from a number or a numeric string; ``None`` for anything else (bool included)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if number.is_integer() else None
    return None


def to_float(value: object) -> float | None:
    """A float from a number or a numeric string."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def to_bool(value: object) -> bool | None:
    """A bool from ``true``/``false``, ``1``/``0`` (numbers or strings) or ``on``/``off``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("1", "true", "on", "yes"):
            return True
        if text in ("0", "false", "off", "no"):
            return False
    return None


def to_str(value: object) -> str | None:
    """A non-empty stripped string, or ``None``."""
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return None


def id_text(value: object) -> str | None:
    """A 64-bit identifier as text: numbers keep every digit (no float round trip)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def first(mapping: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first key present (for keys the document spells two ways)."""
    for key in keys:
        if key in mapping and mapping[key] is not None:
            return mapping[key]
    return None


def parse_size_gb(value: object) -> float | None:
    """``"2.5G"``, ``"512M"``, ``"1.8T"`` or ``"3.5GB"`` -> gigabytes (binary units).

    A bare number is taken as gigabytes (the document only shows ``G`` suffixes).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    match = _SIZE_RE.match(value)
    if match is None:
        return None
    return round(float(match.group(1)) * _SIZE_FACTORS[match.group(2).upper()], 6)


def normalise_mac(value: object) -> str | None:
    """Any MAC spelling (``00-FF-00-17-00-18``, ``00ff00170018``) -> ``00:ff:00:17:00:18``."""
    if not isinstance(value, str):
        return None
    digits = _HEX_RE.sub("", value).lower()
    if len(digits) != 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def api_mac(value: str) -> str:
    """A MAC in the request format: uppercase, hyphen-separated."""
    mac = normalise_mac(value)
    if mac is None:
        raise ValueError("not a MAC address")
    return mac.replace(":", "-").upper()


# --- envelope ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Envelope:
    """A successful answer: ``result`` (any JSON) and the merged ``failList`` items.

    ``error_code`` is non-zero only for a batch answer whose overall code failed while its
    ``failList`` names the failed items (1.4.8.4 example: -80414 overall, -80391 per item).
    """

    result: Any
    fail_list: list[dict[str, Any]] = field(default_factory=list)
    error_code: int = 0


def _fail_items(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def parse_envelope(payload: object, endpoint: str) -> tuple[int, str, Envelope]:
    """``(error_code, msg, Envelope)``; the code is 0 on success. Raises ProtocolError."""
    if not isinstance(payload, dict):
        raise ProtocolError(f"{endpoint}: answer is not a JSON object")
    code = to_int(payload.get("error_code"))
    if code is None:
        raise ProtocolError(f"{endpoint}: answer lacks error_code")
    msg = payload.get("msg")
    result = payload.get("result")
    if result is None and "result " in payload:  # 1.4.9.5/1.4.9.7 examples
        result = payload["result "]
    fails = _fail_items(payload.get("failList"))
    if isinstance(result, dict):
        fails += _fail_items(result.get("failList"))
    return code, msg if isinstance(msg, str) else "", Envelope(result, fails)


def result_dict(envelope: Envelope, endpoint: str) -> dict[str, Any]:
    """``result`` as an object (an absent result is an empty object)."""
    if envelope.result is None:
        return {}
    if not isinstance(envelope.result, dict):
        raise ProtocolError(f"{endpoint}: result is not an object")
    return envelope.result


def _list(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


GENERIC_ERROR: Final = -10000  # §1.5 "generic error": a failList item that names no code


@dataclass(frozen=True, slots=True)
class BatchFailure:
    """One ``failList`` item, typed: the device (channel, alarm type) and the vendor code."""

    qr_code: str | None
    mac: str | None
    channel_id: int | None
    code: int
    message: str
    alarm_type: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def device_id(self) -> str | None:
        """The ``DeviceRef.device_id`` spelling of the failed item (``None`` without a locator)."""
        base = self.qr_code or normalise_mac(self.mac) or self.mac
        if base is None:
            return None
        return base if self.channel_id is None else f"{base}:ch{self.channel_id}"

    def error(self, endpoint: str = "", device_id: str | None = None) -> ApiError:
        """The typed error for this item (e.g. -80391 gives ``DeviceUnsupportedError``)."""
        return codes.error_for(self.code, endpoint, device_id=device_id or self.device_id)


def parse_failures(items: list[dict[str, Any]], overall_code: int = 0) -> list[BatchFailure]:
    """``failList`` items as BatchFailure (``error_code`` or ``errorCode``, number or string).

    An item without a usable code failed anyway: it gets the answer's overall code, else
    the generic -10000.
    """
    out = []
    for item in items:
        code = to_int(first(item, "error_code", "errorCode")) or overall_code or GENERIC_ERROR
        out.append(
            BatchFailure(
                qr_code=to_str(first(item, "qrCode", "qrcode")),
                mac=to_str(item.get("mac")),
                channel_id=to_int(first(item, "channelId", "channel")),
                code=code,
                message=codes.message_for(code),
                alarm_type=to_int(item.get("alarmType")),
                raw=dict(item),
            )
        )
    return out


# --- devices -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceRef:
    """How the API addresses a device: ``qrCode`` wins over ``mac``; ``channel_id`` a child."""

    qr_code: str | None = None
    mac: str | None = None
    channel_id: int | None = None

    def __post_init__(self) -> None:
        """Require at least one locator."""
        if not self.qr_code and not self.mac:
            raise ValueError("a device needs a qrCode or a MAC")

    @property
    def device_id(self) -> str:
        """The device code (else the MAC), with ``:ch<n>`` for a channel (as backend keys)."""
        base = self.qr_code or normalise_mac(self.mac) or str(self.mac)
        return base if self.channel_id is None else f"{base}:ch{self.channel_id}"

    def locator(self, *, channel: bool = True) -> dict[str, Any]:
        """The request fields; ``channel=False`` drops ``channelId`` ([NO-CH] endpoints)."""
        out: dict[str, Any] = {}
        if self.qr_code:
            out["qrCode"] = self.qr_code
        if self.mac:
            out["mac"] = api_mac(self.mac)
        if channel and self.channel_id is not None:
            out["channelId"] = self.channel_id
        return out

    def with_channel(self, channel_id: int | None) -> DeviceRef:
        """The same device addressed through ``channel_id``."""
        return DeviceRef(self.qr_code, self.mac, channel_id)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One entry of the device lists (1.4.3.10/1.4.3.11) or an NVR channel list (1.4.3.13)."""

    qr_code: str | None
    mac: str | None
    name: str
    device_type: str
    status: int | None
    open_status: int | None
    model: str | None
    ip: str | None
    channel_id: int | None = None
    parent_mac: str | None = None
    parent_qr_code: str | None = None
    open_type: int | None = None
    region_id: str | None = None
    region_name: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def online(self) -> bool:
        """Reachable: any status other than 0 (offline) or unknown."""
        return self.status is not None and self.status != STATUS_OFFLINE

    @property
    def licensed(self) -> bool:
        """In trial (1) or paid (2) use; unknown counts as licensed."""
        return self.open_status is None or self.open_status in (1, 2)

    @property
    def is_nvr(self) -> bool:
        """An NVR."""
        return self.device_type.upper() in NVR_TYPES

    @property
    def is_camera(self) -> bool:
        """An IPC."""
        return self.device_type.upper() in IPC_TYPES

    @property
    def is_solar(self) -> bool:
        """A solar power supply (``VIDEO.SOLARPOWER``)."""
        return self.device_type.upper() in SOLAR_TYPES

    @property
    def is_child(self) -> bool:
        """A video sub-device reached through its parent."""
        return bool(self.parent_mac or self.parent_qr_code)

    def ref(self) -> DeviceRef:
        """The locator of this device on its own (channel 1 for a directly bound IPC)."""
        return DeviceRef(self.qr_code, self.mac)


def parse_device(item: Mapping[str, Any]) -> DeviceInfo | None:
    """One device entry; ``None`` when it has neither a device code nor a MAC."""
    qr_code = to_str(first(item, "qrCode", "qrcode"))
    mac = to_str(item.get("mac"))
    if qr_code is None and normalise_mac(mac) is None:
        return None
    return DeviceInfo(
        qr_code=qr_code,
        mac=mac if normalise_mac(mac) else None,
        name=to_str(item.get("deviceName")) or qr_code or mac or "",
        device_type=to_str(item.get("deviceType")) or "",
        status=to_int(item.get("deviceStatus")),
        open_status=to_int(item.get("openStatus")),
        model=to_str(item.get("deviceModel")),
        ip=to_str(item.get("ip")),
        channel_id=to_int(first(item, "channelId", "channel")),
        parent_mac=to_str(item.get("parentMac")),
        parent_qr_code=to_str(first(item, "parentQrCode", "parentQrcode")),
        open_type=to_int(item.get("openType")),
        region_id=id_text(item.get("regionId")),
        region_name=to_str(item.get("regionName")),
        raw=dict(item),
    )


def parse_device_page(result: Mapping[str, Any]) -> tuple[int | None, list[DeviceInfo]]:
    """``(total, devices)`` of one page of 1.4.3.10/1.4.3.11."""
    devices = [d for d in map(parse_device, _list(result.get("list"))) if d is not None]
    return to_int(result.get("total")), devices


def parse_channel_list(result: Mapping[str, Any]) -> list[DeviceInfo]:
    """The channels of 1.4.3.13 (key ``channel``, not ``channelId``)."""
    channels = []
    for item in _list(result.get("channelList")):
        device = parse_device(item) if (item.get("qrCode") or item.get("mac")) else None
        channel = to_int(first(item, "channel", "channelId"))
        if device is None or channel is None:
            continue
        channels.append(device)
    return channels


@dataclass(frozen=True, slots=True)
class Region:
    """A group (region) of a project application."""

    id: str
    name: str
    level: int | None
    parent_id: str | None
    has_children: bool
    default: bool


def parse_region_page(result: Mapping[str, Any]) -> tuple[int | None, list[Region]]:
    """``(total, regions)`` of 1.4.2.8/1.4.2.9."""
    regions = []
    for item in _list(result.get("list")):
        region_id = id_text(item.get("regionId"))
        if region_id is None:
            continue
        regions.append(
            Region(
                id=region_id,
                name=to_str(item.get("regionName")) or region_id,
                level=to_int(item.get("regionLevel")),
                parent_id=id_text(item.get("parentId")),
                has_children=bool(to_bool(item.get("hasChildren"))),
                default=to_int(item.get("regionType")) == 1,
            )
        )
    return to_int(result.get("total")), regions


def parse_capability(result: Mapping[str, Any]) -> dict[str, Any]:
    """``result.capability`` of 1.4.3.16."""
    capability = result.get("capability")
    return dict(capability) if isinstance(capability, dict) else {}


def capability_flag(capability: Mapping[str, Any], key: str) -> bool:
    """A capability flag is on only when it reads ``"1"`` (missing, "0" and 0 are off)."""
    value = capability.get(key)
    return not isinstance(value, bool) and str(value).strip() == "1"


# --- configuration -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SdCard:
    """One entry of 1.4.4.10 ``cardInfoList``."""

    index: int
    status: str
    permission: str | None
    total_gb: float | None
    free_gb: float | None
    record_duration: int | None
    record_start: int | None

    def to_disk(self) -> Disk:
        """The shared model's Disk."""
        return Disk(
            id=self.index,
            slot=self.index,
            status=self.status,
            total_gb=self.total_gb,
            free_gb=self.free_gb,
            writable=self.status == "normal" and "w" in (self.permission or ""),
        )


def parse_sd_cards(result: Mapping[str, Any]) -> list[SdCard]:
    """1.4.4.10: sizes arrive as strings like ``"2.5G"``; durations as numbers or strings."""
    cards = []
    for item in _list(result.get("cardInfoList")):
        index = to_int(item.get("index"))
        if index is None:
            continue
        cards.append(
            SdCard(
                index=index,
                status=to_str(item.get("status")) or "unknown",
                permission=to_str(item.get("permission")),
                total_gb=parse_size_gb(item.get("totalSpace")),
                free_gb=parse_size_gb(item.get("freeSpace")),
                record_duration=to_int(item.get("recordDuration")),
                record_start=to_int(item.get("recordStartTime")),
            )
        )
    return cards


@dataclass(frozen=True, slots=True)
class TimingInfo:
    """1.4.4.14: ``manual`` or ``ntp`` and the NTP server."""

    mode: str | None
    server: str | None


def parse_timing(result: Mapping[str, Any]) -> TimingInfo:
    """1.4.4.14."""
    return TimingInfo(to_str(result.get("timingMode")), to_str(result.get("serverIp")))


@dataclass(frozen=True, slots=True)
class TimingReboot:
    """1.4.4.5: scheduled reboot; ``day`` 0 = every day, 1..7 = Monday..Sunday."""

    enabled: bool
    time: str | None
    day: int | None


def parse_timing_reboot(result: Mapping[str, Any]) -> TimingReboot:
    """1.4.4.5."""
    return TimingReboot(
        bool(to_bool(result.get("ifOpen"))), to_str(result.get("time")), to_int(result.get("day"))
    )


def parse_loop(result: Mapping[str, Any]) -> bool | None:
    """1.4.4.12 ``ifLoop``."""
    return to_bool(result.get("ifLoop"))


def parse_streams(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """1.4.4.17 ``streamInfoList`` keyed by stream type, keys normalised to the write spelling.

    ``bitRate``/``bitrate`` and ``bitRateType``/``bitrateType`` both appear; the write call
    (1.4.4.18) uses the lower-case ``r``, so that is what is kept.
    """
    streams: dict[str, dict[str, Any]] = {}
    for item in _list(result.get("streamInfoList")):
        kind = to_str(item.get("type"))
        if kind is None:
            continue
        entry = {k: v for k, v in item.items() if k not in ("bitRate", "bitRateType")}
        entry["bitrate"] = to_int(first(item, "bitrate", "bitRate"))
        entry["bitrateType"] = to_str(first(item, "bitrateType", "bitRateType"))
        entry["frameRate"] = to_int(item.get("frameRate"))
        entry["quality"] = to_int(item.get("quality"))
        streams[kind] = entry
    return streams


def stream_settings(entry: Mapping[str, Any]) -> StreamSettings:
    """One parsed stream as the shared model's StreamSettings."""
    quality = entry.get("quality")
    return StreamSettings(
        resolution=to_str(entry.get("resolution")),
        bitrate_kbps=to_int(entry.get("bitrate")),
        bitrate_type=to_str(entry.get("bitrateType")),
        quality=str(quality) if quality is not None else None,
        encoding=to_str(entry.get("encodeType")),
        frame_rate=frame_rate_fps(entry.get("frameRate")),
    )


def frame_rate_fps(code: object) -> int | None:
    """1.4.4.16/17 frame-rate codes are fps + 65536."""
    value = to_int(code)
    if value is None:
        return None
    return value - 65536 if value > 65536 else value


def parse_supplement_lamp(result: Mapping[str, Any]) -> dict[str, Any]:
    """1.4.4.7 with the table and example spellings merged to the correct ones."""
    return {
        "supplementLampTypeList": first(result, "supplementLampTypeList", "supplemnetLampTypeList")
        or [],
        "nightVisionModeRange": first(result, "nightVisionModeRange", "nightVisonModeRange") or [],
        "laserTypeList": result.get("laserTypeList") or [],
        "smartWhiteLampSupport": bool(to_bool(result.get("smartWhiteLampSupport"))),
        "smartWhiteLampDigitalLevelSupport": bool(
            to_bool(
                first(result, "smartWhiteLampDigitalLevelSupport", "smartWhiteLampDigitalSupport")
            )
        ),
        "infraredSupport": bool(to_bool(result.get("infraredSupport"))),
        "smartInfraredSupport": bool(to_bool(result.get("smartInfraredSupport"))),
        "infraredLedSupport": bool(to_bool(result.get("infraredLedSupport"))),
    }


@dataclass(frozen=True, slots=True)
class ChannelPushState:
    """1.4.4.28: whether an NVR channel pushes messages."""

    channel_id: int
    name: str | None
    enabled: bool


def parse_channel_push(result: Mapping[str, Any]) -> list[ChannelPushState]:
    """1.4.4.28 ``infoList``."""
    out = []
    for item in _list(result.get("infoList")):
        channel = to_int(item.get("channelId"))
        if channel is None:
            continue
        out.append(
            ChannelPushState(
                channel,
                to_str(item.get("deviceName")),
                bool(to_bool(item.get("messagePushEnabled"))),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class FirmwareInfo:
    """1.4.3.24: one device's firmware and upgrade progress."""

    qr_code: str | None
    mac: str | None
    current: str | None
    newest: str | None
    release_date: str | None
    release_log: str | None
    upgrade_status: int | None
    download_progress: int | None
    upgrade_progress: int | None

    @property
    def update_available(self) -> bool | None:
        """Whether a newer version is known (``None`` when nothing was checked)."""
        if self.newest is None:
            return None
        return self.newest != self.current


def parse_firmware(result: Mapping[str, Any]) -> list[FirmwareInfo]:
    """1.4.3.24 ``list``."""
    out = []
    for item in _list(result.get("list")):
        new = item.get("newFwInfo")
        new_info: Mapping[str, Any] = new if isinstance(new, dict) else {}
        out.append(
            FirmwareInfo(
                qr_code=to_str(first(item, "qrCode", "qrcode")),
                mac=to_str(item.get("mac")),
                current=to_str(item.get("curFirmwareVer")),
                newest=to_str(new_info.get("fwVersion")),
                release_date=to_str(new_info.get("releaseDate")),
                release_log=to_str(new_info.get("releaseLog")),
                upgrade_status=to_int(item.get("upgradeStatus")),
                download_progress=to_int(item.get("downloadProgress")),
                upgrade_progress=to_int(item.get("upgradeProgress")),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class PushConfig:
    """1.4.6.2: the application's push subscription."""

    app_id: str | None
    server_url: str | None = field(repr=False)
    enabled: bool
    content_types: tuple[str, ...]


def parse_push_config(result: Mapping[str, Any]) -> PushConfig:
    """1.4.6.2."""
    types = result.get("msgContentType")
    return PushConfig(
        app_id=id_text(result.get("appId")),
        server_url=to_str(result.get("serverUrl")),
        enabled=bool(to_bool(result.get("openMsgTransport"))),
        content_types=tuple(t for t in types if isinstance(t, str))
        if isinstance(types, list)
        else (),
    )


def parse_temp_credentials(result: Mapping[str, Any], endpoint: str) -> Credentials:
    """1.4.1.1: ``expireTime`` in the answer is an absolute Unix time."""
    access_key = to_str(result.get("tempAk"))
    secret_key = to_str(result.get("tempSk"))
    expires = to_float(result.get("expireTime"))
    if access_key is None or secret_key is None or expires is None:
        raise ProtocolError(f"{endpoint}: answer lacks tempAk, tempSk or expireTime")
    return Credentials(access_key, secret_key, expires_at=expires, temporary=True)


@dataclass(frozen=True, slots=True)
class FlowTotals:
    """1.4.7.4/1.4.7.5: people counts of the queried period and the previous one."""

    entered: int | None
    exited: int | None
    passed: int | None
    last_entered: int | None
    last_exited: int | None
    last_passed: int | None


def parse_flow_totals(result: Mapping[str, Any]) -> FlowTotals:
    """1.4.7.4/1.4.7.5."""
    return FlowTotals(
        to_int(result.get("currentTotalInFlow")),
        to_int(result.get("currentTotalOutFlow")),
        to_int(result.get("currentTotalPassFlow")),
        to_int(result.get("lastTotalInFlow")),
        to_int(result.get("lastTotalOutFlow")),
        to_int(result.get("lastTotalPassFlow")),
    )


@dataclass(frozen=True, slots=True)
class FlowRow:
    """One bucket of 1.4.7.3 ``queryFlow``."""

    start: int | None
    end: int | None
    entered: int | None
    exited: int | None
    passed: int | None
    qr_code: str | None
    mac: str | None
    region_id: str | None


def parse_flow_rows(result: Mapping[str, Any]) -> tuple[int | None, int | None, list[FlowRow]]:
    """``(total, lastUpdateTime, rows)`` of 1.4.7.3."""
    rows = [
        FlowRow(
            start=to_int(item.get("startTime")),
            end=to_int(item.get("endTime")),
            entered=to_int(item.get("inFlow")),
            exited=to_int(item.get("outFlow")),
            passed=to_int(item.get("passFlow")),
            qr_code=to_str(first(item, "qrCode", "qrcode")),
            mac=to_str(item.get("mac")),
            region_id=id_text(item.get("regionId")),
        )
        for item in _list(result.get("list"))
    ]
    return to_int(result.get("total")), to_int(result.get("lastUpdateTime")), rows
