"""The Backend protocol: the seam every platform implements and Home Assistant consumes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from .errors import AuthError
from .model import CameraEvent, Device, DeviceState, StateGroup

EventCallback = Callable[[CameraEvent], None]
StateCallback = Callable[[bool], None]


class Action(StrEnum):
    """Actions a backend may run on a device."""

    REBOOT = "reboot"
    PTZ_RESET = "ptz_reset"
    TRIGGER_ALARM = "trigger_alarm"
    FORMAT_SD_CARD = "format_sd_card"
    AUTO_FOCUS = "auto_focus"
    RESET_ZOOM_FOCUS = "reset_zoom_focus"
    SYNC_CLOCK = "sync_clock"  # set the device clock to now
    UPDATE_FIRMWARE = "update_firmware"  # install the newest firmware the platform knows
    RESTART_SOLAR_LOAD = "restart_solar_load"  # ``index``: one of Device.solar_loads


class Setting(StrEnum):
    """Writable settings; the value types are documented per member."""

    SPEAKER_VOLUME = "speaker_volume"  # int 0..100
    SPEAKER_MUTE = "speaker_mute"  # bool
    MICROPHONE_VOLUME = "microphone_volume"  # int 0..100
    MICROPHONE_MUTE = "microphone_mute"  # bool
    NOISE_CANCELLING = "noise_cancelling"  # bool
    POE_PORT_ENABLED = "poe_port_enabled"  # tuple[int, bool]: port, on
    TIMING_MODE = "timing_mode"  # str
    MAIN_RESOLUTION = "main_resolution"  # str
    MAIN_ENCODING = "main_encoding"  # str, one of Device.encodings
    MAIN_FRAME_RATE = "main_frame_rate"  # int fps, one of Device.frame_rates
    MAIN_BITRATE = "main_bitrate"  # int kbit/s, one of Device.bitrates
    MAIN_BITRATE_TYPE = "main_bitrate_type"  # str, one of Device.bitrate_types
    STATUS_LED = "status_led"  # bool
    MOTION_DETECTION = "motion_detection"  # bool
    FACE_OPTIMIZE_SECONDS = "face_optimize_seconds"  # int 1..6, face analysis time
    IR_MODE = "ir_mode"  # str, one of Device.ir_modes
    ROTATION = "rotation"  # int, one of Device.rotation_options
    ZOOM = "zoom"  # int 0..Device.zoom_max
    FOCUS = "focus"  # int 0..Device.focus_max
    LOOP_RECORDING = "loop_recording"  # bool, overwrite the oldest recordings when full
    SCHEDULED_REBOOT = "scheduled_reboot"  # bool, the device's own reboot schedule on/off
    CHANNEL_PUSH = "channel_push"  # bool, an NVR channel's message push
    OSD_DATE = "osd_date"  # bool, date shown in the picture
    OSD_WEEK = "osd_week"  # bool, weekday shown in the picture
    BRIGHTNESS = "brightness"  # int 0..100
    CONTRAST = "contrast"  # int 0..100
    SATURATION = "saturation"  # int 0..100
    SHARPNESS = "sharpness"  # int 0..100
    IMAGE_FLIP = "image_flip"  # str, one of Device.flip_modes
    TAMPER_DETECTION = "tamper_detection"  # bool
    ALARM_INPUT = "alarm_input"  # bool, react to the alarm input
    ALARM_OUTPUT = "alarm_output"  # bool, let alarms drive the alarm output


class PushMethod(StrEnum):
    """How events reach Home Assistant."""

    CHANNEL = "channel"  # a connection Home Assistant keeps open to the device
    WEBHOOK = "webhook"  # the device POSTs to Home Assistant
    POLL = "poll"  # neither is live


@runtime_checkable
class Backend(Protocol):
    """What Home Assistant needs from a platform."""

    @property
    def unique_id(self) -> str:
        """A stable identity of the hub (serial, MAC or pinned certificate)."""

    async def async_connect(self) -> None:
        """Log in and learn the device identity; raises AuthError, ConnectError."""

    async def async_get_devices(self) -> list[Device]:
        """List the hub and its channels with their capabilities."""

    async def async_get_state(
        self, devices: Mapping[str, Device], groups: Collection[StateGroup]
    ) -> dict[str, DeviceState]:
        """Read the state groups asked for, in as few requests as the platform allows."""

    async def async_set(self, device: Device, setting: Setting, value: Any) -> None:
        """Write one setting."""

    async def async_action(self, device: Device, action: Action, **kwargs: Any) -> None:
        """Run an action on a device."""

    async def async_stream_source(self, device: Device, stream: str) -> str | None:
        """A stream URL Home Assistant can open (credentials embedded where needed)."""

    async def async_snapshot(self, device: Device) -> bytes | None:
        """A current JPEG still image."""

    async def async_close(self) -> None:
        """Release sessions and tokens; never raises."""


@runtime_checkable
class WebhookPushBackend(Backend, Protocol):
    """A backend whose device POSTs events to a URL Home Assistant serves."""

    async def async_register_push(self, url: str) -> None:
        """Register ``url`` as the device's event target (never overwriting a foreign one)."""

    async def async_unregister_push(self) -> None:
        """Remove what async_register_push added."""

    def parse_push(self, content_type: str, body: bytes, remote: str | None) -> list[CameraEvent]:
        """Parse and authenticate one pushed request; raises ProtocolError or AuthError."""


@runtime_checkable
class ChannelPushBackend(Backend, Protocol):
    """A backend that keeps its own connection to the device for events."""

    async def async_start_channel(
        self,
        on_event: EventCallback,
        on_state: StateCallback,
        on_auth_error: Callable[[AuthError], None] | None = None,
    ) -> None:
        """Open the channel and keep it open (reconnecting with backoff) until stopped.

        ``on_state(True)`` once subscribed, ``on_state(False)`` when the channel drops;
        ``on_auth_error`` when the device rejects the credentials (retrying stops then).
        """

    async def async_stop_channel(self) -> None:
        """Close the channel; never raises."""
