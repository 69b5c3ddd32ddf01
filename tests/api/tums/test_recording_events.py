"""Recordings (1.4.5.7) turned into events when nothing is pushed."""

from __future__ import annotations

import datetime as dt

from custom_components.business_cameras.api.model import EventType
from custom_components.business_cameras.api.tums.playback import Recording
from custom_components.business_cameras.api.tums.recording_events import (
    RecordingWatermarks,
    recording_events,
)

DAY = dt.date(2026, 12, 6)


def segment(start: int, *kinds: str, source: int | None = 0) -> Recording:
    return Recording(
        start=start, end=start + 30, kinds=frozenset(kinds), source=source, video_type=(0, 0)
    )


def test_one_event_per_normalised_type() -> None:
    events = recording_events("cam", segment(1_700_000_000, "motion_person_enhanced", "person"))
    assert sorted(e.type for e in events) == [EventType.MOTION, EventType.PERSON]
    person = next(e for e in events if e.type is EventType.PERSON)
    assert person.attributes["kinds"] == ["motion_person_enhanced", "person"]
    assert person.time == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert person.vendor_type == "recording"
    assert person.attributes["stored_on"] == "camera"


def test_scheduled_and_system_kinds_are_no_events() -> None:
    assert recording_events("cam", segment(10, "scheduled")) == []
    assert recording_events("cam", segment(10, "login_exception", "bit_70")) == []
    full = recording_events("cam", segment(10, "sd_card_full", source=1))
    assert [e.type for e in full] == [EventType.DISK_FULL]
    assert full[0].attributes["stored_on"] == "nvr"


def test_first_read_is_history_then_only_new_segments_fire_once() -> None:
    marks = RecordingWatermarks()
    history = [segment(100, "motion"), segment(200, "person")]
    assert marks.new_events("cam", history, DAY) == []
    assert marks.new_events("cam", history, DAY) == []
    later = [*history, segment(300, "line_crossing"), segment(250, "vehicle")]
    fired = marks.new_events("cam", later, DAY)
    assert [e.type for e in fired] == [EventType.VEHICLE, EventType.LINE_CROSSING]
    assert marks.new_events("cam", later, DAY) == []


def test_a_camera_with_no_recordings_yet_fires_for_its_first_one() -> None:
    marks = RecordingWatermarks()
    assert marks.new_events("cam", [], DAY) == []
    assert [e.type for e in marks.new_events("cam", [segment(5, "motion")], DAY)] == [
        EventType.MOTION
    ]


def test_after_midnight_the_previous_day_is_read_once_more() -> None:
    marks = RecordingWatermarks()
    assert marks.days_to_search("cam", DAY) == [DAY]
    marks.new_events("cam", [segment(100, "motion")], DAY)
    tomorrow = DAY + dt.timedelta(days=1)
    assert marks.days_to_search("cam", tomorrow) == [DAY, tomorrow]
    late = [segment(100, "motion"), segment(150, "motion"), segment(400, "person")]
    assert len(marks.new_events("cam", late, tomorrow)) == 2
    assert marks.days_to_search("cam", tomorrow) == [tomorrow]
    # A gap of days: only today.
    assert marks.days_to_search("cam", tomorrow + dt.timedelta(days=3)) == [
        tomorrow + dt.timedelta(days=3)
    ]


def test_marks_of_removed_cameras_are_dropped() -> None:
    marks = RecordingWatermarks()
    marks.new_events("gone", [segment(100, "motion")], DAY)
    marks.forget({"other": object()})
    # Read afresh: history again, no events.
    assert marks.new_events("gone", [segment(100, "motion"), segment(200, "motion")], DAY) == []
