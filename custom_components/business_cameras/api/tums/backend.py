"""A TUMS cloud application as a Backend: its devices, NVR channels and pushed events."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from ..backend import Action, Setting
from ..concurrency import run_bounded
from ..errors import ApiError, AuthError, CameraError, ProtocolError, UnsupportedError
from ..model import (
    CameraEvent,
    Capability,
    Device,
    DeviceState,
    ImageSettings,
    PeopleFlow,
    SolarState,
    StateGroup,
)
from . import push
from .alarm import AlarmType
from .capability_cache import CapabilityCache, Probe
from .client import AppType, TumsClient
from .errors import (
    DeviceOfflineError,
    DeviceUnsupportedError,
    NotLicensedError,
    PushTargetInUseError,
    RateLimitedError,
)
from .parsers import (
    DeviceInfo,
    DeviceRef,
    FirmwareInfo,
    first,
    frame_rate_fps,
    normalise_mac,
    stream_settings,
    to_bool,
    to_int,
)
from .recording_events import RecordingWatermarks
from .solar import SOLAR_STATES

_LOGGER = logging.getLogger(__name__)

MANUFACTURER: Final = "TP-Link"
CONCURRENCY: Final = 4
DEFAULT_REBOOT_TIME: Final = "03:00:00"
# upgradeStatus (1.4.3.24) values while an upgrade runs: upgrading, importing, downloading,
# waiting to upgrade.
UPGRADING: Final = frozenset({1, 3, 5, 6})
# The push body is JSON (1.4.6.3), not multipart.
PUSH_CONTENT_TYPES: Final = ("application/json",)
# 1.4.4.8 ``flip``: mirror left-right, flip up-down, centre (180 degrees), off.
FLIP_MODES: Final = ("off", "left_and_right", "up_and_down", "center")
# 1.4.4.8/1.4.4.9 field of each picture adjustment (0..100).
IMAGE_FIELDS: Final = {
    Setting.BRIGHTNESS: "luma",
    Setting.CONTRAST: "contrast",
    Setting.SATURATION: "saturation",
    Setting.SHARPNESS: "sharpness",
}
# searchDay (1.4.5.7) names no time zone; the only day boundary the document defines is
# Beijing time's (1.4.4.24), so the cloud's "today" is China Standard Time.
CLOUD_TZ: Final = dt.timezone(dt.timedelta(hours=8), "CST")
# 1.4.4.16 main-stream lists kept besides resolutions (the table's spelling first, then the
# example's; part 2 section 11 item 15).
STREAM_CHOICES: Final = ("encodeTypes", "frameRates", "bitrates", "bitrateTypes")
_SPELLINGS: Final = {"bitrates": "bitRates", "bitrateTypes": "bitRateTypes"}
# 1.4.4.18 field, allowed values and wire form of each main-stream setting (frame rates are
# fps + 65536 on the wire).
MAIN_STREAM_FIELDS: Final[
    dict[Setting, Callable[[Device], tuple[str, tuple[Any, ...], Callable[[Any], Any]]]]
] = {
    Setting.MAIN_ENCODING: lambda d: ("encodeType", d.encodings, str),
    Setting.MAIN_FRAME_RATE: lambda d: ("frameRate", d.frame_rates, lambda v: int(v) + 65536),
    Setting.MAIN_BITRATE: lambda d: ("bitrate", d.bitrates, int),
    Setting.MAIN_BITRATE_TYPE: lambda d: ("bitrateType", d.bitrate_types, str),
}
# Detections switched through 1.4.8.3 (no read-back): the alarmType of each.
DETECTIONS: Final = {
    Setting.MOTION_DETECTION: AlarmType.MOTION,
    Setting.TAMPER_DETECTION: AlarmType.TAMPER,
}
# Settings the cloud can write but not read (reference part 2 section 10).
WRITE_ONLY: Final = frozenset({*DETECTIONS, Setting.ALARM_INPUT, Setting.ALARM_OUTPUT})
_CAP = Capability


def _is_soft(err: BaseException) -> bool:
    """Errors that concern one request only; the rest end the poll."""
    return isinstance(err, ApiError | ProtocolError | UnsupportedError) and not isinstance(
        err, AuthError | RateLimitedError
    )


def device_key(info: DeviceInfo) -> str:
    """The stable key of a directly bound device: its 17-character device code, else its MAC."""
    return info.qr_code or normalise_mac(info.mac) or str(info.mac)


def channel_key(parent_key: str, channel: int) -> str:
    """The key of an NVR channel: the NVR's key and the channel number."""
    return f"{parent_key}:ch{channel}"


class TumsBackend:
    """Every device of one TUMS application (device-type or project-type)."""

    def __init__(
        self,
        client: TumsClient,
        *,
        account_id: str,
        local_streams: Mapping[str, str] | None = None,
        capability_cache: CapabilityCache | None = None,
    ) -> None:
        """Wrap ``client``; ``account_id`` is the stable identity of the config entry.

        ``local_streams`` maps device keys to RTSP URLs on the local network: the cloud
        offers no stream, so a camera streams only where the user gave one.
        ``capability_cache`` (owned and persisted by the caller) spares the four capability
        requests per camera at setup while its entries are fresh.
        """
        self._client = client
        self._cache = capability_cache
        self._account_id = account_id
        self._local_streams = dict(local_streams or {})
        self._app_type: AppType | None = None
        self._refs: dict[str, DeviceRef] = {}
        self._by_mac: dict[str, str] = {}
        self._by_qr: dict[str, str] = {}
        self._unlicensed: set[str] = set()
        self._flow_ids: set[str] = set()
        self._push_url: str | None = None
        self._dedupe = push.Deduplicator()
        self._tasks: set[asyncio.Task[None]] = set()
        self._marks = RecordingWatermarks()

    push_content_types = PUSH_CONTENT_TYPES

    @property
    def unique_id(self) -> str:
        """The account (application) id given at construction."""
        return self._account_id

    @property
    def app_type(self) -> AppType | None:
        """Device or project application, once connected."""
        return self._app_type

    def diagnostics(self) -> dict[str, Any]:
        """What the application looks like from here; no key, code or address."""
        return {
            "app_type": None if self._app_type is None else self._app_type.value,
            "devices": len(self._refs),
            "unlicensed_devices": len(self._unlicensed),
            "people_counting_devices": len(self._flow_ids),
            "push_subscribed": self._push_url is not None,
            "temporary_credentials": self._client.uses_temporary_credentials,
            "rate_limited_for_s": self._client.blocked_for,
            "cameras_with_local_stream": len(self._local_streams),
            "recording_marks": len(self._marks),
            "capability_cache_entries": None if self._cache is None else len(self._cache),
        }

    async def async_connect(self) -> None:
        """Verify the keys and learn the application type (AuthError, ConnectError)."""
        self._app_type = await self._client.detect_app_type()

    async def async_close(self) -> None:
        """Cancel pending alarm stops; the HTTP session belongs to the caller."""
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()

    async def _asked[T](self, call: Awaitable[T], what: str) -> tuple[T | None, bool]:
        """The answer, and whether the cloud gave one.

        "Not supported" is a lasting answer (worth caching); a timeout or a bad reply is not.
        """
        try:
            return await call, True
        except DeviceUnsupportedError as err:
            _LOGGER.debug("%s not supported: %s", what, err)
            return None, True
        except CameraError as err:
            if not _is_soft(err):
                raise
            _LOGGER.debug("%s unavailable: %s", what, err)
            return None, False

    async def _soft[T](self, call: Awaitable[T], what: str) -> T | None:
        """The answer, or None where the request failed softly (logged at debug level)."""
        return (await self._asked(call, what))[0]

    # --- devices ------------------------------------------------------------------------

    async def async_get_devices(self) -> list[Device]:
        """Directly bound devices, and each NVR's channels as children of the NVR."""
        if self._app_type is None:
            await self.async_connect()
        infos = await self._client.list_devices(self._app_type)
        top = [info for info in infos if not info.is_child]
        listed_children = [info for info in infos if info.is_child]
        self._refs.clear()
        self._by_mac.clear()
        self._by_qr.clear()
        self._unlicensed.clear()
        entries: list[tuple[str, DeviceInfo, DeviceRef, str | None]] = []
        areas: dict[str, str | None] = {}
        for info in top:
            key = device_key(info)
            areas[key] = info.region_name or None
            entries.append((key, info, info.ref(), None))
        nvrs = [(key, info) for key, info, _, _ in entries if info.is_nvr]
        channel_lists: dict[str, list[DeviceInfo]] = {}

        def channels_job(key: str, info: DeviceInfo) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                if not info.licensed:
                    return
                found = await self._soft(self._client.get_channels(info.ref()), "channels")
                if found is not None:
                    channel_lists[key] = found

            return run

        await run_bounded([channels_job(k, i) for k, i in nvrs], CONCURRENCY)
        for key, info in nvrs:
            channels = channel_lists.get(key)
            if channels is None:
                channels = [
                    c
                    for c in listed_children
                    if (info.qr_code and c.parent_qr_code == info.qr_code)
                    or (normalise_mac(c.parent_mac) == normalise_mac(info.mac) and info.mac)
                ]
            for channel in channels:
                if channel.channel_id is None:
                    continue
                ref = info.ref().with_channel(channel.channel_id)
                entries.append((channel_key(key, channel.channel_id), channel, ref, key))
                areas[channel_key(key, channel.channel_id)] = areas.get(key)
        self._flow_ids = await self._flow_devices()
        capabilities: dict[str, frozenset[Capability]] = {}
        options: dict[str, _Options] = {}

        def caps_job(
            key: str, info: DeviceInfo, ref: DeviceRef, parent: str | None
        ) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                found = _Options()
                capabilities[key] = await self._capabilities(key, info, ref, parent, found)
                options[key] = found

            return run

        await run_bounded([caps_job(*entry) for entry in entries], CONCURRENCY)
        if self._cache is not None:
            self._cache.retain({key for key, _, _, _ in entries})

        devices = []
        for key, info, ref, parent in entries:
            caps = capabilities.get(key, frozenset())
            found = options.get(key, _Options())
            self._refs[key] = ref
            mac = normalise_mac(info.mac)
            if mac:
                self._by_mac.setdefault(mac, key)
            if info.qr_code:
                self._by_qr.setdefault(info.qr_code, key)
            if not info.licensed:
                self._unlicensed.add(key)
            devices.append(
                Device(
                    key=key,
                    name=info.name,
                    manufacturer=MANUFACTURER,
                    model=info.model,
                    serial=info.qr_code,
                    mac=mac,
                    ip=info.ip,
                    parent=parent,
                    channel=ref.channel_id if parent is not None else None,
                    capabilities=caps,
                    area=areas.get(key),
                    ir_modes=found.ir_modes,
                    flip_modes=FLIP_MODES if _CAP.IMAGE_ADJUST in caps else (),
                    write_only=WRITE_ONLY,
                    resolutions=found.resolutions,
                    encodings=found.encodings,
                    frame_rates=found.frame_rates,
                    bitrates=found.bitrates,
                    bitrate_types=found.bitrate_types,
                    solar_loads=found.solar_loads,
                )
            )
        return devices

    async def _capabilities(
        self, key: str, info: DeviceInfo, ref: DeviceRef, parent: str | None, options: _Options
    ) -> frozenset[Capability]:
        """What the device offers; an unlicensed device offers nothing (-88315 everywhere)."""
        if not info.licensed:
            return frozenset()
        if info.is_solar and parent is None:
            # A solar power supply: its own endpoints (1.4.4.19...), none of the camera ones.
            solar = {
                _CAP.CONNECTIVITY,
                _CAP.SOLAR,
                _CAP.REBOOT,
                _CAP.FIRMWARE,
                _CAP.FIRMWARE_UPDATE,
            }
            # 1.4.4.22 restarts one of several loads; the schedule (1.4.4.20) lists them.
            slots = await self._soft(self._client.get_solar_schedule(ref), "solar loads")
            loads = sorted({slot.load for slot in slots or () if slot.load is not None})
            if len(loads) > 1:
                options.solar_loads = tuple(loads)
                solar.add(_CAP.SOLAR_LOAD_RESTART)
            return frozenset(solar)
        caps: set[Capability] = {_CAP.TIMING, _CAP.SYNC_CLOCK, _CAP.CONNECTIVITY}
        if key in self._local_streams:
            caps.add(_CAP.LIVE_STREAM)
        if parent is None:
            caps |= {
                _CAP.REBOOT,
                _CAP.FIRMWARE,
                _CAP.FIRMWARE_UPDATE,
                _CAP.SCHEDULED_REBOOT,
            }
        else:
            # 1.4.4.11 on a channel formats the NVR's disk (the confirmation says so);
            # 1.4.4.28/29 switch the channel's message push.
            caps |= {_CAP.FORMAT_SD, _CAP.CHANNEL_PUSH}
        camera = info.is_camera or parent is not None
        if not camera:
            return frozenset(caps)
        # Events arrive only through the application's push subscription (options flow).
        caps |= {
            _CAP.STREAM_SETTINGS,
            _CAP.OSD,
            _CAP.MOTION_EVENTS,
            _CAP.DEVICE_EVENTS,
            _CAP.IMAGE_ADJUST,
            _CAP.EVENT_POLLING,
            _CAP.MOTION_DETECTION,
            _CAP.TAMPER_DETECTION,
        }
        probe = self._cache.get(key, info.model) if self._cache is not None else None
        if probe is None:
            target = ref if parent is not None else ref.with_channel(1)
            probe, complete = await self._probe(target, parent)
            # Only complete answers: a failed read would otherwise be cached as "absent".
            if complete and self._cache is not None:
                self._cache.put(key, info.model, probe)
        caps |= probe.capabilities
        options.ir_modes = probe.ir_modes
        options.resolutions = probe.resolutions
        _stream_options(probe, options)
        if parent is None and (
            (info.qr_code and info.qr_code in self._flow_ids)
            or normalise_mac(info.mac) in self._flow_ids
        ):
            caps.add(_CAP.PEOPLE_FLOW)
        return frozenset(caps)

    async def _probe(self, target: DeviceRef, parent: str | None) -> tuple[Probe, bool]:
        """The four capability requests of a camera, and whether every one was answered.

        A failed request adds nothing; what the others answered still counts.
        """
        caps: set[Capability] = set()
        capability, complete = await self._asked(self._client.get_capability(target), "capability")
        if capability is not None:
            flags = {k for k, v in capability.items() if str(v).strip() == "1"}
            alarm_lists = capability.get("msg_alarm_list") or capability.get(
                "msg_alarm_separate_list"
            )
            if "alarm_out_enable" in flags or "msg_alarm" in flags or alarm_lists:
                caps.add(_CAP.MANUAL_ALARM)
            if "alarm_in_enable" in flags:
                caps.add(_CAP.ALARM_INPUT)
            if "alarm_out_enable" in flags:
                caps.add(_CAP.ALARM_OUTPUT)
            if "local_storage" in flags and parent is None:
                caps |= {_CAP.MEMORY_CARD, _CAP.FORMAT_SD, _CAP.LOOP_RECORDING}
            # 1.4.3.2: without either set, a camera pushes motion and tampering only.
            if flags & {"smart_msg_push_capability", "linkage_capability"}:
                caps.add(_CAP.SMART_EVENTS)
        ptz, answered = await self._asked(self._client.get_ptz_reset_support(target), "ptz")
        complete = complete and answered
        if ptz:
            caps.add(_CAP.PTZ_RESET)
        lamp, answered = await self._asked(
            self._client.get_supplement_lamp_capability(target), "lamp"
        )
        complete = complete and answered
        ir_modes: tuple[str, ...] = ()
        modes = (lamp or {}).get("nightVisionModeRange")
        if isinstance(modes, list) and modes:
            ir_modes = tuple(str(mode) for mode in modes)
            caps.add(_CAP.IR_MODE)
        video, answered = await self._asked(self._client.get_video_capability(target), "video")
        complete = complete and answered
        main = _main_stream(video or {})
        choices = tuple(
            (name, tuple(str(v) for v in values))
            for name in STREAM_CHOICES
            if isinstance(values := first(main, name, _SPELLINGS.get(name, name)), list)
        )
        found = Probe(frozenset(caps), ir_modes, _str_tuple(main.get("resolutions")), choices)
        return found, complete

    async def _flow_devices(self) -> set[str]:
        """Device codes and MACs of the IPCs that count people (1.4.7.1; project apps only)."""
        if self._app_type != AppType.PROJECT:
            return set()
        regions = await self._soft(self._client.list_regions(), "regions")
        found: set[str] = set()

        def job(region_id: str) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                items = await self._soft(self._client.get_flow_devices(region_id), "flow devices")
                for item in items or []:
                    if (
                        item.get("parentQrCode")
                        or item.get("parentQrcode")
                        or item.get("parentMac")
                    ):
                        continue  # only directly bound IPCs are supported
                    qr, mac = item.get("qrCode"), normalise_mac(item.get("mac"))
                    found.update(v for v in (qr, mac) if isinstance(v, str) and v)

            return run

        await run_bounded([job(r.id) for r in regions or []], CONCURRENCY)
        return found

    def _ref(self, device: Device) -> DeviceRef:
        ref = self._refs.get(device.key)
        if ref is None:
            raise UnsupportedError(f"{device.key} is not a device of this application")
        return ref

    # --- state --------------------------------------------------------------------------

    async def async_get_state(
        self, devices: Mapping[str, Device], groups: Collection[StateGroup]
    ) -> dict[str, DeviceState]:
        """Read only the groups asked for; at most four requests run at once."""
        states = {key: DeviceState() for key in devices}
        for key in devices:
            if key in self._unlicensed:
                states[key].extra["licensed"] = False
        if StateGroup.ONLINE in groups:
            await self._read_online(devices, states)
        readable = {
            key: device
            for key, device in devices.items()
            if key in self._refs and states[key].online and key not in self._unlicensed
        }
        if StateGroup.INFO in groups:
            await self._read_firmware(readable, states)
        jobs: list[Callable[[], Awaitable[None]]] = []
        for key, device in readable.items():
            jobs.extend(self._device_jobs(key, device, states[key], groups))
        await run_bounded(jobs, CONCURRENCY)
        if StateGroup.PEOPLE_FLOW in groups:
            await self._read_people_flow(readable, states)
        if StateGroup.CHANNEL_PUSH in groups:
            await self._read_channel_push(readable, states)
        if StateGroup.EVENTS in groups and self._push_url is None:
            await self._read_recording_events(readable, states)
        return states

    async def _read_recording_events(
        self, devices: Mapping[str, Device], states: dict[str, DeviceState]
    ) -> None:
        """Without push: each camera's new recordings of the day (1.4.5.7) become events."""
        cameras = {
            key: self._refs[key]
            for key, device in devices.items()
            if _CAP.EVENT_POLLING in device.capabilities
        }
        self._marks.forget(self._refs)
        today = dt.datetime.now(CLOUD_TZ).date()

        def job(key: str, ref: DeviceRef) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                found = []
                for day in self._marks.days_to_search(key, today):
                    segments = await self._soft(self._client.search_videos(ref, day), "recordings")
                    if segments is None:
                        return  # try again next poll; the mark stays where it was
                    found += segments
                states[key].polled_events = self._marks.new_events(key, found, today)

            return run

        await run_bounded([job(k, r) for k, r in cameras.items()], CONCURRENCY)

    async def _read_channel_push(
        self, devices: Mapping[str, Device], states: dict[str, DeviceState]
    ) -> None:
        """One 1.4.4.28 request per NVR answers for all of its channels."""
        parents = {
            d.parent for d in devices.values() if d.parent and _CAP.CHANNEL_PUSH in d.capabilities
        }

        def job(parent: str) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                ref = self._refs.get(parent)
                if ref is None:
                    return
                found = await self._soft(self._client.get_channel_push(ref), "channel push")
                for item in found or []:
                    key = channel_key(parent, item.channel_id)
                    if key in states:
                        states[key].channel_push = item.enabled

            return run

        await run_bounded([job(p) for p in parents if p is not None], CONCURRENCY)

    async def _read_online(
        self, devices: Mapping[str, Device], states: dict[str, DeviceState]
    ) -> None:
        # One paged listing for every directly bound device (the heartbeat of the poll).
        infos = await self._client.list_devices(self._app_type)
        status: dict[str, DeviceInfo] = {}
        for info in infos:
            if not info.is_child:
                status[device_key(info)] = info
        for key, device in devices.items():
            if device.parent is None:
                entry = status.get(key)
                states[key].online = entry is not None and entry.online
                if entry is not None and not entry.licensed:
                    states[key].extra["licensed"] = False
        parents = {d.parent for d in devices.values() if d.parent is not None}
        channel_status: dict[str, bool] = {}

        def job(parent: str) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                ref = self._refs.get(parent)
                if ref is None or not states.get(parent, DeviceState()).online:
                    return
                found = await self._soft(self._client.get_channels(ref), "channels")
                for channel in found or []:
                    if channel.channel_id is not None:
                        channel_status[channel_key(parent, channel.channel_id)] = channel.online

            return run

        await run_bounded([job(p) for p in parents], CONCURRENCY)
        for key, device in devices.items():
            if device.parent is not None:
                parent_state = states.get(device.parent)
                parent_online = parent_state.online if parent_state is not None else True
                states[key].online = parent_online and channel_status.get(key, False)

    async def _read_firmware(
        self, devices: Mapping[str, Device], states: dict[str, DeviceState]
    ) -> None:
        tops = {k: self._refs[k] for k, d in devices.items() if _CAP.FIRMWARE in d.capabilities}
        if not tops:
            return
        # 1.4.3.22 asks the cloud to look the newest version up; 1.4.3.24 then reports it.
        await self._soft(self._client.check_firmware(list(tops.values())), "firmware check")
        infos = await self._soft(self._client.get_upgrade_info(list(tops.values())), "firmware")
        for info in infos or []:
            key = (info.qr_code and self._by_qr.get(info.qr_code)) or self._by_mac.get(
                normalise_mac(info.mac) or ""
            )
            if key is None or key not in states:
                continue
            states[key].firmware = info.current
            if self._cache is not None:
                self._cache.note_firmware(key, info.current)
            states[key].firmware_latest = info.newest or info.current
            installing = info.upgrade_status in UPGRADING
            states[key].firmware_installing = installing
            states[key].firmware_progress = _progress(info) if installing else None
            states[key].extra["firmware_newest"] = info.newest
            states[key].extra["update_available"] = info.update_available
            states[key].extra["upgrade_status"] = info.upgrade_status

    def _device_jobs(
        self, key: str, device: Device, state: DeviceState, groups: Collection[StateGroup]
    ) -> Iterable[Callable[[], Awaitable[None]]]:
        ref = self._refs[key]
        caps = device.capabilities

        def guarded(call: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                try:
                    await call()
                except NotLicensedError:
                    state.extra["licensed"] = False
                except DeviceOfflineError:
                    state.online = False
                except CameraError as err:
                    if not _is_soft(err):
                        raise
                    _LOGGER.debug("%s: read failed: %s", key, err)

            return run

        if StateGroup.MEMORY_CARD in groups and _CAP.MEMORY_CARD in caps:

            async def memory() -> None:
                cards = await self._client.get_sd_cards(ref)
                disks = [card.to_disk() for card in cards]
                state.disks = disks
                present = [d for d in disks if d.status != "none"]
                state.memory_card = present[0] if present else (disks[0] if disks else None)

            yield guarded(memory)
        if StateGroup.TIMING in groups and _CAP.TIMING in caps:

            async def timing() -> None:
                info = await self._client.get_timing(ref)
                state.timing_mode = info.mode
                state.ntp_server = info.server

            yield guarded(timing)
        if StateGroup.STREAMS in groups and _CAP.STREAM_SETTINGS in caps:

            async def streams() -> None:
                found = await self._client.get_video_streams(ref)
                state.streams = {name: stream_settings(entry) for name, entry in found.items()}

            yield guarded(streams)
        if StateGroup.RECORDING in groups and _CAP.LOOP_RECORDING in caps:

            async def loop() -> None:
                state.loop_recording = await self._client.get_record_loop(ref)

            yield guarded(loop)
        if StateGroup.SCHEDULE in groups and _CAP.SCHEDULED_REBOOT in caps:

            async def schedule() -> None:
                reboot = await self._client.get_timing_reboot(ref)
                state.scheduled_reboot = reboot.enabled
                state.extra["scheduled_reboot"] = {"time": reboot.time, "day": reboot.day}

            yield guarded(schedule)
        if StateGroup.OSD in groups and _CAP.OSD in caps:

            async def osd() -> None:
                settings = await self._client.get_osd(ref)
                state.osd_date = _shown(settings.get("date"))
                state.osd_week = _shown(settings.get("week"))

            yield guarded(osd)
        if StateGroup.SOLAR in groups and _CAP.SOLAR in caps:

            async def solar() -> None:
                found = await self._client.get_solar_power(ref)
                state.solar = SolarState(
                    status=SOLAR_STATES.get(found.state) if found.state is not None else None,
                    status_code=found.state,
                    battery=found.battery_percent,
                    temperature=found.temperature,
                    input_power=found.input_power_w,
                    output_power=found.output_power_w,
                )

            yield guarded(solar)
        if StateGroup.IMAGE in groups and _CAP.STREAM_SETTINGS in caps:

            async def image() -> None:
                settings = await self._client.get_image(ref)
                mode = settings.get("nightVisionMode")
                state.ir_mode = mode if isinstance(mode, str) else None
                flip = settings.get("flip")
                state.image = ImageSettings(
                    brightness=to_int(settings.get("luma")),
                    contrast=to_int(settings.get("contrast")),
                    saturation=to_int(settings.get("saturation")),
                    sharpness=to_int(settings.get("sharpness")),
                    flip=flip if isinstance(flip, str) else None,
                )

            yield guarded(image)

    async def _read_people_flow(
        self, devices: Mapping[str, Device], states: dict[str, DeviceState]
    ) -> None:
        counted = {
            k: self._refs[k] for k, d in devices.items() if _CAP.PEOPLE_FLOW in d.capabilities
        }
        if not counted:
            return
        now = datetime.now().astimezone()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        rows = await self._soft(
            self._client.query_flow(
                list(counted.values()), int(midnight.timestamp()), int(now.timestamp())
            ),
            "people flow",
        )
        if rows is None:
            return
        totals: dict[str, list[int]] = {key: [0, 0, 0] for key in counted}
        for row in rows:
            key = (row.qr_code and self._by_qr.get(row.qr_code)) or self._by_mac.get(
                normalise_mac(row.mac) or ""
            )
            if key not in totals:
                continue
            for index, value in enumerate((row.entered, row.exited, row.passed)):
                totals[key][index] += value or 0
        for key, (entered, exited, passed) in totals.items():
            states[key].people_flow = PeopleFlow(entered, exited, passed)

    # --- settings and actions -------------------------------------------------------------

    async def async_set(self, device: Device, setting: Setting, value: Any) -> None:
        """Time-sync mode, night-vision mode and main-stream resolution."""
        ref = self._ref(device)
        if setting is Setting.TIMING_MODE:
            mode = str(value)
            server = None
            if mode == "ntp":
                server = (await self._client.get_timing(ref)).server
                if not server:
                    raise ValueError("the device has no NTP server to switch to")
            await self._client.set_timing(ref, mode, server)
        elif setting is Setting.IR_MODE:
            await self._client.set_image(ref, {"nightVisionMode": str(value)})
        elif setting in IMAGE_FIELDS:
            level = int(value)
            if not 0 <= level <= 100:
                raise ValueError(f"{setting} must be 0..100")
            await self._client.set_image(ref, {IMAGE_FIELDS[setting]: level})
        elif setting in DETECTIONS:
            await self._client.set_detection_enabled([ref], [DETECTIONS[setting]], bool(value))
        elif setting is Setting.ALARM_INPUT:
            await self._client.set_alarm_input_enabled([ref], bool(value))
        elif setting is Setting.ALARM_OUTPUT:
            await self._client.set_alarm_output_enabled([ref], bool(value))
        elif setting is Setting.IMAGE_FLIP:
            if value not in FLIP_MODES:
                raise ValueError(f"flip must be one of {', '.join(FLIP_MODES)}")
            await self._client.set_image(ref, {"flip": str(value)})
        elif setting is Setting.MAIN_RESOLUTION:
            await self._client.set_video_streams(ref, [{"type": "main", "resolution": str(value)}])
        elif setting in MAIN_STREAM_FIELDS:
            field, allowed, convert = MAIN_STREAM_FIELDS[setting](device)
            if value not in allowed:
                raise ValueError(f"{setting} must be one of {', '.join(map(str, allowed))}")
            await self._client.set_video_streams(ref, [{"type": "main", field: convert(value)}])
        elif setting is Setting.LOOP_RECORDING:
            await self._client.set_record_loop(ref, bool(value))
        elif setting is Setting.SCHEDULED_REBOOT:
            current = await self._client.get_timing_reboot(ref)
            await self._client.set_timing_reboot(
                ref,
                bool(value),
                current.time or DEFAULT_REBOOT_TIME,
                current.day if current.day is not None else 0,
            )
        elif setting is Setting.CHANNEL_PUSH and device.parent is not None:
            parent = self._refs.get(device.parent)
            if parent is None or device.channel is None:
                raise UnsupportedError(f"{device.key} has no NVR")
            await self._client.set_channel_push(parent, device.channel, bool(value))
        elif setting in (Setting.OSD_DATE, Setting.OSD_WEEK):
            field = "date" if setting is Setting.OSD_DATE else "week"
            osd = await self._client.get_osd(ref)
            entry = osd.get(field)
            block = dict(entry) if isinstance(entry, dict) else {}
            block["ifShow"] = bool(value)
            await self._client.set_osd(ref, {field: block})
        else:
            raise UnsupportedError(f"{setting} is not offered by the TUMS cloud")

    async def async_action(self, device: Device, action: Action, **kwargs: Any) -> None:
        """PTZ reset, alarm output (``duration`` s, or ``on=False`` to stop), SD format, reboot."""
        ref = self._ref(device)
        caps = device.capabilities
        if action is Action.PTZ_RESET and _CAP.PTZ_RESET in caps:
            await self._client.reset_ptz_position(ref)
        elif action is Action.TRIGGER_ALARM and _CAP.MANUAL_ALARM in caps:
            on = bool(kwargs.get("on", True))
            await self._client.trigger_manual_alarm(ref, on)
            duration = kwargs.get("duration")
            if on and duration is not None and float(duration) > 0:
                task = asyncio.create_task(self._stop_alarm_later(ref, float(duration)))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        elif action is Action.FORMAT_SD_CARD and _CAP.FORMAT_SD in caps:
            index = kwargs.get("card_index")
            if index is None and device.parent is not None:
                index = 1  # the NVR's disk: the cloud answers for the channel's owner
            if index is None:
                cards = await self._client.get_sd_cards(ref)
                present = [c for c in cards if c.status != "none"]
                if not present:
                    raise UnsupportedError(f"{device.key} has no memory card")
                index = present[0].index
            await self._client.format_sd_card(ref, int(index))
        elif action is Action.REBOOT and _CAP.REBOOT in caps:
            await self._client.reboot_device(ref)
        elif action is Action.SYNC_CLOCK and _CAP.SYNC_CLOCK in caps:
            await self._client.sync_time(ref)
        elif action is Action.RESTART_SOLAR_LOAD and _CAP.SOLAR_LOAD_RESTART in caps:
            load = int(kwargs.get("index", 0))
            if load not in device.solar_loads:
                raise UnsupportedError(f"{device.key} has no load {load}")
            await self._client.reset_solar_load(ref, load)
        elif action is Action.UPDATE_FIRMWARE and _CAP.FIRMWARE_UPDATE in caps:
            await self._client.upgrade_device(ref)
            # The new firmware may answer the capability requests differently.
            if self._cache is not None:
                self._cache.invalidate(device.key)
        else:
            raise UnsupportedError(f"{action} is not offered by {device.key}")

    async def _stop_alarm_later(self, ref: DeviceRef, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await self._client.trigger_manual_alarm(ref, on=False)
        except CameraError as err:
            _LOGGER.debug("alarm output stop failed: %s", err)

    async def async_stream_source(self, device: Device, stream: str) -> str | None:
        """The local RTSP URL the user gave; the cloud itself has only its private relay."""
        return self._local_streams.get(device.key)

    async def async_snapshot(self, device: Device) -> bytes | None:
        """No endpoint of the document returns a still image."""
        return None

    # --- push ---------------------------------------------------------------------------

    async def async_register_push(self, url: str) -> None:
        """Subscribe ``url`` to every message type, unless another URL is active."""
        current = await self._client.get_push_config()
        if (
            current is not None
            and current.enabled
            and current.server_url
            and current.server_url != url
        ):
            raise PushTargetInUseError("the application already pushes to another URL")
        await self._client.set_push_config(url, enabled=True)
        self._push_url = url

    async def async_unregister_push(self) -> None:
        """Switch push off if the subscription still points at our URL."""
        url = self._push_url
        if url is None:
            return
        current = await self._client.get_push_config()
        if current is not None and current.server_url == url and current.enabled:
            await self._client.set_push_config(url, enabled=False)
        self._push_url = None

    def parse_push(self, content_type: str, body: bytes, remote: str | None) -> list[CameraEvent]:
        """Parse one push (unsigned; the webhook id is the secret), dropping redeliveries."""
        events: list[CameraEvent] = []
        for message in push.parse_body(body):
            if self._dedupe.seen(push.dedupe_key(message)):
                continue
            for event in push.parse_message(message):
                qr = event.attributes.get("qr_code")
                key = self._by_mac.get(event.device_key) or (
                    self._by_qr.get(qr) if isinstance(qr, str) else None
                )
                if key is not None and key != event.device_key:
                    event = _rekey(event, key)  # noqa: PLW2901
                events.append(event)
        return events


@dataclass(slots=True)
class _Options:
    """Model-dependent choices found while reading a device's capabilities."""

    ir_modes: tuple[str, ...] = ()
    resolutions: tuple[str, ...] = ()
    encodings: tuple[str, ...] = ()
    frame_rates: tuple[int, ...] = ()
    bitrates: tuple[int, ...] = ()
    bitrate_types: tuple[str, ...] = ()
    solar_loads: tuple[int, ...] = ()


def _main_stream(capability: Mapping[str, Any]) -> Mapping[str, Any]:
    """The main stream's entry of 1.4.4.16 ``streamCapabilityList``."""
    for entry in capability.get("streamCapabilityList") or ():
        if isinstance(entry, dict) and entry.get("type") == "main":
            return entry
    return {}


def _str_tuple(values: object) -> tuple[str, ...]:
    return tuple(str(item) for item in values) if isinstance(values, list) else ()


def _int_choices(values: Iterable[str], convert: Callable[[object], int | None]) -> tuple[int, ...]:
    """Sorted distinct ints of a capability list; entries that are no number are skipped."""
    return tuple(sorted({v for item in values if (v := convert(item)) is not None}))


def _stream_options(probe: Probe, options: _Options) -> None:
    """The main-stream choices of a probe as the model's Device fields want them."""
    main = dict(probe.main_stream)
    options.encodings = main.get("encodeTypes", ())
    options.frame_rates = _int_choices(main.get("frameRates", ()), frame_rate_fps)
    options.bitrates = _int_choices(main.get("bitrates", ()), to_int)
    options.bitrate_types = main.get("bitrateTypes", ())


def _shown(block: object) -> bool | None:
    """``ifShow`` of an OSD block (1.4.4.2)."""
    if not isinstance(block, dict):
        return None
    return to_bool(block.get("ifShow"))


def _progress(info: FirmwareInfo) -> int | None:
    """0..100 over download (first half) and install (second half), as far as reported."""
    download = info.download_progress
    install = info.upgrade_progress
    if download is None and install is None:
        return None
    return min(100, max(0, ((download or 0) + (install or 0)) // 2))


def _rekey(event: CameraEvent, key: str) -> CameraEvent:
    return CameraEvent(
        device_key=key,
        type=event.type,
        time=event.time,
        vendor_type=event.vendor_type,
        attributes=event.attributes,
        image=event.image,
        raw=event.raw,
    )
