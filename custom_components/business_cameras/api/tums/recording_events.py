"""Events read back from the recording index (1.4.5.7) when the cloud pushes nothing.

Each camera's recordings of the day carry a ``videoType`` bitmask naming what triggered them
(motion, person, line crossing ...). Polling the day's list and keeping a watermark per camera
turns new segments into the same events a push would have delivered, one per normalised type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from ..model import CameraEvent, EventType
from .playback import Recording

_T = EventType
# Kinds of decode_video_type (tables 1.4.5.1-1/-2) -> normalised type, as the push mapping
# does for the matching msgContentType. Scheduled recordings and system kinds are no events.
KIND_TYPES: Final[dict[str, tuple[EventType, ...]]] = {
    "motion": (_T.MOTION,),
    "fast_moving": (_T.MOTION,),
    "motion_cloud_storage": (_T.MOTION,),
    "motion_person_enhanced": (_T.MOTION, _T.PERSON),
    "motion_vehicle_enhanced": (_T.MOTION, _T.VEHICLE),
    "person": (_T.PERSON,),
    "people_gathering": (_T.PERSON,),
    "visitor": (_T.PERSON,),
    "vehicle": (_T.VEHICLE,),
    "parking": (_T.VEHICLE,),
    "parking_space_occupied": (_T.VEHICLE,),
    "face_detection": (_T.FACE,),
    "face_recognition": (_T.FACE,),
    "line_crossing": (_T.LINE_CROSSING,),
    "line_crossing_person_enhanced": (_T.LINE_CROSSING,),
    "line_crossing_vehicle_enhanced": (_T.LINE_CROSSING,),
    "intrusion": (_T.INTRUSION,),
    "intrusion_person_enhanced": (_T.INTRUSION,),
    "intrusion_vehicle_enhanced": (_T.INTRUSION,),
    "region_entering": (_T.REGION_ENTERING,),
    "region_entering_person_enhanced": (_T.REGION_ENTERING,),
    "region_entering_vehicle_enhanced": (_T.REGION_ENTERING,),
    "region_exiting": (_T.REGION_EXITING,),
    "region_exiting_person_enhanced": (_T.REGION_EXITING,),
    "region_exiting_vehicle_enhanced": (_T.REGION_EXITING,),
    "loitering": (_T.LOITERING,),
    "tamper": (_T.TAMPER,),
    "defocus": (_T.TAMPER,),
    "alarm_input": (_T.ALARM_INPUT,),
    "scene_change": (_T.SCENE_CHANGE,),
    "audio_exception": (_T.AUDIO,),
    "crying": (_T.AUDIO,),
    "object_left": (_T.OBJECT,),
    "object_removed": (_T.OBJECT,),
    "object_left_removed": (_T.OBJECT,),
    "doorbell": (_T.DOORBELL,),
    "sd_card_full": (_T.DISK_FULL,),
    "sd_card_error": (_T.DISK_ERROR,),
    "sd_card_removed": (_T.DISK_MISSING,),
}
VENDOR_TYPE: Final = "recording"


def recording_events(device_key: str, recording: Recording) -> list[CameraEvent]:
    """One event per normalised type the segment was recorded for (none if only scheduled)."""
    types: dict[EventType, list[str]] = {}
    for kind in sorted(recording.kinds):
        for kind_type in KIND_TYPES.get(kind, ()):
            types.setdefault(kind_type, []).append(kind)
    when = dt.datetime.fromtimestamp(recording.start, dt.UTC)
    return [
        CameraEvent(
            device_key=device_key,
            type=kind_type,
            time=when,
            vendor_type=VENDOR_TYPE,
            attributes={
                "kinds": kinds,
                "start": recording.start,
                "end": recording.end,
                "stored_on": "nvr" if recording.source == 1 else "camera",
            },
            raw={"videoType": list(recording.video_type), "sourceType": recording.source},
        )
        for kind_type, kinds in types.items()
    ]


@dataclass(slots=True)
class _Mark:
    """The newest segment start already handled for one camera, and its day."""

    start: int
    day: dt.date


class RecordingWatermarks:
    """Per camera, which segments were already turned into events.

    The first read of a camera only sets its mark: the day's earlier recordings are history,
    not news.
    """

    def __init__(self) -> None:
        """No camera read yet."""
        self._marks: dict[str, _Mark] = {}

    def __len__(self) -> int:
        """How many cameras have a mark."""
        return len(self._marks)

    def days_to_search(self, device_key: str, today: dt.date) -> list[dt.date]:
        """Today, and the previous day too while its late segments may still be unread."""
        mark = self._marks.get(device_key)
        if mark is not None and mark.day < today:
            return [mark.day, today] if (today - mark.day).days == 1 else [today]
        return [today]

    def new_events(
        self,
        device_key: str,
        recordings: Iterable[Recording],
        today: dt.date,
    ) -> list[CameraEvent]:
        """Events of the segments that started after the mark; the mark moves on."""
        found = sorted(recordings, key=lambda r: r.start)
        mark = self._marks.get(device_key)
        if mark is None:
            # Nothing listed yet: whatever appears later is new, however early it started.
            self._marks[device_key] = _Mark(max((r.start for r in found), default=0), today)
            return []
        events: list[CameraEvent] = []
        for recording in found:
            if recording.start > mark.start:
                events += recording_events(device_key, recording)
        newest = max((r.start for r in found), default=mark.start)
        self._marks[device_key] = _Mark(max(mark.start, newest), today)
        return events

    def forget(self, keep: Mapping[str, object]) -> None:
        """Drop the marks of cameras that are gone."""
        for key in [k for k in self._marks if k not in keep]:
            del self._marks[key]
