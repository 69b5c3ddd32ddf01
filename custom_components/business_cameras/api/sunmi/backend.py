"""A SUNMI IP camera as a Backend with both push paths (HTTP callback and message channel)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import replace
from datetime import tzinfo
from typing import Any, Final

from ..backend import Action, EventCallback, Setting, StateCallback
from ..concurrency import run_bounded
from ..errors import (
    ApiError,
    AuthError,
    CameraError,
    ConnectError,
    ProtocolError,
    UnsupportedError,
)
from ..model import CameraEvent, Capability, Device, DeviceState, EventType, StateGroup
from .client import SunmiClient
from .codec import CHANNEL_PORT
from .errors import NotActivatedError
from .parsers import IR_MODE_VALUES, IR_MODES, DeviceInfo, DynamicDetect
from .push import (
    DEFAULT_KEEP_ALIVE,
    EVENT_DYNAMIC_DETECT,
    EVENT_FACE_RECOGNITION,
    MessageChannel,
    ReplayGuard,
    parse_http_push,
    to_events,
)

_LOGGER = logging.getLogger(__name__)

CAMERA_KEY: Final = "camera"
MANUFACTURER: Final = "SUNMI"
FAMILY_FS: Final = "FS"
FAMILY_SS: Final = "SS"
# Model ids seen in getInfo (model_name), discovery (model) and the vendor's app (reference §4).
MODEL_FAMILIES: Final[dict[str, str]] = {
    "FS": FAMILY_FS,
    "FS1": FAMILY_FS,
    "FM020": FAMILY_FS,
    "SS": FAMILY_SS,
    "SS1": FAMILY_SS,
    "FM010": FAMILY_SS,
}
MODEL_LABELS: Final[dict[str, str]] = {
    FAMILY_FS: "Face Sense Camera",
    FAMILY_SS: "Store Sense Camera",
}
DEFAULT_ROTATIONS: Final[dict[str, tuple[int, ...]]] = {
    FAMILY_SS: (0, 90, 180, 270),
    FAMILY_FS: (0, 180),
}
IR_MODE_NAMES: Final = tuple(IR_MODES[value] for value in sorted(IR_MODES))
DEFAULT_ZOOM_MAX: Final = 500
DEFAULT_FOCUS_MAX: Final = 780
# Turning motion detection on again restores the last level seen, else this one (1..3).
DEFAULT_MOTION_LEVEL: Final = 2
STATE_CONCURRENCY: Final = 3
FACE_PICTURE_TIMEOUT: Final = 5.0
FACE_PICTURE_MAX_BYTES: Final = 4 * 1024 * 1024
# The vendor's app shows a 15 s progress bar for formatting; the card reads "formatting" at
# least that long after the request and until it works again (at most FORMAT_MAX_SECONDS).
FORMAT_MIN_SECONDS: Final = 15.0
FORMAT_MAX_SECONDS: Final = 300.0

_COMMON_CAPABILITIES: Final = frozenset(
    {
        Capability.LIVE_STREAM,
        Capability.SNAPSHOT,
        Capability.REBOOT,
        Capability.FORMAT_SD,
        Capability.MEMORY_CARD,
        Capability.FIRMWARE,
        Capability.STATUS_LED,
        Capability.MOTION_DETECTION,
        Capability.MOTION_EVENTS,
        Capability.IR_MODE,
        Capability.ROTATION,
    }
)
_FS_CAPABILITIES: Final = frozenset(
    {
        Capability.FACE_EVENTS,
        Capability.FACE_RECOGNITION,
        Capability.ZOOM,
        Capability.FOCUS,
        Capability.AUTO_FOCUS,
        Capability.PEOPLE_FLOW,
    }
)
_HARD_ERRORS: Final = (AuthError, NotActivatedError, ConnectError)


def model_family(model: str | None, sn: str | None = None) -> str | None:
    """``FS`` or ``SS`` from a model id (FM020, FS, ...), else from the SN prefix."""
    key = (model or "").strip().upper()
    if key in MODEL_FAMILIES:
        return MODEL_FAMILIES[key]
    for prefix, family in ((FAMILY_FS, FAMILY_FS), (FAMILY_SS, FAMILY_SS)):
        if key.startswith(prefix):
            return family
    serial = (sn or "").strip().upper()
    for family in (FAMILY_FS, FAMILY_SS):
        if serial.startswith(family):
            return family
    return None


def model_label(model: str | None, sn: str | None = None) -> str:
    """The marketing name (Face/Store Sense Camera), or the model id itself when unknown."""
    family = model_family(model, sn)
    if family is not None:
        return MODEL_LABELS[family]
    return (model or "").strip() or "IP Camera"


def _is_soft(err: BaseException) -> bool:
    return isinstance(err, ApiError | ProtocolError | UnsupportedError) and not isinstance(
        err, _HARD_ERRORS
    )


class SunmiBackend:
    """One SUNMI camera: a single device, key ``camera``."""

    def __init__(
        self,
        client: SunmiClient,
        *,
        sn: str,
        model: str | None,
        name: str | None = None,
        channel_port: int = CHANNEL_PORT,
        channel_fingerprint: str | None = None,
        keep_alive: int = DEFAULT_KEEP_ALIVE,
        tz: tzinfo | None = None,
        fetch_face_pictures: bool = True,
        channel_options: Mapping[str, Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``sn`` is the identity; ``model`` (FM020, FS, ...) gates the capabilities."""
        self._client = client
        self._sn = sn
        self._model = model
        self._name = name
        self._channel_port = channel_port
        self._channel_fingerprint = channel_fingerprint or client.fingerprint
        self._keep_alive = keep_alive
        self._tz = tz
        self._fetch_pictures = fetch_face_pictures
        self._channel_options = dict(channel_options or {})
        self._clock = clock
        self._info: DeviceInfo | None = None
        self._family = model_family(model, sn) or FAMILY_SS
        self._last_motion_level = DEFAULT_MOTION_LEVEL
        self._formatting_since: float | None = None
        self._push_url: str | None = None
        self._replay = ReplayGuard()
        self._channel: MessageChannel | None = None
        self._picture_tasks: set[asyncio.Task[None]] = set()

    # --- identity --------------------------------------------------------------------------

    @property
    def unique_id(self) -> str:
        """The camera's serial number."""
        return self._sn

    @property
    def client(self) -> SunmiClient:
        """The HTTPS client."""
        return self._client

    @property
    def family(self) -> str:
        """``FS`` (Face Sense, FM020) or ``SS`` (Store Sense, FM010)."""
        return self._family

    @property
    def channel(self) -> MessageChannel | None:
        """The message channel while it is started."""
        return self._channel

    @property
    def events(self) -> list[str]:
        """The push events this model offers."""
        if self._family == FAMILY_FS:
            return [EVENT_DYNAMIC_DETECT, EVENT_FACE_RECOGNITION]
        return [EVENT_DYNAMIC_DETECT]

    async def async_connect(self) -> None:
        """Read getInfo and check the camera is the one configured."""
        info = await self._client.get_info()
        if info.sn.strip().upper() != self._sn.strip().upper():
            raise ConnectError(f"{self._client.host} is camera {info.sn}, not {self._sn}")
        self._info = info
        family = model_family(info.model, info.sn)
        if family is not None and family != self._family:
            _LOGGER.debug("model %s reported; capabilities follow %s", info.model, family)
            self._family = family

    async def async_close(self) -> None:
        """Stop the channel and picture downloads; the session belongs to the caller."""
        await self.async_stop_channel()

    # --- devices -----------------------------------------------------------------------------

    async def async_get_devices(self) -> list[Device]:
        """The camera, with capabilities by model and the ranges it reports."""
        if self._info is None:
            await self.async_connect()
        info = self._info
        assert info is not None
        fs = self._family == FAMILY_FS
        capabilities = set(_COMMON_CAPABILITIES)
        if fs:
            capabilities |= _FS_CAPABILITIES
        rotations = DEFAULT_ROTATIONS[self._family]
        angles = await self._soft(self._client.get_rotation_angles(), "getRotationAngles")
        if angles:
            rotations = tuple(angles)
        zoom_max: int | None = None
        focus_max: int | None = None
        if fs:
            conf = await self._soft(self._client.get_zoom_focus(), "getZoomFocusConf")
            zoom_max = (conf.max_zoom if conf else None) or DEFAULT_ZOOM_MAX
            focus_max = (conf.max_focus if conf else None) or DEFAULT_FOCUS_MAX
        label = model_label(info.model or self._model, self._sn)
        return [
            Device(
                key=CAMERA_KEY,
                name=self._name or info.name or f"SUNMI {label}",
                manufacturer=MANUFACTURER,
                model=label,
                sw_version=info.software_version,
                hw_version=info.hardware_version,
                serial=self._sn,
                mac=info.mac,
                ip=self._client.host,
                capabilities=frozenset(capabilities),
                rotation_options=rotations,
                ir_modes=IR_MODE_NAMES,
                zoom_max=zoom_max,
                focus_max=focus_max,
            )
        ]

    async def _soft[T](self, call: Awaitable[T], what: str) -> T | None:
        """Await ``call``; a per-request failure is logged and gives ``None``."""
        try:
            return await call
        except CameraError as err:
            if not _is_soft(err):
                raise
            _LOGGER.debug("%s unavailable: %s", what, err)
            return None

    # --- state -------------------------------------------------------------------------------

    async def async_get_state(
        self, devices: Mapping[str, Device], groups: Collection[StateGroup]
    ) -> dict[str, DeviceState]:
        """Read only the groups asked for; a failed request leaves its fields ``None``."""
        states = {key: DeviceState() for key in devices}
        device = devices.get(CAMERA_KEY)
        state = states.get(CAMERA_KEY)
        if device is None or state is None:
            return states
        caps = device.capabilities
        jobs: list[Callable[[], Awaitable[None]]] = []
        wanted = set(groups)
        if StateGroup.INFO in wanted:
            jobs.append(lambda: self._read_info(state))
        if StateGroup.LED in wanted and Capability.STATUS_LED in caps:
            jobs.append(lambda: self._read_led(state))
        if StateGroup.DETECTION in wanted and Capability.MOTION_DETECTION in caps:
            jobs.append(lambda: self._read_detection(state))
        if StateGroup.FACE_SETTINGS in wanted and Capability.FACE_RECOGNITION in caps:
            jobs.append(lambda: self._read_face(state))
        if StateGroup.IMAGE in wanted:
            if Capability.IR_MODE in caps:
                jobs.append(lambda: self._read_ir(state))
            if Capability.ROTATION in caps:
                jobs.append(lambda: self._read_rotation(state))
        if StateGroup.ZOOM_FOCUS in wanted and caps & {Capability.ZOOM, Capability.FOCUS}:
            jobs.append(lambda: self._read_zoom_focus(state))
        if StateGroup.MEMORY_CARD in wanted and Capability.MEMORY_CARD in caps:
            jobs.append(lambda: self._read_card(state))
        if StateGroup.PEOPLE_FLOW in wanted and Capability.PEOPLE_FLOW in caps:
            jobs.append(lambda: self._read_people_flow(state))
        await run_bounded(jobs, STATE_CONCURRENCY)
        return states

    async def _read_info(self, state: DeviceState) -> None:
        info = await self._soft(self._client.get_info(), "getInfo")
        if info is None:
            return
        self._info = info
        state.firmware = info.software_version
        state.extra.update(
            name=info.name, hardware_version=info.hardware_version, ip=info.ip, mac=info.mac
        )

    async def _read_led(self, state: DeviceState) -> None:
        state.status_led = await self._soft(self._client.get_led(), "getLedSwitch")

    async def _read_detection(self, state: DeviceState) -> None:
        detect = await self._soft(self._client.get_dynamic_detect(), "getDynamicDetect")
        if detect is None:
            return
        if detect.motion_level > 0:
            self._last_motion_level = detect.motion_level
        state.motion_detection = detect.motion_enabled
        state.extra.update(
            motion_level=detect.motion_level,
            audio_level=detect.audio_level,
            audio_detection=detect.audio_enabled,
            detection_weekday=detect.weekday,
            detection_start=detect.start_time,
            detection_stop=detect.stop_time,
        )

    async def _read_face(self, state: DeviceState) -> None:
        seconds = await self._soft(self._client.get_face_config(), "getAiFaceConfig")
        if seconds is not None:
            state.face_optimize_seconds = seconds
        config = await self._soft(self._client.get_people_flow_config(), "peopleFlow/getConfig")
        if config is not None:
            state.extra["facerecog_interval"] = config.facerecog_interval
            state.extra["customer_judgemode"] = config.customer_judgemode

    async def _read_ir(self, state: DeviceState) -> None:
        mode = await self._soft(self._client.get_ir_mode(), "getIrMode")
        if mode is not None:
            state.ir_mode = IR_MODES.get(mode, f"mode {mode}")

    async def _read_rotation(self, state: DeviceState) -> None:
        state.rotation = await self._soft(self._client.get_rotation(), "getRotation")

    async def _read_zoom_focus(self, state: DeviceState) -> None:
        conf = await self._soft(self._client.get_zoom_focus(), "getZoomFocusConf")
        if conf is None:
            return
        state.zoom = conf.zoom
        state.focus = conf.focus
        state.extra.update(focus_x=conf.focus_x, focus_y=conf.focus_y)

    async def _read_card(self, state: DeviceState) -> None:
        card = await self._soft(self._client.get_memory_card(), "getMemoryCardStatus")
        if card is None:
            return
        formatting = False
        if self._formatting_since is not None:
            elapsed = self._clock() - self._formatting_since
            working = card.status_name == "normal"
            if elapsed < FORMAT_MIN_SECONDS or (not working and elapsed < FORMAT_MAX_SECONDS):
                formatting = True
            else:
                self._formatting_since = None
        state.memory_card = card.to_disk(formatting=formatting)

    async def _read_people_flow(self, state: DeviceState) -> None:
        state.people_flow = await self._soft(
            self._client.people_flow_today(self._tz), "peopleFlow statistics"
        )

    # --- settings and actions ------------------------------------------------------------------

    async def async_set(self, device: Device, setting: Setting, value: Any) -> None:
        """Write one setting (motion detection by read-modify-write of the whole config)."""
        client = self._client
        if setting is Setting.STATUS_LED:
            _require(device, Capability.STATUS_LED, setting)
            await client.set_led(bool(value))
        elif setting is Setting.MOTION_DETECTION:
            _require(device, Capability.MOTION_DETECTION, setting)
            await self._set_motion(bool(value))
        elif setting is Setting.FACE_OPTIMIZE_SECONDS:
            _require(device, Capability.FACE_RECOGNITION, setting)
            seconds = int(value)
            if not 1 <= seconds <= 6:
                raise ValueError("the face analysis time is 1..6 s (setAiFaceConfig)")
            await client.set_face_config(seconds)
        elif setting is Setting.IR_MODE:
            _require(device, Capability.IR_MODE, setting)
            mode = IR_MODE_VALUES.get(str(value).lower()) if isinstance(value, str) else value
            if not isinstance(mode, int) or isinstance(mode, bool) or mode not in IR_MODES:
                raise ValueError(f"IR mode is one of {', '.join(IR_MODE_NAMES)}")
            await client.set_ir_mode(mode)
        elif setting is Setting.ROTATION:
            _require(device, Capability.ROTATION, setting)
            degrees = int(value)
            if device.rotation_options and degrees not in device.rotation_options:
                raise ValueError(f"rotation is one of {device.rotation_options}")
            await client.set_rotation(degrees)
        elif setting is Setting.ZOOM:
            _require(device, Capability.ZOOM, setting)
            await client.set_zoom(_bounded(value, device.zoom_max or DEFAULT_ZOOM_MAX, "zoom"))
        elif setting is Setting.FOCUS:
            _require(device, Capability.FOCUS, setting)
            await client.manual_focus(
                _bounded(value, device.focus_max or DEFAULT_FOCUS_MAX, "focus")
            )
        else:
            raise UnsupportedError(f"{setting} is not offered by SUNMI cameras")

    async def _set_motion(self, on: bool) -> None:
        current: DynamicDetect = await self._client.get_dynamic_detect()
        if current.motion_level > 0:
            self._last_motion_level = current.motion_level
        level = (current.motion_level or self._last_motion_level) if on else 0
        if level == current.motion_level:
            return
        await self._client.set_dynamic_detect(replace(current, motion_level=level))

    async def async_action(self, device: Device, action: Action, **kwargs: Any) -> None:
        """Reboot, format the SD card, auto focus (``focus_x``/``focus_y`` %), reset the lens."""
        client = self._client
        if action is Action.REBOOT:
            _require(device, Capability.REBOOT, action)
            await client.reboot()
        elif action is Action.FORMAT_SD_CARD:
            _require(device, Capability.FORMAT_SD, action)
            await client.format_memory_card()
            self._formatting_since = self._clock()
        elif action is Action.AUTO_FOCUS:
            _require(device, Capability.AUTO_FOCUS, action)
            await client.auto_focus(int(kwargs.get("focus_x", 50)), int(kwargs.get("focus_y", 50)))
        elif action is Action.RESET_ZOOM_FOCUS:
            _require(device, Capability.ZOOM, action)
            await client.reset_zoom_focus()
        else:
            raise UnsupportedError(f"{action} is not offered by SUNMI cameras")

    # --- media -------------------------------------------------------------------------------

    async def async_stream_source(self, device: Device, stream: str) -> str | None:
        """The RTSP URL getLiveStream gives: full HD for ``main``, HD for ``sub``."""
        if device.key != CAMERA_KEY:
            return None
        live = await self._client.get_live_stream()
        if stream == "main":
            return live.fhd_url or live.hd_url
        if stream in ("sub", "minor"):
            return live.hd_url or live.fhd_url
        raise ValueError("stream is main or sub")

    async def async_snapshot(self, device: Device) -> bytes | None:
        """A JPEG from getSnapshot, fetched over the same pinned link."""
        if device.key != CAMERA_KEY:
            return None
        return await self._client.snapshot()

    # --- webhook push ------------------------------------------------------------------------

    async def async_register_push(self, url: str) -> None:
        """``hook/add`` this model's events for ``url`` (other subscribers stay)."""
        hooks = await self._soft(self._client.hook_query(), "hook/query")
        events = self.events
        if hooks is not None:
            have = {hook.event for hook in hooks if url in hook.callbacks}
            missing = [event for event in events if event not in have]
        else:
            missing = events
        if missing:
            await self._client.hook_add(missing, url)
            _LOGGER.debug("hook/add %s", missing)
        self._push_url = url

    async def async_unregister_push(self) -> None:
        """``hook/delete`` our events; other callbacks of those events are added back.

        ASSUMPTION: hook/delete takes no callback, so it may drop every subscriber of an
        event; whoever else was subscribed (per hook/query) is subscribed again.
        """
        url = self._push_url
        if url is None:
            return
        hooks = await self._soft(self._client.hook_query(), "hook/query")
        events = self.events
        ours = events if hooks is None else [h.event for h in hooks if url in h.callbacks]
        if ours:
            await self._client.hook_delete(ours)
        for hook in hooks or ():
            if hook.event not in ours:
                continue
            for callback in hook.callbacks:
                if callback != url:
                    _LOGGER.debug("re-adding a foreign %s subscriber", hook.event)
                    await self._soft(self._client.hook_add([hook.event], callback), "hook/add")
        self._push_url = None

    def parse_push(self, content_type: str, body: bytes, remote: str | None) -> list[CameraEvent]:
        """Verify the signature and the SN of one HTTP callback; return its events."""
        payload = parse_http_push(
            content_type,
            body,
            self._client.app_id,
            self._client.secret_key,
            replay_guard=self._replay,
        )
        sn = payload.get("sn")
        if sn is not None and str(sn).strip().upper() != self._sn.strip().upper():
            raise AuthError(3, f"push for camera {sn}, not {self._sn}", "push")
        return to_events(payload, CAMERA_KEY, source="http")

    # --- channel push ------------------------------------------------------------------------

    async def async_start_channel(
        self,
        on_event: EventCallback,
        on_state: StateCallback,
        on_auth_error: Callable[[AuthError], None] | None = None,
    ) -> None:
        """Open the message channel (it reconnects by itself) with this model's events."""
        await self.async_stop_channel()

        def handle(payload: dict[str, Any]) -> None:
            for event in to_events(payload, CAMERA_KEY, source="channel"):
                self._deliver(event, payload, on_event)

        options: dict[str, Any] = {"keep_alive": self._keep_alive, **self._channel_options}
        self._channel = MessageChannel(
            self._client.host,
            self._channel_port,
            ssl_context=self._client.ssl_context,
            fingerprint=self._channel_fingerprint,
            app_id=self._client.app_id,
            secret_key=self._client.secret_key,
            on_event=handle,
            on_state=on_state,
            on_auth_error=on_auth_error,
            events=self.events,
            **options,
        )
        await self._channel.start()

    def _deliver(
        self, event: CameraEvent, payload: Mapping[str, Any], on_event: EventCallback
    ) -> None:
        url = payload.get("pic_url")
        if event.type is not EventType.FACE or not self._fetch_pictures or not url:
            on_event(event)
            return
        task = asyncio.create_task(self._with_picture(event, str(url), on_event))
        self._picture_tasks.add(task)
        task.add_done_callback(self._picture_tasks.discard)

    async def _with_picture(self, event: CameraEvent, url: str, on_event: EventCallback) -> None:
        try:
            image = await self._client.fetch_url(
                url,
                timeout=FACE_PICTURE_TIMEOUT,
                max_bytes=FACE_PICTURE_MAX_BYTES,
                expect_jpeg=True,
            )
        except CameraError as err:
            _LOGGER.debug("face picture not fetched: %s", err)
            image = None
        try:
            on_event(replace(event, image=image) if image else event)
        except Exception:
            _LOGGER.exception("event callback failed")

    async def async_stop_channel(self) -> None:
        """Close the channel and cancel picture downloads; never raises."""
        channel, self._channel = self._channel, None
        if channel is not None:
            await channel.stop()
        tasks = list(self._picture_tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        self._picture_tasks.clear()


def _require(device: Device, capability: Capability, what: object) -> None:
    if capability not in device.capabilities:
        raise UnsupportedError(f"{what} is not offered by this camera")


def _bounded(value: Any, maximum: int, name: str) -> int:
    number = int(value)
    if not 0 <= number <= maximum:
        raise ValueError(f"{name} is 0..{maximum}")
    return number
