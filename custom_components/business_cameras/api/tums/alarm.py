"""Monitoring-point alarm types (1.4.8.1) and the request checks of the alarm switches."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Final

MAX_ALARM_TYPES: Final = 10  # alarmTypeList length [1, 10] (1.4.8.3)


class AlarmType(IntEnum):
    """``alarmType`` values of 1.4.8.1 (the complete table); ``name.lower()`` is the key."""

    MOTION = 2
    TAMPER = 3
    LINE_CROSSING = 4
    INTRUSION = 5
    REGION_ENTERING = 6
    REGION_EXITING = 7
    LOITERING = 8
    PEOPLE_GATHERING = 9
    FAST_MOVING = 10
    PARKING = 11
    OBJECT_LEFT = 12
    OBJECT_REMOVED = 13
    ALARM_INPUT = 18  # external sensor alarm
    PERSON = 20
    VEHICLE = 22
    OBJECT_LEFT_REMOVED = 23
    EBIKE = 29
    POST_SUPERVISION = 40  # is the staff member at their post


def alarm_type_list(alarm_types: Iterable[int]) -> list[int]:
    """1..10 distinct positive ints in the given order (undocumented values pass through).

    Values outside the table are not rejected: the table lists what the cloud supports
    today, and the cloud answers an unknown type per item in ``failList``.
    """
    out: list[int] = []
    for value in alarm_types:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"not an alarm type: {value!r}")
        if int(value) not in out:
            out.append(int(value))
    if not 1 <= len(out) <= MAX_ALARM_TYPES:
        raise ValueError(f"alarmTypeList needs 1..{MAX_ALARM_TYPES} entries")
    return out
