"""Recording segments of a camera (source 1.4.5.1 videoType tables, 1.4.5.6 to 1.4.5.8).

videoType is a bitmask split into 32-bit words written as signed int32 (bit 31 is
-2147483648). The document's entries always end with one zero word: a bit of word 0 is
``[x, 0]``, a bit of word 1 is ``[0, x, 0]``; the simulator writes them the same way.

Days are Beijing days (UTC+8): the recording endpoints name no time zone, and the only day
boundary the document defines (1.4.4.24) is 00:00 Beijing time, as in the passenger-flow
statistics here.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
EVENT_SECONDS = 30  # an event recording: the event time plus 30 s
HOUR = 3600

# msgContentType of a monitorAlarm push (1.4.6.5) -> bit of table 1.4.5.1-2. Kinds without a
# row in that table (videoLost, videoRecover, highAltitudeThrowing, someBodyPass,
# electromobileDetected) and device alarms (vmsDeviceAlarm) record nothing.
EVENT_BITS: dict[str, int] = {
    "timing": 0,
    "movementDetected": 1,
    "shadeDetected": 2,
    "overstepingBoundaryDetected": 3,
    "areaIntruded": 4,
    "enterArea": 5,
    "leaveArea": 6,
    "wanderingDetected": 7,
    "crowdDetected": 8,
    "fastMoving": 9,
    "parkingDetected": 10,
    "itemsLeftBehind": 11,
    "itemsTaken": 12,
    "audioAbnormal": 13,
    "defocusDetected": 14,
    "sceneChanged": 15,
    "faceDetected": 16,
    "externalDeviceAlarm": 17,
    "humanDetected": 25,
    "vehicleDetected": 26,
    "itemsLeftAndTaken": 27,
    "videoMessage": 30,
    "cryDetected": 47,
}
# Human detection plus the "human-enhanced" motion, intrusion, line-crossing, enter and leave
# bits: what 1.4.5.8 (所有人形侦测录像) returns.
HUMAN_BITS = (25, 31, 33, 35, 39, 41)
SCHEDULED, MOTION, HUMAN = 0, 1, 25


def video_type(*bits: int) -> tuple[int, ...]:
    """The videoType words for a set of bit numbers (signed int32, one trailing zero word)."""
    words = [0] * (max(bits) // 32 + 2)
    for bit in bits:
        if not 0 <= bit < 32 * 8:
            raise ValueError(f"bit {bit} out of range")
        words[bit // 32] |= 1 << (bit % 32)
    return tuple(w - (1 << 32) if w >= 1 << 31 else w for w in words)


def _unsigned(words: tuple[int, ...]) -> int:
    return sum((w & 0xFFFFFFFF) << (32 * i) for i, w in enumerate(words))


HUMAN_MASK = _unsigned(video_type(*HUMAN_BITS))


@dataclass(frozen=True, order=True)
class Segment:
    """One recording: [start, end] in UNIX seconds, its videoType words and where it is stored."""

    start: int
    end: int
    video_type: tuple[int, ...]
    source_type: int  # 0 IPC (SD card), 1 NVR

    @property
    def human(self) -> bool:
        """True when any human-detection bit is set."""
        return bool(_unsigned(self.video_type) & HUMAN_MASK)

    def to_json(self) -> dict[str, object]:
        """A ``videos`` item of 1.4.5.7/1.4.5.8."""
        return {
            "startTime": self.start,
            "endTime": self.end,
            "videoType": list(self.video_type),
            "sourceType": self.source_type,
        }


def day_key(moment: float) -> str:
    """yyyyMMdd of a UNIX time, Beijing time."""
    return datetime.datetime.fromtimestamp(moment, BEIJING).strftime("%Y%m%d")


def day_start(key: str) -> int:
    """UNIX time of 00:00 Beijing time of a yyyyMMdd day."""
    day = datetime.datetime.strptime(key, "%Y%m%d").replace(tzinfo=BEIJING)
    return int(day.timestamp())


class Recordings:
    """A camera's segments grouped by Beijing day, each day sorted by start time."""

    def __init__(self, source_type: int) -> None:
        self.source_type = source_type
        self.days: dict[str, list[Segment]] = {}

    def add(self, start: int, end: int, words: tuple[int, ...]) -> Segment:
        """Store a segment under the day it starts in."""
        if end < start:
            raise ValueError("end before start")
        segment = Segment(start, end, words, self.source_type)
        bisect.insort(self.days.setdefault(day_key(start), []), segment)
        return segment

    def add_event(self, kind: str, when: int) -> Segment | None:
        """The recording an event of msgContentType ``kind`` leaves (None when it leaves none)."""
        bit = EVENT_BITS.get(kind)
        if bit is None:
            return None
        return self.add(when, when + EVENT_SECONDS, video_type(bit))

    def day(self, key: str) -> list[Segment]:
        """The segments of a yyyyMMdd day."""
        return list(self.days.get(key, ()))

    def dates(self, year: str) -> list[str]:
        """The days of a year with at least one segment, as mmdd, ascending."""
        return sorted(key[4:] for key, found in self.days.items() if found and key[:4] == year)

    def fill_history(self, now: float, days: int, seed: int) -> None:
        """Hourly scheduled recordings for the ``days`` Beijing days before today.

        Every sixth hour is also motion-triggered ([3,0], as in the 1.4.5.7 example) and one
        short human-detection recording per day lets 1.4.5.8 find something.
        """
        today = day_start(day_key(now))
        for back in range(days, 0, -1):
            first = today - back * 24 * HOUR
            for hour in range(24):
                start = first + hour * HOUR
                bits = (SCHEDULED, MOTION) if hour % 6 == 3 else (SCHEDULED,)
                self.add(start, start + HOUR, video_type(*bits))  # contiguous, like the example
            human = first + (14 * HOUR) + (seed % 50) * 60
            self.add(human, human + EVENT_SECONDS, video_type(HUMAN))
