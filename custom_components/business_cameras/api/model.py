"""Normalized data model shared by every platform backend and by the Home Assistant side."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .backend import Setting


class Capability(StrEnum):
    """What a device can do. Entities are gated on these, never on a platform name."""

    LIVE_STREAM = "live_stream"
    SNAPSHOT = "snapshot"
    AUDIO_OUTPUT = "audio_output"
    AUDIO_INPUT = "audio_input"
    MANUAL_ALARM = "manual_alarm"
    REBOOT = "reboot"
    PTZ_RESET = "ptz_reset"
    FORMAT_SD = "format_sd"
    DISKS = "disks"
    POE = "poe"
    TIMING = "timing"
    EVENT_SERVER = "event_server"
    STREAM_SETTINGS = "stream_settings"
    MOTION_EVENTS = "motion_events"
    SMART_EVENTS = "smart_events"
    DEVICE_EVENTS = "device_events"
    FACE_EVENTS = "face_events"
    STATUS_LED = "status_led"
    MOTION_DETECTION = "motion_detection"
    FACE_RECOGNITION = "face_recognition"
    IR_MODE = "ir_mode"
    ROTATION = "rotation"
    ZOOM = "zoom"
    FOCUS = "focus"
    AUTO_FOCUS = "auto_focus"
    MEMORY_CARD = "memory_card"
    PEOPLE_FLOW = "people_flow"
    FIRMWARE = "firmware"
    FIRMWARE_UPDATE = "firmware_update"
    CONNECTIVITY = "connectivity"  # the platform reports the device's own online state
    SYNC_CLOCK = "sync_clock"
    LOOP_RECORDING = "loop_recording"
    SCHEDULED_REBOOT = "scheduled_reboot"
    CHANNEL_PUSH = "channel_push"
    OSD = "osd"
    IMAGE_ADJUST = "image_adjust"  # brightness, contrast, saturation, sharpness, flip
    SOLAR = "solar"  # a solar power system: battery, power in and out
    TAMPER_DETECTION = "tamper_detection"
    ALARM_INPUT = "alarm_input"  # the alarm input can be switched on and off
    ALARM_OUTPUT = "alarm_output"  # the alarm output can be switched on and off
    EVENT_POLLING = "event_polling"  # events can be read back when nothing pushes them
    SOLAR_LOAD_RESTART = "solar_load_restart"  # each of several loads can be power-cycled


class StateGroup(StrEnum):
    """A unit of state a backend reads in one go; entities name the groups they need."""

    ONLINE = "online"
    DISKS = "disks"
    POE = "poe"
    TIMING = "timing"
    EVENT_SERVERS = "event_servers"
    AUDIO = "audio"
    STREAMS = "streams"
    INFO = "info"
    LED = "led"
    DETECTION = "detection"
    FACE_SETTINGS = "face_settings"
    IMAGE = "image"
    ZOOM_FOCUS = "zoom_focus"
    MEMORY_CARD = "memory_card"
    PEOPLE_FLOW = "people_flow"
    RECORDING = "recording"
    SCHEDULE = "schedule"
    CHANNEL_PUSH = "channel_push"
    OSD = "osd"
    SOLAR = "solar"
    EVENTS = "events"  # events read by polling, where nothing pushes them


class EventType(StrEnum):
    """Normalized event kinds across platforms."""

    MOTION = "motion"
    PERSON = "person"
    VEHICLE = "vehicle"
    FACE = "face"
    LINE_CROSSING = "line_crossing"
    INTRUSION = "intrusion"
    REGION_ENTERING = "region_entering"
    REGION_EXITING = "region_exiting"
    LOITERING = "loitering"
    TAMPER = "tamper"
    VIDEO_LOSS = "video_loss"
    ALARM_INPUT = "alarm_input"
    SCENE_CHANGE = "scene_change"
    AUDIO = "audio"
    OBJECT = "object"
    DOORBELL = "doorbell"
    DISK_ERROR = "disk_error"
    DISK_FULL = "disk_full"
    DISK_MISSING = "disk_missing"
    POE_FAULT = "poe_fault"
    DEVICE_FAULT = "device_fault"
    STORAGE_FAULT = "storage_fault"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """A device or channel as Home Assistant shows it.

    ``key`` is stable for the lifetime of the config entry (never a name or an IP address);
    ``parent`` is the key of the device this one is reached through (an NVR for its channels).
    """

    key: str
    name: str
    manufacturer: str
    model: str | None = None
    sw_version: str | None = None
    hw_version: str | None = None
    serial: str | None = None
    mac: str | None = None
    ip: str | None = None
    parent: str | None = None
    channel: int | None = None
    capabilities: frozenset[Capability] = frozenset()
    # Allowed values where the model restricts them (rotation angles, IR modes, lens ranges).
    rotation_options: tuple[int, ...] = ()
    ir_modes: tuple[str, ...] = ()
    flip_modes: tuple[str, ...] = ()
    zoom_max: int | None = None
    focus_max: int | None = None
    # Where the device is (a cloud group or region name): the suggested area.
    area: str | None = None
    # Main-stream resolutions the model offers ("1920*1080"), where the platform lists them.
    resolutions: tuple[str, ...] = ()
    # Main-stream choices the model offers besides resolutions (empty: not settable).
    encodings: tuple[str, ...] = ()  # "H264", "H265"
    frame_rates: tuple[int, ...] = ()  # fps
    bitrates: tuple[int, ...] = ()  # kbit/s
    bitrate_types: tuple[str, ...] = ()  # "cbr", "vbr"
    solar_loads: tuple[int, ...] = ()  # load numbers of a solar supply with several loads
    # Settings the platform can write but never read back: their entities are optimistic.
    write_only: frozenset[Setting] = frozenset()


@dataclass(frozen=True, slots=True)
class Disk:
    """A storage medium (NVR disk, SD card)."""

    id: int
    slot: int | None
    status: str
    total_gb: float | None
    free_gb: float | None
    writable: bool


@dataclass(frozen=True, slots=True)
class PoePort:
    """One PoE port of an NVR."""

    port: int
    enabled: bool
    status: int | None = None
    power_w: float | None = None
    max_power_w: float | None = None
    linked: bool | None = None

    @property
    def faulted(self) -> bool:
        """Short circuit, overload, illegal device or over-temperature (status 3..6)."""
        return self.status is not None and self.status >= 3


@dataclass(frozen=True, slots=True)
class AudioSettings:
    """Speaker or microphone settings of a channel."""

    muted: bool
    volume: int
    system_volume: int | None = None
    noise_cancelling: bool | None = None


@dataclass(frozen=True, slots=True)
class StreamSettings:
    """Encoder settings of one stream."""

    resolution: str | None = None
    bitrate_kbps: int | None = None
    bitrate_type: str | None = None
    quality: str | None = None
    encoding: str | None = None
    frame_rate: int | None = None  # fps


@dataclass(frozen=True, slots=True)
class ImageSettings:
    """Picture adjustments (0..100) and the mirror/flip mode."""

    brightness: int | None = None
    contrast: int | None = None
    saturation: int | None = None
    sharpness: int | None = None
    flip: str | None = None


@dataclass(frozen=True, slots=True)
class SolarState:
    """A solar power system: state code and name, battery charge, temperature, power."""

    status: str | None  # normalised name, e.g. "charging", "low_temperature_protection"
    status_code: int | None
    battery: float | None  # %
    temperature: float | None  # degrees Celsius
    input_power: float | None  # W
    output_power: float | None  # W

    @property
    def abnormal(self) -> bool:
        """A protection state that stops charging or discharging."""
        return self.status_code is not None and self.status_code >= 4


@dataclass(frozen=True, slots=True)
class PeopleFlow:
    """Customer counts for today (since local midnight)."""

    entered: int | None
    exited: int | None
    passed: int | None


@dataclass(frozen=True, slots=True)
class EventServer:
    """An event-push target registered on a device."""

    id: int
    host: str
    port: int
    path: str
    protocol: str
    picture: bool


@dataclass(slots=True)
class DeviceState:
    """Everything polled or pushed about one device. ``None`` means not read (or not offered)."""

    online: bool = True
    disks: list[Disk] | None = None
    poe_ports: list[PoePort] | None = None
    poe_total_w: float | None = None
    poe_used_w: float | None = None
    timing_mode: str | None = None
    ntp_server: str | None = None
    event_servers: list[EventServer] | None = None
    audio_output: AudioSettings | None = None
    audio_input: AudioSettings | None = None
    streams: dict[str, StreamSettings] = field(default_factory=dict)
    firmware: str | None = None
    status_led: bool | None = None
    motion_detection: bool | None = None
    face_optimize_seconds: int | None = None
    ir_mode: str | None = None
    rotation: int | None = None
    zoom: int | None = None
    focus: int | None = None
    memory_card: Disk | None = None
    people_flow: PeopleFlow | None = None
    # Newest firmware the platform knows; progress 0..100 while an upgrade runs.
    firmware_latest: str | None = None
    firmware_installing: bool | None = None
    firmware_progress: int | None = None
    loop_recording: bool | None = None
    scheduled_reboot: bool | None = None
    channel_push: bool | None = None
    osd_date: bool | None = None
    osd_week: bool | None = None
    image: ImageSettings | None = None
    solar: SolarState | None = None
    # Events found by polling in this read (where nothing pushes them); the coordinator
    # hands them to the entities as if pushed and does not keep them in the state.
    polled_events: list[CameraEvent] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class CameraEvent:
    """One event pushed by a device, normalized.

    ``raw`` keeps the vendor's fields, so unknown types stay visible to automations.
    """

    device_key: str
    type: EventType
    time: datetime
    vendor_type: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    image: bytes | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PushTarget:
    """Where a device should POST its events (Home Assistant's webhook)."""

    url: str
