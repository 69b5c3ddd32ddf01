"""The VIGI NVR as a WebhookPushBackend: devices, state groups, settings, actions, push."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final

from yarl import URL

from ..backend import Action, Setting
from ..concurrency import run_bounded
from ..errors import (
    ApiError,
    AuthError,
    CameraError,
    ConnectError,
    LockedError,
    ProtocolError,
    UnsupportedError,
)
from ..model import (
    AudioSettings,
    CameraEvent,
    Capability,
    Device,
    DeviceState,
    EventServer,
    StateGroup,
    StreamSettings,
)
from . import codes, push
from .client import VigiClient
from .parsers import Module, merge_poe

_LOGGER = logging.getLogger(__name__)

NVR_KEY: Final = "nvr"
MANUFACTURER: Final = "TP-Link"
NVR_MODEL: Final = "VIGI NVR"
DEFAULT_RTSP_PORT: Final = 554
CHANNEL_CONCURRENCY: Final = 4
EVENT_SERVER_IDS: Final = (1, 2, 3)
RTSP_STREAMS: Final = {"main": 1, "sub": 2, "minor": 2}

# module_list names are undocumented; match loosely on these fragments (normalised names).
_MODULE_HINTS: Final = {
    "audio": ("audio",),
    "alarm_output": ("alarmoutput",),
    "disk": ("disk", "storage", "hdd"),
    "time": ("time", "ntp"),
    "event": ("event",),
    "poe": ("poe",),
    "video": ("video", "stream"),
}
# Errors that concern one request only; connection and credential errors end the poll.
_SOFT_ERRORS: Final = (ApiError, ProtocolError, UnsupportedError)


def _is_soft(err: BaseException) -> bool:
    return isinstance(err, _SOFT_ERRORS) and not isinstance(err, AuthError | LockedError)


def _channel_key(channel: int) -> str:
    return f"ch{channel}"


class VigiBackend:
    """A VIGI NVR and its channels ("nvr", "ch1", "ch2", ...)."""

    def __init__(
        self,
        client: VigiClient,
        *,
        nvr_id: str,
        name: str | None = None,
        rtsp_port: int = DEFAULT_RTSP_PORT,
    ) -> None:
        """``nvr_id`` is the stable identity (the pinned certificate fingerprint)."""
        self._client = client
        self._nvr_id = nvr_id
        self._name = name or NVR_MODEL
        self._rtsp_port = rtsp_port
        self._modules: list[Module] | None = None
        self._connected = False
        self._nvr_addresses: set[str] = set()
        self._push_target: EventServer | None = None
        self._alarm_stops: set[asyncio.Task[None]] = set()

    @property
    def unique_id(self) -> str:
        """The NVR identity given at construction."""
        return self._nvr_id

    @property
    def modules(self) -> list[Module] | None:
        """What module_list answered (``None`` on V1.0 firmware)."""
        return self._modules

    # --- connection ---------------------------------------------------------------------

    async def async_connect(self) -> None:
        """Log in and read module_list once."""
        await self._client.login()
        self._modules = await self._client.module_list()
        self._nvr_addresses = await _resolve(self._client.host)
        self._connected = True

    async def async_close(self) -> None:
        """Forget tokens and cancel pending alarm stops; the session belongs to the caller."""
        for task in self._alarm_stops:
            task.cancel()
        self._alarm_stops.clear()
        self._client.forget_tokens()

    def _has_module(self, feature: str) -> bool:
        if self._modules is None:
            return True  # V1.0 firmware: every V1.0 endpoint is assumed present
        hints = _MODULE_HINTS[feature]
        names = [re.sub(r"[^a-z0-9]", "", module.name.lower()) for module in self._modules]
        return any(hint in name for name in names for hint in hints)

    # --- devices ------------------------------------------------------------------------

    async def async_get_devices(self) -> list[Device]:
        """List the NVR and one device per added camera, with capabilities."""
        if not self._connected:
            await self.async_connect()
        channels = await self._client.added_devices()
        nvr_caps = {Capability.REBOOT}
        if self._has_module("disk"):
            nvr_caps.add(Capability.DISKS)
        if self._has_module("time"):
            nvr_caps.add(Capability.TIMING)
        if self._has_module("event"):
            nvr_caps |= {Capability.EVENT_SERVER, Capability.DEVICE_EVENTS}
        if self._has_module("poe"):
            ports = await self._soft(self._client.poe_info(), "poe/info")
            if ports:
                nvr_caps.add(Capability.POE)  # only an NVR that lists PoE ports
        devices = [
            Device(
                key=NVR_KEY,
                name=self._name,
                manufacturer=MANUFACTURER,
                model=NVR_MODEL,
                ip=self._client.host,
                capabilities=frozenset(nvr_caps),
            )
        ]
        manual_alarm = await self._manual_alarm_channels({channel.id for channel in channels})
        for channel in channels:
            caps = {Capability.LIVE_STREAM}
            if self._modules is not None:
                caps.add(Capability.SNAPSHOT)  # snapshot arrived with V1.3, like module_list
            if self._has_module("audio"):
                caps |= {Capability.AUDIO_OUTPUT, Capability.AUDIO_INPUT}
            if channel.id in manual_alarm:
                caps.add(Capability.MANUAL_ALARM)
            if self._has_module("video"):
                caps.add(Capability.STREAM_SETTINGS)
            if self._has_module("event"):
                caps |= {Capability.MOTION_EVENTS, Capability.SMART_EVENTS}
            devices.append(
                Device(
                    key=_channel_key(channel.id),
                    name=channel.name,
                    manufacturer=MANUFACTURER,
                    mac=channel.mac,
                    ip=channel.ip,
                    parent=NVR_KEY,
                    channel=channel.id,
                    capabilities=frozenset(caps),
                )
            )
        return devices

    async def _manual_alarm_channels(self, channels: set[int]) -> set[int]:
        """Channels whose alarm output can be started by hand (alarm_output module, V1.4)."""
        if self._modules is None or not self._has_module("alarm_output"):
            return set()
        alarms = await self._soft(self._client.batch_get_ipc_alarm(), "batch_get_ipc_alarm")
        if alarms is None:
            return channels  # the module is there; the per-channel detail is not
        return {alarm.channel for alarm in alarms if alarm.manual_supported is not False}

    async def _soft[T](self, call: Awaitable[T], what: str) -> T | None:
        """Await ``call``; a per-request failure is logged and gives ``None``."""
        try:
            return await call
        except CameraError as err:
            if not _is_soft(err):
                raise
            _LOGGER.debug("%s unavailable: %s", what, err)
            return None

    # --- state ----------------------------------------------------------------------------

    async def async_get_state(
        self, devices: Mapping[str, Device], groups: Collection[StateGroup]
    ) -> dict[str, DeviceState]:
        """Read only the groups asked for; per-request failures leave that group ``None``."""
        states = {key: DeviceState() for key in devices}
        nvr = states.get(NVR_KEY)
        offline: set[int] = set()
        if StateGroup.ONLINE in groups:
            offline = await self._read_online(devices, states)
        if nvr is not None:
            await self._read_nvr_groups(nvr, devices[NVR_KEY].capabilities, groups)
        channel_jobs: list[Callable[[], Awaitable[None]]] = []
        for key, device in devices.items():
            if device.channel is None or device.channel in offline:
                continue
            state = states[key]
            if StateGroup.AUDIO in groups:
                channel_jobs.extend(self._audio_jobs(device, state))
            if StateGroup.STREAMS in groups and Capability.STREAM_SETTINGS in device.capabilities:
                channel_jobs.append(self._streams_job(device, state))
        await run_bounded(channel_jobs, CHANNEL_CONCURRENCY)
        return states

    async def _read_online(
        self, devices: Mapping[str, Device], states: dict[str, DeviceState]
    ) -> set[int]:
        # The heartbeat of the poll: its failure is the poll's failure.
        online = {channel.id: channel.online for channel in await self._client.added_devices()}
        offline = set()
        for key, device in devices.items():
            if device.channel is not None:
                states[key].online = online.get(device.channel, False)
                if not states[key].online:
                    offline.add(device.channel)
        return offline

    async def _read_nvr_groups(
        self, nvr: DeviceState, caps: Collection[Capability], groups: Collection[StateGroup]
    ) -> None:
        """Read the NVR-level groups the NVR offers (a failed one stays ``None``)."""
        client = self._client
        if StateGroup.DISKS in groups and Capability.DISKS in caps:
            nvr.disks = await self._soft(client.disks(), "disks")
        if StateGroup.POE in groups and Capability.POE in caps:
            info = await self._soft(client.poe_info(), "poe/info")
            if info is not None:
                status = await self._soft(client.poe_status(), "poe/status")
                links = await self._soft(client.poe_link_status(), "poe/link_status")
                nvr.poe_ports = merge_poe(info, status, links)
                if status is not None:
                    nvr.poe_total_w, nvr.poe_used_w = status.total_w, status.used_w
        if StateGroup.TIMING in groups and Capability.TIMING in caps:
            nvr.timing_mode = await self._soft(client.timing_mode(), "timing_mode")
            ntp = await self._soft(client.ntp(), "ntp")
            nvr.ntp_server = ntp.server if ntp is not None else None
        if StateGroup.EVENT_SERVERS in groups and Capability.EVENT_SERVER in caps:
            servers = await self._soft(client.event_servers(), "event_server")
            nvr.event_servers = servers
            target = self._push_target
            if servers is not None:
                # Someone may delete our slot in the NVR's web UI: show it, so it can be fixed.
                nvr.extra["push_registered"] = target is not None and any(
                    _same_target(server, target) for server in servers
                )

    def _audio_jobs(
        self, device: Device, state: DeviceState
    ) -> list[Callable[[], Awaitable[None]]]:
        channel = device.channel
        assert channel is not None
        jobs: list[Callable[[], Awaitable[None]]] = []
        if Capability.AUDIO_OUTPUT in device.capabilities:

            async def read_output() -> None:
                state.audio_output = await self._soft(
                    self._client.audio_output(channel), f"ch{channel} audio output"
                )

            jobs.append(read_output)
        if Capability.AUDIO_INPUT in device.capabilities:

            async def read_input() -> None:
                state.audio_input = await self._soft(
                    self._client.audio_input(channel), f"ch{channel} audio input"
                )

            jobs.append(read_input)
        return jobs

    def _streams_job(self, device: Device, state: DeviceState) -> Callable[[], Awaitable[None]]:
        channel = device.channel
        assert channel is not None

        async def read_main() -> None:
            resolution = await self._soft(
                self._client.resolution(channel, "main"), f"ch{channel} resolution"
            )
            bitrate = await self._soft(
                self._client.bitrate(channel, "main"), f"ch{channel} bitrate"
            )
            if resolution is None and bitrate is None:
                return
            state.streams["main"] = StreamSettings(
                resolution=resolution,
                bitrate_kbps=bitrate.max_kbps if bitrate else None,
                bitrate_type=bitrate.type if bitrate else None,
                quality=bitrate.quality if bitrate else None,
            )

        return read_main

    # --- settings and actions ----------------------------------------------------------------

    async def async_set(self, device: Device, setting: Setting, value: Any) -> None:
        """Write one setting (audio by read-modify-write of the whole documented body)."""
        client = self._client
        if setting in (Setting.SPEAKER_VOLUME, Setting.SPEAKER_MUTE):
            channel = _channel_of(device, setting)
            current = await client.audio_output(channel)
            await client.set_audio_output(channel, _apply_audio(current, setting, value))
        elif setting in (
            Setting.MICROPHONE_VOLUME,
            Setting.MICROPHONE_MUTE,
            Setting.NOISE_CANCELLING,
        ):
            channel = _channel_of(device, setting)
            current = await client.audio_input(channel)
            await client.set_audio_input(channel, _apply_audio(current, setting, value))
        elif setting is Setting.POE_PORT_ENABLED:
            _require_nvr(device, setting)
            port, enabled = value
            info = {item.port: item for item in await client.poe_info()}
            if port not in info:
                raise UnsupportedError(f"poe/info: the NVR has no PoE port {port}")
            await client.set_poe_port(
                port,
                enabled=bool(enabled),
                priority=info[port].priority,
                max_port_power=info[port].max_port_power,
            )
        elif setting is Setting.TIMING_MODE:
            _require_nvr(device, setting)
            await client.set_timing_mode(str(value))
        elif setting is Setting.MAIN_RESOLUTION:
            channel = _channel_of(device, setting)
            if str(value) not in await client.valid_resolutions(channel, "main"):
                raise ValueError(f"{value!r} is not a valid main-stream resolution")
            await client.set_resolution(channel, "main", str(value))
        else:
            raise UnsupportedError(f"{setting} is not offered by VIGI NVRs")

    async def async_action(self, device: Device, action: Action, **kwargs: Any) -> None:
        """Reboot the NVR, or start a camera's alarm output (optional ``duration`` in s)."""
        if action is Action.REBOOT:
            _require_nvr(device, action)
            await self._client.reboot()
        elif action is Action.TRIGGER_ALARM:
            channel = _channel_of(device, action)
            timer = await self._client.ipc_manual_alarm(channel, "start")
            duration = kwargs.get("duration")
            if duration is not None and float(duration) > 0:
                # The NVR stops by itself after its own delay (``timer``); stop earlier on
                # request, without holding the caller.
                task = asyncio.create_task(self._stop_alarm_later(channel, float(duration)))
                self._alarm_stops.add(task)
                task.add_done_callback(self._alarm_stops.discard)
            _LOGGER.debug("ch%s alarm output started (device timer %s s)", channel, timer)
        else:
            raise UnsupportedError(f"{action} is not offered by VIGI NVRs")

    async def _stop_alarm_later(self, channel: int, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await self._client.ipc_manual_alarm(channel, "stop")
        except CameraError as err:
            _LOGGER.debug("ch%s alarm output stop failed: %s", channel, err)

    async def async_stream_source(self, device: Device, stream: str) -> str | None:
        """``rtsp://user:pass@host:554/live/<ch>/<1|2>/avm`` for a channel."""
        if device.channel is None:
            return None
        number = RTSP_STREAMS.get(stream)
        if number is None:
            raise ValueError("stream is main or sub")
        return self._client.live_url(device.channel, number, self._rtsp_port)

    async def async_snapshot(self, device: Device) -> bytes | None:
        """Return a JPEG of a channel (V1.3+ firmware), else ``None``."""
        if device.channel is None or Capability.SNAPSHOT not in device.capabilities:
            return None
        return await self._client.snapshot(device.channel)

    # --- push ---------------------------------------------------------------------------------

    async def async_register_push(self, url: str) -> None:
        """Put ``url`` in the NVR's event-server table, reusing our slot, never another's."""
        target = _target_from_url(url)
        servers = await self._client.event_servers()
        for server in servers:
            if _same_target(server, target):
                if not server.picture:
                    # Ours but without pictures: replace it in the same slot.
                    await self._client.delete_event_server(server.id)
                    await self._client.add_event_server(replace(target, id=server.id))
                self._push_target = replace(target, id=server.id)
                _LOGGER.debug("event server slot %s already holds our URL", server.id)
                return
        used = {server.id for server in servers}
        free = [slot for slot in EVENT_SERVER_IDS if slot not in used]
        if not free:
            raise ApiError(codes.LIST_FULL, "all event server slots are taken", "event_server")
        target = replace(target, id=free[0])
        await self._client.add_event_server(target)
        self._push_target = target
        _LOGGER.debug("event server registered in slot %s", target.id)

    async def async_unregister_push(self) -> None:
        """Delete our slot, if it still holds our URL."""
        target = self._push_target
        if target is None:
            return
        servers = await self._client.event_servers()
        for server in servers:
            if server.id == target.id and _same_target(server, target):
                await self._client.delete_event_server(server.id)
                break
        else:
            _LOGGER.debug("event server slot %s no longer holds our URL; left alone", target.id)
        self._push_target = None

    def parse_push(self, content_type: str, body: bytes, remote: str | None) -> list[CameraEvent]:
        """Accept a push only from the NVR's address (it carries no authentication)."""
        allowed = self._nvr_addresses or {_canonical_ip(self._client.host)}
        if remote is None or _canonical_ip(remote) not in allowed:
            raise AuthError(-40401, f"push from {remote} is not from the NVR", "push")
        return push.to_events(push.parse_push(content_type, body), datetime.now(UTC))


def _channel_of(device: Device, what: object) -> int:
    if device.channel is None:
        raise UnsupportedError(f"{what} applies to a channel, not to {device.key}")
    return device.channel


def _require_nvr(device: Device, what: object) -> None:
    if device.key != NVR_KEY:
        raise UnsupportedError(f"{what} applies to the NVR, not to {device.key}")


def _apply_audio(current: AudioSettings, setting: Setting, value: Any) -> AudioSettings:
    if setting in (Setting.SPEAKER_VOLUME, Setting.MICROPHONE_VOLUME):
        volume = int(value)
        if not 0 <= volume <= 100:
            raise ValueError("volume is 0..100")
        return replace(current, volume=volume)
    if setting in (Setting.SPEAKER_MUTE, Setting.MICROPHONE_MUTE):
        return replace(current, muted=bool(value))
    return replace(current, noise_cancelling=bool(value))


def _target_from_url(url: str) -> EventServer:
    parsed = URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError("the push URL must be http(s)://host[:port]/path")
    path = parsed.path + (f"?{parsed.query_string}" if parsed.query_string else "")
    return EventServer(
        id=0,
        host=parsed.host,
        port=parsed.port or (443 if parsed.scheme == "https" else 80),
        path=path,
        protocol=parsed.scheme.upper(),
        picture=True,
    )


def _same_target(server: EventServer, target: EventServer) -> bool:
    return (
        server.host.lower() == target.host.lower()
        and server.port == target.port
        and server.protocol.upper() == target.protocol.upper()
        and "/" + server.path.lstrip("/") == "/" + target.path.lstrip("/")
    )


def _canonical_ip(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address.lower()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


async def _resolve(host: str) -> set[str]:
    """Resolve the NVR's IP addresses, so a push's source address can be checked."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return {_canonical_ip(host)}
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as err:
        raise ConnectError(f"{host}: cannot resolve ({err.strerror})") from None
    return {_canonical_ip(str(info[4][0])) for info in infos}
