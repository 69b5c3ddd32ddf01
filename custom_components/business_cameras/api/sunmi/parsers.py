"""Typed results of the SUNMI OpenAPI calls, parsed from the ``data`` object of each answer."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..errors import ProtocolError
from ..model import Disk

_LOGGER = logging.getLogger(__name__)

# getIrMode / setIrMode: "0: off; 1: on; 2: auto".
IR_MODES: Final[dict[int, str]] = {0: "off", 1: "on", 2: "auto"}
IR_MODE_VALUES: Final[dict[str, int]] = {name: value for value, name in IR_MODES.items()}

# getMemoryCardStatus: "0: unplugged, 1: unformatted, 2: working; 3: unknown", named as the
# integration's disk statuses.
CARD_STATUSES: Final[dict[int, str]] = {0: "miss", 1: "unformatted", 2: "normal", 3: "unknown"}
CARD_WORKING: Final = 2
# ASSUMPTION: the seed documents only "status". Capacity fields, if a firmware sends them, are
# read under these names, in MiB unless a "_gb"/"_kb" suffix says otherwise.
CARD_TOTAL_KEYS: Final = ("total", "total_space", "total_size", "capacity", "total_mb", "total_gb")
CARD_FREE_KEYS: Final = ("free", "free_space", "free_size", "remain", "free_mb", "free_gb")
CARD_FORMATTING_KEYS: Final = ("formatting", "is_formatting", "format_status")

# Dynamic detection: a level of 0 turns that detection off (the vendor's app does so).
DETECT_LEVEL_MAX: Final = 3
WEEKDAY_ALL_TIME: Final = 0x80


def to_int(value: Any, endpoint: str, name: str) -> int:
    """An integer field (numbers in strings tolerated); ProtocolError otherwise."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ProtocolError(f"{endpoint}: {name} is not an integer ({type(value).__name__})")


def opt_int(value: Any, endpoint: str, name: str) -> int | None:
    """An optional integer field (missing, null or "" is None)."""
    if value is None or value == "":
        return None
    return to_int(value, endpoint, name)


def opt_str(value: Any, endpoint: str, name: str) -> str | None:
    """An optional string field (numbers are turned into text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ProtocolError(f"{endpoint}: {name} is not a string ({type(value).__name__})")


def require(data: Mapping[str, Any], key: str, endpoint: str) -> Any:
    """A mandatory field; ProtocolError if the answer lacks it."""
    if key not in data or data[key] is None:
        raise ProtocolError(f"{endpoint}: answer lacks {key}")
    return data[key]


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """``device/getInfo``."""

    sn: str
    model: str
    name: str | None
    software_version: str | None
    hardware_version: str | None
    ip: str | None
    mac: str | None


def parse_info(data: Mapping[str, Any]) -> DeviceInfo:
    """``device/getInfo``: sn and model_name are required, the rest optional."""
    endpoint = "device/getInfo"
    mac = opt_str(data.get("mac"), endpoint, "mac")
    return DeviceInfo(
        sn=str(opt_str(require(data, "sn", endpoint), endpoint, "sn")),
        model=opt_str(data.get("model_name"), endpoint, "model_name") or "",
        name=opt_str(data.get("name"), endpoint, "name"),
        software_version=opt_str(data.get("software_version"), endpoint, "software_version"),
        hardware_version=opt_str(data.get("hardware_version"), endpoint, "hardware_version"),
        ip=opt_str(data.get("ip"), endpoint, "ip"),
        mac=mac.upper() if mac else None,
    )


@dataclass(frozen=True, slots=True)
class LiveStream:
    """``media/getLiveStream``: RTSP URLs (HD and full HD)."""

    hd_url: str | None
    fhd_url: str | None


def parse_live_stream(data: Mapping[str, Any]) -> LiveStream:
    """``media/getLiveStream``."""
    endpoint = "media/getLiveStream"
    stream = LiveStream(
        hd_url=opt_str(data.get("hd_live_url"), endpoint, "hd_live_url") or None,
        fhd_url=opt_str(data.get("fhd_live_url"), endpoint, "fhd_live_url") or None,
    )
    if stream.hd_url is None and stream.fhd_url is None:
        raise ProtocolError(f"{endpoint}: answer has no live URL")
    return stream


@dataclass(frozen=True, slots=True)
class DynamicDetect:
    """``config/getDynamicDetect``: levels 0..3 (0 = off), weekday bits, minutes of the day."""

    motion_level: int
    audio_level: int
    weekday: int
    start_time: int
    stop_time: int

    @property
    def motion_enabled(self) -> bool:
        """Motion detection is on (level 1..3)."""
        return self.motion_level > 0

    @property
    def audio_enabled(self) -> bool:
        """Audio detection is on (level 1..3)."""
        return self.audio_level > 0


def parse_dynamic_detect(data: Mapping[str, Any]) -> DynamicDetect:
    """``config/getDynamicDetect``."""
    endpoint = "config/getDynamicDetect"
    return DynamicDetect(
        motion_level=to_int(require(data, "motion_level", endpoint), endpoint, "motion_level"),
        audio_level=to_int(require(data, "audio_level", endpoint), endpoint, "audio_level"),
        weekday=opt_int(data.get("weekday"), endpoint, "weekday") or 0,
        start_time=opt_int(data.get("start_time"), endpoint, "start_time") or 0,
        stop_time=opt_int(data.get("stop_time"), endpoint, "stop_time") or 0,
    )


@dataclass(frozen=True, slots=True)
class ZoomFocus:
    """``config/getZoomFocusConf``."""

    zoom: int | None
    focus: int | None
    max_zoom: int | None
    max_focus: int | None
    focus_x: int | None
    focus_y: int | None


def parse_zoom_focus(data: Mapping[str, Any]) -> ZoomFocus:
    """``config/getZoomFocusConf`` (the table says focus_x/y, the example focused_x/y)."""
    endpoint = "config/getZoomFocusConf"
    focus_x = data.get("focus_x", data.get("focused_x"))
    focus_y = data.get("focus_y", data.get("focused_y"))
    return ZoomFocus(
        zoom=opt_int(data.get("zoom"), endpoint, "zoom"),
        focus=opt_int(data.get("focus"), endpoint, "focus"),
        max_zoom=opt_int(data.get("max_zoom"), endpoint, "max_zoom"),
        max_focus=opt_int(data.get("max_focus"), endpoint, "max_focus"),
        focus_x=opt_int(focus_x, endpoint, "focus_x"),
        focus_y=opt_int(focus_y, endpoint, "focus_y"),
    )


@dataclass(frozen=True, slots=True)
class MemoryCard:
    """``config/getMemoryCardStatus``."""

    status: int
    total_mb: float | None = None
    free_mb: float | None = None
    formatting: bool = False

    @property
    def status_name(self) -> str:
        """``miss``, ``unformatted``, ``normal``, ``formatting`` or ``unknown``."""
        if self.formatting:
            return "formatting"
        return CARD_STATUSES.get(self.status, "unknown")

    def to_disk(self, formatting: bool = False) -> Disk:
        """The card as the integration's Disk (id 1, sizes in GB)."""
        status = "formatting" if formatting else self.status_name
        return Disk(
            id=1,
            slot=None,
            status=status,
            total_gb=None if self.total_mb is None else round(self.total_mb / 1024, 2),
            free_gb=None if self.free_mb is None else round(self.free_mb / 1024, 2),
            writable=self.status == CARD_WORKING and not (formatting or self.formatting),
        )


def _size_mb(data: Mapping[str, Any], keys: tuple[str, ...], endpoint: str) -> float | None:
    for key in keys:
        value = data.get(key)
        if value is None or value == "" or isinstance(value, bool):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            _LOGGER.debug("%s: %s=%r is not a size", endpoint, key, value)
            continue
        if key.endswith("_gb"):
            return number * 1024
        if key.endswith("_kb"):
            return number / 1024
        return number
    return None


def parse_memory_card(data: Mapping[str, Any]) -> MemoryCard:
    """``config/getMemoryCardStatus``; capacity and a formatting flag only if present."""
    endpoint = "config/getMemoryCardStatus"
    extra = set(data) - {"status"}
    if extra:
        _LOGGER.debug("%s: undocumented fields %s", endpoint, sorted(extra))
    formatting = any(
        data.get(key) not in (None, "", 0, False, "0", "false") for key in CARD_FORMATTING_KEYS
    )
    return MemoryCard(
        status=to_int(require(data, "status", endpoint), endpoint, "status"),
        total_mb=_size_mb(data, CARD_TOTAL_KEYS, endpoint),
        free_mb=_size_mb(data, CARD_FREE_KEYS, endpoint),
        formatting=formatting,
    )


def parse_angles(data: Mapping[str, Any]) -> list[int]:
    """``config/getRotationAngles``: ``angles`` is a list of strings ("0", "90", ...)."""
    endpoint = "config/getRotationAngles"
    angles = require(data, "angles", endpoint)
    if isinstance(angles, str):
        angles = [part for part in angles.replace(" ", "").split(",") if part]
    if not isinstance(angles, list):
        raise ProtocolError(f"{endpoint}: angles is not a list")
    return sorted({to_int(angle, endpoint, "angles") for angle in angles})


@dataclass(frozen=True, slots=True)
class PeopleFlowConfig:
    """``peopleFlow/getConfig``."""

    facerecog_interval: int | None
    customer_judgemode: int | None


def parse_people_flow_config(data: Mapping[str, Any]) -> PeopleFlowConfig:
    """``peopleFlow/getConfig``."""
    endpoint = "peopleFlow/getConfig"
    return PeopleFlowConfig(
        facerecog_interval=opt_int(data.get("facerecog_interval"), endpoint, "facerecog_interval"),
        customer_judgemode=opt_int(data.get("customer_judgemode"), endpoint, "customer_judgemode"),
    )


@dataclass(frozen=True, slots=True)
class FlowPeriod:
    """One element of ``stat_list``."""

    start_time: int | None
    end_time: int | None
    total: int
    male: tuple[int, ...] = ()
    female: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class FlowStat:
    """``peopleFlow/getPeopleStat*``: the total and the per-period list."""

    total: int
    periods: list[FlowPeriod] = field(default_factory=list)


def _int_list(value: Any, endpoint: str, name: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(to_int(item, endpoint, name) for item in value)


def parse_flow_stat(data: Mapping[str, Any], endpoint: str) -> FlowStat:
    """``peopleFlow/getPeopleStat``, ``getPeopleStatOut`` or ``getPeopleStatPass``."""
    periods = []
    items = data.get("stat_list") or []
    if not isinstance(items, list):
        raise ProtocolError(f"{endpoint}: stat_list is not a list")
    for item in items:
        if not isinstance(item, dict):
            raise ProtocolError(f"{endpoint}: a stat_list element is not an object")
        periods.append(
            FlowPeriod(
                start_time=opt_int(item.get("start_time"), endpoint, "start_time"),
                end_time=opt_int(item.get("end_time"), endpoint, "end_time"),
                total=opt_int(item.get("total"), endpoint, "total") or 0,
                male=_int_list(item.get("male_num_stat"), endpoint, "male_num_stat"),
                female=_int_list(item.get("female_num_stat"), endpoint, "female_num_stat"),
            )
        )
    total = opt_int(data.get("total"), endpoint, "total")
    if total is None:
        total = sum(period.total for period in periods)
    return FlowStat(total=total, periods=periods)


@dataclass(frozen=True, slots=True)
class HookSubscription:
    """One element of ``hook/query``'s ``sub_event``."""

    event: str
    callbacks: tuple[str, ...]


def parse_hooks(data: Mapping[str, Any]) -> list[HookSubscription]:
    """``hook/query``."""
    endpoint = "hook/query"
    items = data.get("sub_event") or []
    if not isinstance(items, list):
        raise ProtocolError(f"{endpoint}: sub_event is not a list")
    hooks = []
    for item in items:
        if not isinstance(item, dict):
            raise ProtocolError(f"{endpoint}: a sub_event element is not an object")
        callbacks = item.get("http_callback") or []
        if isinstance(callbacks, str):
            callbacks = [callbacks]
        if not isinstance(callbacks, list):
            raise ProtocolError(f"{endpoint}: http_callback is not a list")
        hooks.append(
            HookSubscription(
                event=str(opt_str(require(item, "event", endpoint), endpoint, "event")),
                callbacks=tuple(str(callback) for callback in callbacks),
            )
        )
    return hooks
