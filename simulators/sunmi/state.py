"""The simulated IPC's state: settings, SD card, people counters, hooks and the face DB."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

EVENT_MOTION = "dynamic_detect_event"
EVENT_FACE = "face_recog_event"
EVENTS = (EVENT_FACE, EVENT_MOTION)
FLOW_SLOT = 1800  # people counters are kept per half hour (the finest statistics period)
AGE_RANGES = 8
SD_UNPLUGGED, SD_UNFORMATTED, SD_WORKING, SD_UNKNOWN = 0, 1, 2, 3
# The seed's status list has no "formatting"; while a format runs the card reports 3
# ("unknown") -- ASSUMPTION.
SD_FORMATTING = SD_UNKNOWN
MAX_ZOOM, MAX_FOCUS = 500, 780
STRANGER, REGULAR = "stranger", "regular"


@dataclass(frozen=True)
class ModelInfo:
    """What a model has (reference section 4); the one place capabilities live."""

    code: str  # getInfo model_name
    discovery_model: str  # discovery "model"
    rotations: tuple[int, ...]
    zoom_focus: bool
    face: bool  # face recognition: face_recog_event, AI face settings, face DB
    people_flow: bool  # ASSUMPTION: people counting is FS-only, like face analytics


MODELS = {
    "FS": ModelInfo("FS", "FM020", (0, 180), zoom_focus=True, face=True, people_flow=True),
    "SS": ModelInfo(
        "SS", "FM010", (0, 90, 180, 270), zoom_focus=False, face=False, people_flow=False
    ),
}


@dataclass
class DynamicDetect:
    """setDynamicDetect fields."""

    motion_level: int = 2
    audio_level: int = 2
    weekday: int = 128  # bit 7: 7x24 hours
    start_time: int = 0
    stop_time: int = 1440


@dataclass
class DoorLine:
    """setDoorLine fields."""

    resolution: int = 0
    start_x: int = 0
    start_y: int = 540
    end_x: int = 1920
    end_y: int = 540


@dataclass
class FlowSlot:
    """People counted in one half hour."""

    entered: int = 0
    exited: int = 0
    passed: int = 0
    male: list[int] = field(default_factory=lambda: [0] * AGE_RANGES)
    female: list[int] = field(default_factory=lambda: [0] * AGE_RANGES)


@dataclass
class FaceGroup:
    """A face group; ``times``/``period`` only on the stranger group."""

    name: str
    capacity: int
    description: str
    times: int | None = None
    period: int | None = None


@dataclass
class Face:
    """A face record."""

    faceid: str
    group_name: str
    age: int = 0
    age_range: int = 5
    gender: int = 0
    arrive_count: int = 0
    arrive_time: int = 0


def default_groups() -> dict[str, FaceGroup]:
    """The two groups activation creates (5 times in 7 days moves stranger -> regular)."""
    return {
        STRANGER: FaceGroup(STRANGER, 1000, "this is stranger group", times=5, period=7),
        REGULAR: FaceGroup(REGULAR, 5000, "this is regular group"),
    }


@dataclass
class SunmiState:
    """Everything an OpenAPI call can read or change."""

    activated: bool
    ipc_name: str
    led_switch: int = 1
    irmode: int = 2
    rotation: int = 0
    zoom: int = 0
    focus: int = 0
    focused_x: int = 50
    focused_y: int = 50
    dynamic_detect: DynamicDetect = field(default_factory=DynamicDetect)
    optimize_seconds: int = 2
    sd_status: int = SD_WORKING
    formatting_until: float | None = None  # time.monotonic() when the running format ends
    formats: int = 0
    facerecog_interval: int = 60
    customer_judgemode: int = 1
    door_line: DoorLine = field(default_factory=DoorLine)
    flow: dict[int, FlowSlot] = field(default_factory=dict)
    hooks: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, FaceGroup] = field(default_factory=dict)
    faces: dict[str, Face] = field(default_factory=dict)
    next_faceid: int = 1
    wifi_ssid: str = ""
    wifi_password: str = ""
    ip_config: dict[str, str] = field(default_factory=dict)
    next_event_id: int = 1
    reboots: int = 0
    resets: int = 0

    # -- SD card --------------------------------------------------------------------
    @property
    def sd_card_status(self) -> int:
        """getMemoryCardStatus ``status``; a finished format leaves the card working."""
        if self.formatting_until is not None:
            if time.monotonic() < self.formatting_until:
                return SD_FORMATTING
            self.formatting_until = None
            self.sd_status = SD_WORKING
        return self.sd_status

    @property
    def formatting(self) -> bool:
        """Whether a format is running."""
        return self.sd_card_status == SD_FORMATTING and self.formatting_until is not None

    # -- events ---------------------------------------------------------------------
    def take_event_id(self) -> int:
        """The next event_id (restarts at 1 after a reboot)."""
        event_id = self.next_event_id
        self.next_event_id += 1
        return event_id

    # -- people flow ----------------------------------------------------------------
    def add_flow(
        self,
        *,
        entered: int = 0,
        exited: int = 0,
        passed: int = 0,
        when: float | None = None,
        gender: int | None = None,
        age_range: int = 5,
    ) -> None:
        """Count people; entered people alternate male/female unless ``gender`` is 1 or 2."""
        if min(entered, exited, passed) < 0:
            raise ValueError("counts must not be negative")
        if not 1 <= age_range <= AGE_RANGES or gender not in (None, 1, 2):
            raise ValueError("age_range must be 1..8 and gender 1, 2 or None")
        start = int((time.time() if when is None else when) // FLOW_SLOT) * FLOW_SLOT
        slot = self.flow.setdefault(start, FlowSlot())
        slot.exited += exited
        slot.passed += passed
        for _ in range(entered):
            male = gender == 1 if gender is not None else slot.entered % 2 == 0
            (slot.male if male else slot.female)[age_range - 1] += 1
            slot.entered += 1

    def flow_totals(self) -> Counter[str]:
        """All-time counts, for the control API."""
        totals: Counter[str] = Counter()
        for slot in self.flow.values():
            totals.update(entered=slot.entered, exited=slot.exited, passed=slot.passed)
        return totals

    # -- face DB --------------------------------------------------------------------
    def group_count(self, name: str) -> int:
        """Faces in a group."""
        return sum(1 for face in self.faces.values() if face.group_name == name)

    def summary(self) -> dict[str, Any]:
        """JSON-friendly snapshot for the control API."""
        return {
            "activated": self.activated,
            "name": self.ipc_name,
            "led_switch": self.led_switch,
            "irmode": self.irmode,
            "rotation": self.rotation,
            "zoom": self.zoom,
            "focus": self.focus,
            "focused_x": self.focused_x,
            "focused_y": self.focused_y,
            "dynamic_detect": asdict(self.dynamic_detect),
            "optimize_seconds": self.optimize_seconds,
            "sd_card_status": self.sd_card_status,
            "formats": self.formats,
            "facerecog_interval": self.facerecog_interval,
            "customer_judgemode": self.customer_judgemode,
            "door_line": asdict(self.door_line),
            "people_flow": dict(self.flow_totals()),
            "hooks": {event: list(urls) for event, urls in self.hooks.items()},
            "groups": sorted(self.groups),
            "faces": len(self.faces),
            "reboots": self.reboots,
            "resets": self.resets,
        }
