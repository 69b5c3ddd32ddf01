"""Recording search answers (1.4.5.6 to 1.4.5.8) and the ``videoType`` bitmask (1.4.5.1).

``videoType`` is a list of 32-bit words, low word first: element 0 holds bits 0-31, element 1
bits 32-63 (and a third element, when sent, bits 64-95). Words are signed int32, so
``-2147483648`` is bit 31. Bits the tables do not name are kept as ``bit_<n>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .parsers import DeviceRef, first, to_int, to_str

WORD_BITS: Final = 32
SOURCE_IPC: Final = 0  # sourceType: stored on the IPC's SD card
SOURCE_NVR: Final = 1  # stored on the NVR
PERSON: Final = "person"
_PERSON_BIT: Final = 25

# Table 1.4.5.1-2 (IPC), by bit number: [1,0] is bit 0, [0,1,0] bit 32.
IPC_KINDS: Final[dict[int, str]] = {
    0: "scheduled",
    1: "motion",
    2: "tamper",
    3: "line_crossing",
    4: "intrusion",
    5: "region_entering",
    6: "region_exiting",
    7: "loitering",
    8: "people_gathering",
    9: "fast_moving",
    10: "parking",
    11: "object_left",
    12: "object_removed",
    13: "audio_exception",
    14: "defocus",
    15: "scene_change",
    16: "face_detection",
    17: "alarm_input",
    18: "line_crossing_counting",
    19: "login_exception",
    20: "sd_card_full",
    21: "sd_card_error",
    22: "sd_card_removed",
    23: "network_disconnected",
    24: "ip_conflict",
    25: PERSON,
    26: "vehicle",
    27: "object_left_removed",
    28: "motion_cloud_storage",
    29: "welcome_announcement",
    30: "video_message",
    31: "motion_person_enhanced",
    32: "motion_vehicle_enhanced",
    33: "intrusion_person_enhanced",
    34: "intrusion_vehicle_enhanced",
    35: "line_crossing_person_enhanced",
    36: "line_crossing_vehicle_enhanced",
    37: "face_recognition",
    38: "face_album",
    39: "region_entering_person_enhanced",
    40: "region_entering_vehicle_enhanced",
    41: "region_exiting_person_enhanced",
    42: "region_exiting_vehicle_enhanced",
    43: "people_counting",
    44: "doorbell",
    45: "visitor",
    46: "parking_space_occupied",
    47: "crying",
    48: "body_album",
    49: "emergency_call",
}
# Table 1.4.5.1-1 (NVR) names only these two; the IPC table is not assumed to apply.
NVR_KINDS: Final[dict[int, str]] = {0: "scheduled", 1: "motion"}


def video_type_bits(words: Sequence[int]) -> list[int]:
    """The set bit numbers of a ``videoType`` word list, lowest first."""
    bits = []
    for index, word in enumerate(words):
        unsigned = word & 0xFFFFFFFF  # two's complement: -2147483648 -> 0x80000000
        bits += [index * WORD_BITS + b for b in range(WORD_BITS) if unsigned >> b & 1]
    return bits


def decode_video_type(words: Sequence[int], nvr: bool) -> frozenset[str]:
    """Named kinds of a ``videoType`` bitmask (table 1.4.5.1-1 if ``nvr``, else 1.4.5.1-2)."""
    table = NVR_KINDS if nvr else IPC_KINDS
    return frozenset(table.get(bit, f"bit_{bit}") for bit in video_type_bits(words))


@dataclass(frozen=True, slots=True)
class Recording:
    """One recording segment of 1.4.5.7/1.4.5.8 (times are Unix seconds)."""

    start: int
    end: int
    kinds: frozenset[str]
    source: int | None  # 0 IPC (SD card), 1 NVR
    video_type: tuple[int, ...]

    @property
    def duration(self) -> int:
        """Length in seconds."""
        return self.end - self.start


def _words(value: object) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    # A garbled word counts as no bits rather than dropping the segment.
    return tuple(to_int(word) or 0 for word in value)


def parse_recordings(result: Mapping[str, Any], *, human: bool = False) -> list[Recording]:
    """``result.videos`` of 1.4.5.7 (or 1.4.5.8 with ``human``); unusable segments are skipped.

    ``human``: 1.4.5.8 only returns person recordings, so each one gets the ``person`` kind.
    Its example ``[26,0]`` contradicts table 1.4.5.1-2 (person is bit 25, ``[33554432,0]``;
    26 looks like a 1-based bit number). When bit 25 is set the words follow the table and all
    decoded kinds are kept; otherwise they are not trusted and only ``person`` is reported
    (``video_type`` still holds the raw words).
    """
    videos = result.get("videos")
    out = []
    for item in videos if isinstance(videos, list) else []:
        if not isinstance(item, dict):
            continue
        start = to_int(item.get("startTime"))
        end = to_int(item.get("endTime"))
        if start is None or end is None or end < start:
            continue
        source = to_int(item.get("sourceType"))
        words = _words(item.get("videoType"))
        kinds = decode_video_type(words, nvr=source == SOURCE_NVR)
        if human:
            trusted = _PERSON_BIT in video_type_bits(words)
            kinds = kinds | {PERSON} if trusted else frozenset({PERSON})
        out.append(Recording(start, end, kinds, source, words))
    return out


@dataclass(frozen=True, slots=True)
class RecordingDays:
    """1.4.5.6: the days of one year on which a channel has recordings."""

    qr_code: str | None
    mac: str | None
    channel_id: int | None
    days: tuple[dt.date, ...]
    raw_dates: tuple[str, ...]

    @property
    def ref(self) -> DeviceRef | None:
        """The locator the entry answers for (``None`` if the cloud sent neither)."""
        if not self.qr_code and not self.mac:
            return None
        return DeviceRef(self.qr_code, self.mac, self.channel_id)


def parse_day(text: str, year: int) -> dt.date | None:
    """``mmddxxx`` (month, day, 3-digit running number) -> the date in ``year``."""
    if len(text) < 4 or not text[:4].isdigit():
        return None
    try:
        return dt.date(year, int(text[:2]), int(text[2:4]))
    except ValueError:
        return None


def parse_year(result: Mapping[str, Any], year: int) -> list[RecordingDays]:
    """``result.deviceVideoInfoList`` of 1.4.5.6 (``channelId`` as number or string)."""
    entries = result.get("deviceVideoInfoList")
    out = []
    for item in entries if isinstance(entries, list) else []:
        if not isinstance(item, dict):
            continue
        raw = item.get("dates")
        texts = tuple(d.strip() for d in raw if isinstance(d, str)) if isinstance(raw, list) else ()
        days = {day for day in (parse_day(t, year) for t in texts) if day is not None}
        out.append(
            RecordingDays(
                qr_code=to_str(first(item, "qrCode", "qrcode")),
                mac=to_str(item.get("mac")),
                channel_id=to_int(first(item, "channelId", "channel")),
                days=tuple(sorted(days)),
                raw_dates=texts,
            )
        )
    return out
