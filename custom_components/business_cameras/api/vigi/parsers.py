"""Typed views of the NVR's JSON answers.

The client percent-decodes a whole answer once (:func:`decode_strings`) and hands the result to
one function per response shape. Every function raises :class:`ProtocolError` naming the
endpoint when the shape is wrong, never KeyError or TypeError.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, unquote

from ..errors import ProtocolError
from ..model import AudioSettings, Disk, EventServer, PoePort

_SIZE_RE: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?)?\s*$", re.IGNORECASE)
_SIZE_FACTORS: Final = {"K": 1 / 1024 / 1024, "M": 1 / 1024, "G": 1.0, "T": 1024.0}
_MAC_HEX_RE: Final = re.compile(r"^[0-9a-f]{12}$")
_PORT_KEY_RE: Final = re.compile(r"^port\s*(\d+)$", re.IGNORECASE)


# --- generic helpers ---------------------------------------------------------------------


def decode_strings(value: Any) -> Any:
    """Percent-decode every string in a JSON value, recursively (keys stay as they are)."""
    if isinstance(value, str):
        return unquote(value)
    if isinstance(value, list):
        return [decode_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: decode_strings(item) for key, item in value.items()}
    return value


def encode_strings(value: Any) -> Any:
    """Percent-encode every string in a request body, recursively; numbers stay numbers."""
    if isinstance(value, str):
        return quote(value, safe="")
    if isinstance(value, list | tuple):
        return [encode_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: encode_strings(item) for key, item in value.items()}
    return value


def to_int(value: Any, endpoint: str, name: str) -> int:
    """Read an integer sent as a number or a numeric string ("1" and 1 alike)."""
    if isinstance(value, bool):
        raise ProtocolError(f"{endpoint}: {name} is a boolean, expected a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                pass
            else:
                if number.is_integer():
                    return int(number)
    raise ProtocolError(f"{endpoint}: {name} is not an integer")


def opt_int(value: Any, endpoint: str, name: str) -> int | None:
    """Like :func:`to_int`, but missing, empty and "None" mean ``None``."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "None", "none")):
        return None
    return to_int(value, endpoint, name)


def to_switch(value: Any, endpoint: str, name: str) -> bool:
    """``on``/``off`` (also ``1``/``0`` and booleans) as a bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("on", "1", "true", "yes", "enable", "enabled"):
            return True
        if text in ("off", "0", "false", "no", "disable", "disabled"):
            return False
    raise ProtocolError(f"{endpoint}: {name} is not on/off")


def to_str(value: Any, endpoint: str, name: str) -> str:
    """Read a string (numbers are accepted and converted, since the firmware mixes them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ProtocolError(f"{endpoint}: {name} is not a string")


def opt_str(value: Any, endpoint: str, name: str) -> str | None:
    """Like :func:`to_str`, but missing means ``None``."""
    return None if value is None else to_str(value, endpoint, name)


def parse_size_gb(value: Any) -> float | None:
    """``"698 GB"`` -> 698.0 (KB/MB/TB converted); ``None`` when unreadable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return None
    match = _SIZE_RE.match(value)
    if match is None:
        return None
    unit = (match.group(2) or "G")[0].upper()
    return float(match.group(1)) * _SIZE_FACTORS[unit]


def normalise_mac(value: str | None) -> str | None:
    """``00-FF-00-13-31-01`` (or any separator) -> ``00:ff:00:13:31:01``; junk -> ``None``."""
    if not value:
        return None
    digits = re.sub(r"[^0-9a-f]", "", value.lower())
    if not _MAC_HEX_RE.match(digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _objects(
    data: Mapping[str, Any], key: str, endpoint: str, *, required: bool = True
) -> list[Mapping[str, Any]]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise ProtocolError(f"{endpoint}: {key} is not a list")
    if not all(isinstance(item, Mapping) for item in value):
        raise ProtocolError(f"{endpoint}: {key} holds something other than objects")
    return value


def _require(data: Mapping[str, Any], key: str, endpoint: str) -> Any:
    if key not in data:
        raise ProtocolError(f"{endpoint}: answer lacks {key}")
    return data[key]


# --- channels and modules ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Channel:
    """One camera of ``added_devices`` (``id`` is the channel number)."""

    id: int
    name: str
    alias: str | None
    online: bool
    ip: str | None
    mac: str | None


def parse_added_devices(data: Mapping[str, Any]) -> list[Channel]:
    """``GET /openapi/added_devices`` -> channels (MAC normalised to ``aa:bb:..``)."""
    endpoint = "added_devices"
    channels = []
    for item in _objects(data, "devices", endpoint):
        channel_id = to_int(_require(item, "id", endpoint), endpoint, "id")
        name = opt_str(item.get("name"), endpoint, "name") or f"Channel {channel_id}"
        online = item.get("online")
        channels.append(
            Channel(
                id=channel_id,
                name=name,
                alias=opt_str(item.get("alias"), endpoint, "alias"),
                online=True if online is None else to_switch(online, endpoint, "online"),
                ip=opt_str(item.get("ip"), endpoint, "ip") or None,
                mac=normalise_mac(opt_str(item.get("mac"), endpoint, "mac")),
            )
        )
    return channels


@dataclass(frozen=True, slots=True)
class Module:
    """One entry of ``module_list`` (V1.3+)."""

    name: str
    version: int | None


def parse_module_list(data: Mapping[str, Any]) -> list[Module]:
    """``GET /openapi/module_list`` -> modules."""
    endpoint = "module_list"
    return [
        Module(
            name=to_str(_require(item, "name", endpoint), endpoint, "name"),
            version=opt_int(item.get("version"), endpoint, "version"),
        )
        for item in _objects(data, "module_list", endpoint)
    ]


# --- video ---------------------------------------------------------------------------------


def parse_resolution(data: Mapping[str, Any]) -> str:
    """``GET /openapi/resolution`` -> ``"W*H"``."""
    return to_str(_require(data, "resolution", "resolution"), "resolution", "resolution")


def parse_valid_resolutions(data: Mapping[str, Any]) -> list[str]:
    """``GET /openapi/valid_resolutions`` -> ``["W*H", ...]``."""
    endpoint = "valid_resolutions"
    return [
        to_str(_require(item, "resolution", endpoint), endpoint, "resolution")
        for item in _objects(data, "resolutions", endpoint)
    ]


@dataclass(frozen=True, slots=True)
class Bitrate:
    """Encoder bitrate of one stream (``quality`` only matters for VBR)."""

    max_kbps: int | None
    type: str | None
    quality: str | None


def parse_bitrate(data: Mapping[str, Any]) -> Bitrate:
    """``GET /openapi/bitrate`` (the document spells the key ``maximun_bitrate``)."""
    endpoint = "bitrate"
    raw = data.get("maximun_bitrate", data.get("maximum_bitrate"))
    type_ = opt_str(data.get("type"), endpoint, "type")
    return Bitrate(
        max_kbps=opt_int(raw, endpoint, "maximun_bitrate"),
        type=type_.lower() if type_ else None,
        quality=opt_str(data.get("quality"), endpoint, "quality"),
    )


@dataclass(frozen=True, slots=True)
class BitrateCapability:
    """Valid bitrates (Kbps) and VBR quality levels of one stream."""

    bitrates: list[int]
    qualities: list[str]


def parse_bitrate_capability(data: Mapping[str, Any]) -> BitrateCapability:
    """``GET /openapi/bitrate_capability`` (the document spells ``valid_qualitys``)."""
    endpoint = "bitrate_capability"
    bitrates = data.get("valid_bitrates", [])
    qualities = data.get("valid_qualitys", data.get("valid_qualities", []))
    if not isinstance(bitrates, list) or not isinstance(qualities, list):
        raise ProtocolError(f"{endpoint}: valid_bitrates/valid_qualitys are not lists")
    return BitrateCapability(
        bitrates=[to_int(item, endpoint, "valid_bitrates") for item in bitrates],
        qualities=[to_str(item, endpoint, "valid_qualitys") for item in qualities],
    )


# --- time ----------------------------------------------------------------------------------


def parse_timing_mode(data: Mapping[str, Any]) -> str:
    """``GET /openapi/timing_mode`` -> ``ntp`` or ``manual``."""
    return to_str(_require(data, "mode", "timing_mode"), "timing_mode", "mode").lower()


@dataclass(frozen=True, slots=True)
class NtpConfig:
    """The NVR's NTP server."""

    server: str
    port: int | None


def parse_ntp(data: Mapping[str, Any]) -> NtpConfig:
    """``GET /openapi/ntp``."""
    return NtpConfig(
        server=to_str(_require(data, "server", "ntp"), "ntp", "server"),
        port=opt_int(data.get("port"), "ntp", "port"),
    )


# --- audio ---------------------------------------------------------------------------------


def parse_audio_output(data: Mapping[str, Any]) -> AudioSettings:
    """``GET /openapi/audio/output/sound`` (``mute`` on means muted)."""
    endpoint = "audio/output/sound"
    return AudioSettings(
        muted=to_switch(_require(data, "mute", endpoint), endpoint, "mute"),
        volume=to_int(_require(data, "volume", endpoint), endpoint, "volume"),
        system_volume=opt_int(data.get("system_volume"), endpoint, "system_volume"),
    )


def parse_audio_input(data: Mapping[str, Any]) -> AudioSettings:
    """``GET /openapi/audio/input/sound``."""
    endpoint = "audio/input/sound"
    noise = data.get("noise_cancelling")
    return AudioSettings(
        muted=to_switch(_require(data, "mute", endpoint), endpoint, "mute"),
        volume=to_int(_require(data, "volume", endpoint), endpoint, "volume"),
        noise_cancelling=None if noise is None else to_switch(noise, endpoint, "noise"),
    )


@dataclass(frozen=True, slots=True)
class AudioCapability:
    """Whether a speaker and a microphone are available (V1.4)."""

    speaker: bool
    microphone: bool


def parse_audio_capability(data: Mapping[str, Any], endpoint: str) -> AudioCapability:
    """``GET /openapi/audio/capability`` or ``/openapi/audio/channel_capability``."""
    return AudioCapability(
        speaker=to_switch(data.get("speaker_enable", 0), endpoint, "speaker_enable"),
        microphone=to_switch(data.get("microphone_enable", 0), endpoint, "microphone_enable"),
    )


# --- disks ---------------------------------------------------------------------------------


def parse_disks(data: Mapping[str, Any], endpoint: str = "disks") -> list[Disk]:
    """``GET /openapi/disks`` or ``/openapi/esata_disks``."""
    disks = []
    for index, item in enumerate(_objects(data, "disks", endpoint, required=False), start=1):
        disk_id = opt_int(item.get("id"), endpoint, "id")
        rw_attr = opt_str(item.get("rw_attr"), endpoint, "rw_attr") or ""
        disks.append(
            Disk(
                id=index if disk_id is None else disk_id,
                slot=opt_int(item.get("slot"), endpoint, "slot"),
                status=(opt_str(item.get("status"), endpoint, "status") or "unknown").lower(),
                total_gb=parse_size_gb(item.get("total_space")),
                free_gb=parse_size_gb(item.get("free_space")),
                writable="w" in rw_attr.lower(),
            )
        )
    return disks


# --- PoE -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PoeInfo:
    """One port of ``GET /openapi/poe/info`` (``max_port_power`` is in 0.1 W)."""

    port: int
    enabled: bool
    priority: str | None
    max_port_power: int | None


def parse_poe_info(data: Mapping[str, Any]) -> list[PoeInfo]:
    """``GET /openapi/poe/info``."""
    endpoint = "poe/info"
    return [
        PoeInfo(
            port=to_int(_require(item, "port", endpoint), endpoint, "port"),
            enabled=to_switch(_require(item, "enable", endpoint), endpoint, "enable"),
            priority=opt_str(item.get("priority"), endpoint, "priority"),
            max_port_power=opt_int(item.get("max_port_power"), endpoint, "max_port_power"),
        )
        for item in _objects(data, "info", endpoint, required=False)
    ]


@dataclass(frozen=True, slots=True)
class PoeStatus:
    """``GET /openapi/poe/status`` in watts; ``ports`` maps port -> (watts used, status 0..6)."""

    total_w: float | None
    used_w: float | None
    ports: dict[int, tuple[float | None, int | None]]


def _deciwatts(value: Any, endpoint: str, name: str) -> float | None:
    number = opt_int(value, endpoint, name)
    return None if number is None else number / 10


def parse_poe_status(data: Mapping[str, Any]) -> PoeStatus:
    """``GET /openapi/poe/status``: a list of one-key objects (``global``, ``port1``, ...)."""
    endpoint = "poe/status"
    raw = data.get("status")
    # The document wraps each entry in its own object; accept one flat object as well.
    entries = [raw] if isinstance(raw, Mapping) else raw
    if not isinstance(entries, list):
        raise ProtocolError(f"{endpoint}: status is not a list")
    total = used = None
    ports: dict[int, tuple[float | None, int | None]] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise ProtocolError(f"{endpoint}: status holds something other than objects")
        for key, value in entry.items():
            if not isinstance(value, Mapping):
                raise ProtocolError(f"{endpoint}: {key} is not an object")
            if key == "global":
                total = _deciwatts(value.get("sys_power"), endpoint, "sys_power")
                used = _deciwatts(value.get("cost_power"), endpoint, "cost_power")
            elif match := _PORT_KEY_RE.match(key):
                ports[int(match.group(1))] = (
                    _deciwatts(value.get("cost"), endpoint, "cost"),
                    opt_int(value.get("status"), endpoint, "status"),
                )
    return PoeStatus(total_w=total, used_w=used, ports=ports)


def parse_poe_link_status(data: Mapping[str, Any]) -> dict[int, bool]:
    """``GET /openapi/poe/link_status``: ``"00001010"``, one character per port from port 1."""
    endpoint = "poe/link_status"
    text = to_str(_require(data, "link_status", endpoint), endpoint, "link_status").strip()
    if any(char not in "01" for char in text):
        raise ProtocolError(f"{endpoint}: link_status is not a string of 0/1")
    return {index: char == "1" for index, char in enumerate(text, start=1)}


def parse_poe_link_mode(data: Mapping[str, Any]) -> dict[int, str]:
    """``GET /openapi/poe/link_mode`` -> port -> ``full_100`` etc."""
    endpoint = "poe/link_mode"
    return {
        to_int(_require(item, "port", endpoint), endpoint, "port"): to_str(
            _require(item, "link_mode", endpoint), endpoint, "link_mode"
        )
        for item in _objects(data, "link_mode", endpoint)
    }


def merge_poe(
    info: list[PoeInfo], status: PoeStatus | None, links: Mapping[int, bool] | None
) -> list[PoePort]:
    """Combine poe/info, poe/status and poe/link_status into one list of ports."""
    ports = []
    for item in sorted(info, key=lambda entry: entry.port):
        cost, state = status.ports.get(item.port, (None, None)) if status else (None, None)
        ports.append(
            PoePort(
                port=item.port,
                enabled=item.enabled,
                status=state,
                power_w=cost,
                max_power_w=None if item.max_port_power is None else item.max_port_power / 10,
                linked=links.get(item.port) if links is not None else None,
            )
        )
    return ports


# --- events and alarms --------------------------------------------------------------------


def parse_event_servers(data: Mapping[str, Any]) -> list[EventServer]:
    """``GET /openapi/event_server`` (an empty table may come without the key)."""
    endpoint = "event_server"
    servers = []
    for item in _objects(data, "event_server", endpoint, required=False):
        servers.append(
            EventServer(
                id=to_int(_require(item, "id", endpoint), endpoint, "id"),
                host=opt_str(item.get("ip_or_domain"), endpoint, "ip_or_domain") or "",
                port=opt_int(item.get("port"), endpoint, "port") or 0,
                path=opt_str(item.get("url"), endpoint, "url") or "",
                protocol=(opt_str(item.get("protocol"), endpoint, "protocol") or "HTTP").upper(),
                picture=to_switch(item.get("picture_switch", "off"), endpoint, "picture_switch"),
            )
        )
    return servers


@dataclass(frozen=True, slots=True)
class IpcAlarm:
    """One channel of ``alarm_output/batch_get_ipc_alarm`` (V1.4)."""

    channel: int
    name: str | None
    delay_time: str | None
    enabled: bool | None
    manual_supported: bool | None


def parse_batch_ipc_alarm(data: Mapping[str, Any]) -> list[IpcAlarm]:
    """``GET /openapi/alarm_output/batch_get_ipc_alarm``."""
    endpoint = "alarm_output/batch_get_ipc_alarm"
    alarms = []
    for item in _objects(data, "alarm_output", endpoint):
        enabled = item.get("enabled")
        manual = item.get("manual_alarm_out_supported")
        alarms.append(
            IpcAlarm(
                channel=to_int(_require(item, "channel", endpoint), endpoint, "channel"),
                name=opt_str(item.get("alarm_name"), endpoint, "alarm_name"),
                delay_time=opt_str(item.get("delay_time"), endpoint, "delay_time"),
                enabled=None if enabled is None else to_switch(enabled, endpoint, "enabled"),
                manual_supported=None if manual is None else to_switch(manual, endpoint, "manual"),
            )
        )
    return alarms


def parse_timer(data: Mapping[str, Any], endpoint: str) -> int | None:
    """Read the ``timer`` of a manual alarm answer (seconds the output stays on)."""
    return opt_int(data.get("timer"), endpoint, "timer")
