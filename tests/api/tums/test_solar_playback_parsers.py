"""Pure parsing: videoType bitmasks (1.4.5.1), recordings, solar values, failList items."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from custom_components.business_cameras.api.errors import ApiError, ProtocolError
from custom_components.business_cameras.api.tums.alarm import AlarmType, alarm_type_list
from custom_components.business_cameras.api.tums.errors import (
    DeviceOfflineError,
    DeviceUnsupportedError,
    NotLicensedError,
)
from custom_components.business_cameras.api.tums.parsers import (
    BatchFailure,
    parse_device,
    parse_envelope,
    parse_failures,
)
from custom_components.business_cameras.api.tums.playback import (
    IPC_KINDS,
    decode_video_type,
    parse_day,
    parse_recordings,
    parse_year,
    video_type_bits,
)
from custom_components.business_cameras.api.tums.solar import (
    SolarCondition,
    SolarLoadResetError,
    SolarStatus,
    SolarSupplySlot,
    check_load_reset,
    parse_solar_schedule,
    parse_solar_status,
)

# Table 1.4.5.1-2 as printed (``[0, 128 0]`` with its comma restored).
IPC_TABLE: list[tuple[list[int], str]] = [
    ([1, 0], "scheduled"),
    ([2, 0], "motion"),
    ([4, 0], "tamper"),
    ([8, 0], "line_crossing"),
    ([16, 0], "intrusion"),
    ([32, 0], "region_entering"),
    ([64, 0], "region_exiting"),
    ([128, 0], "loitering"),
    ([256, 0], "people_gathering"),
    ([512, 0], "fast_moving"),
    ([1024, 0], "parking"),
    ([2048, 0], "object_left"),
    ([4096, 0], "object_removed"),
    ([8192, 0], "audio_exception"),
    ([16384, 0], "defocus"),
    ([32768, 0], "scene_change"),
    ([65536, 0], "face_detection"),
    ([131072, 0], "alarm_input"),
    ([262144, 0], "line_crossing_counting"),
    ([524288, 0], "login_exception"),
    ([1048576, 0], "sd_card_full"),
    ([2097152, 0], "sd_card_error"),
    ([4194304, 0], "sd_card_removed"),
    ([8388608, 0], "network_disconnected"),
    ([16777216, 0], "ip_conflict"),
    ([33554432, 0], "person"),
    ([67108864, 0], "vehicle"),
    ([134217728, 0], "object_left_removed"),
    ([268435456, 0], "motion_cloud_storage"),
    ([536870912, 0], "welcome_announcement"),
    ([1073741824, 0], "video_message"),
    ([-2147483648, 0], "motion_person_enhanced"),
    ([0, 1, 0], "motion_vehicle_enhanced"),
    ([0, 2, 0], "intrusion_person_enhanced"),
    ([0, 4, 0], "intrusion_vehicle_enhanced"),
    ([0, 8, 0], "line_crossing_person_enhanced"),
    ([0, 16, 0], "line_crossing_vehicle_enhanced"),
    ([0, 32, 0], "face_recognition"),
    ([0, 64, 0], "face_album"),
    ([0, 128, 0], "region_entering_person_enhanced"),
    ([0, 256, 0], "region_entering_vehicle_enhanced"),
    ([0, 512, 0], "region_exiting_person_enhanced"),
    ([0, 1024, 0], "region_exiting_vehicle_enhanced"),
    ([0, 2048, 0], "people_counting"),
    ([0, 4096, 0], "doorbell"),
    ([0, 8192, 0], "visitor"),
    ([0, 16384, 0], "parking_space_occupied"),
    ([0, 32768, 0], "crying"),
    ([0, 65536, 0], "body_album"),
    ([0, 131072, 0], "emergency_call"),
]


@pytest.mark.parametrize(("words", "kind"), IPC_TABLE)
def test_ipc_table(words: list[int], kind: str) -> None:
    assert decode_video_type(words, nvr=False) == frozenset({kind})
    # The two-word form of the same bit decodes the same.
    assert decode_video_type(words[:2], nvr=False) == frozenset({kind})


def test_ipc_table_is_complete_and_distinct() -> None:
    assert len(IPC_TABLE) == len(IPC_KINDS) == len(set(IPC_KINDS.values())) == 50


@pytest.mark.parametrize(
    ("words", "kinds"),
    [
        ([1, 0], {"scheduled"}),
        ([2, 0], {"motion"}),
        ([3, 0], {"scheduled", "motion"}),
        ([4, 0], {"bit_2"}),  # not in the NVR table
        ([-2147483648, 0], {"bit_31"}),
        ([0, 1], {"bit_32"}),
    ],
)
def test_nvr_table(words: list[int], kinds: set[str]) -> None:
    assert decode_video_type(words, nvr=True) == kinds


def test_bitmask_edges() -> None:
    assert video_type_bits([-2147483648, 0]) == [31]
    assert video_type_bits([2147483648, 0]) == [31]  # the unsigned spelling of the same bit
    assert video_type_bits([-1, 0]) == list(range(32))
    assert video_type_bits([0, -2147483648, 1]) == [63, 64]
    assert decode_video_type([0, 0, 1], nvr=False) == {"bit_64"}
    assert decode_video_type([0, 1 << 18, 0], nvr=False) == {"bit_50"}
    assert decode_video_type([33554432 | 2, 32 | 4096, 0], nvr=False) == {
        "person",
        "motion",
        "face_recognition",
        "doorbell",
    }
    assert decode_video_type([], nvr=False) == frozenset()
    assert decode_video_type([0, 0], nvr=True) == frozenset()


def test_recordings_tolerant() -> None:
    result: dict[str, Any] = {
        "videos": [
            {"startTime": "100", "endTime": "200", "videoType": ["2", "0"], "sourceType": "0"},
            {"startTime": 300, "endTime": 400, "videoType": ["x", 1]},  # garbled word: 0
            {"startTime": 500, "endTime": 600},  # no videoType: no kinds
            {"startTime": "soon", "endTime": 700, "videoType": [1, 0]},
            {"startTime": 900, "endTime": 800, "videoType": [1, 0]},
            "junk",
        ]
    }
    recordings = parse_recordings(result)
    assert [(r.start, r.end, r.kinds, r.source, r.video_type) for r in recordings] == [
        (100, 200, frozenset({"motion"}), 0, (2, 0)),
        (300, 400, frozenset({"motion_vehicle_enhanced"}), None, (0, 1)),
        (500, 600, frozenset(), None, ()),
    ]
    assert recordings[0].duration == 100
    assert parse_recordings({"videos": None}) == []
    assert parse_recordings({}) == []


def test_human_recordings_are_person() -> None:
    result = {
        "videos": [
            {"startTime": 1, "endTime": 2, "videoType": [26, 0], "sourceType": 1},
            {"startTime": 3, "endTime": 4, "videoType": [33554432, 0], "sourceType": 1},
            {"startTime": 5, "endTime": 6, "videoType": [33554433, 0], "sourceType": 0},
            {"startTime": 7, "endTime": 8},
        ]
    }
    kinds = [r.kinds for r in parse_recordings(result, human=True)]
    assert kinds == [
        {"person"},
        {"person", "bit_25"},  # NVR storage: its table does not name bit 25
        {"person", "scheduled"},
        {"person"},
    ]


def test_year_dates() -> None:
    assert parse_day("0729001", 2023) == dt.date(2023, 7, 29)
    assert parse_day("0229001", 2023) is None
    assert parse_day("0229001", 2024) == dt.date(2024, 2, 29)
    assert parse_day("1332001", 2023) is None
    assert parse_day("07", 2023) is None
    assert parse_day("ab29001", 2023) is None
    days = parse_year(
        {
            "deviceVideoInfoList": [
                {"qrCode": "Q", "channelId": "3", "dates": ["0730002", "0729001", "0729002", 5]},
                {"dates": "0729001"},
                "junk",
            ]
        },
        2023,
    )
    assert days[0].days == (dt.date(2023, 7, 29), dt.date(2023, 7, 30))
    assert days[0].channel_id == 3
    assert days[0].ref is not None
    assert days[0].ref.device_id == "Q:ch3"
    assert days[1].days == ()
    assert days[1].ref is None


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            {
                "status": "0",
                "batteryStatus": "53.32",
                "envTemp": "23",
                "inputWatt": "0.00",
                "outputWatt": "0.00",
            },
            SolarStatus(0, 53.32, 23.0, 0.0, 0.0),
        ),
        (
            {"status": 2, "batteryStatus": 100, "envTemp": -5.5, "inputWatt": 3, "outputWatt": 1},
            SolarStatus(2, 100.0, -5.5, 3.0, 1.0),
        ),
        (
            {
                "status": "charging",
                "batteryStatus": "150",
                "envTemp": "nan",
                "inputWatt": "",
                "outputWatt": True,
            },
            SolarStatus(None, None, None, None, None),
        ),
        (
            {"status": " 4 ", "batteryStatus": "-1", "envTemp": None},
            SolarStatus(4, None, None, None, None),
        ),
        ({}, SolarStatus(None, None, None, None, None)),
    ],
)
def test_solar_status(result: dict[str, Any], expected: SolarStatus) -> None:
    assert parse_solar_status(result) == expected


@pytest.mark.parametrize(
    ("state", "condition", "name"),
    [
        (0, SolarCondition.NORMAL, "not_charging"),
        (1, SolarCondition.NORMAL, "charging"),
        (2, SolarCondition.NORMAL, "charge_complete"),
        (3, SolarCondition.SPECIAL, "auxiliary_heating"),
        (4, SolarCondition.ABNORMAL, "low_temperature_no_charge"),
        (7, SolarCondition.ABNORMAL, "high_temperature_no_charge_discharge"),
        (8, None, None),
        (None, None, None),
    ],
)
def test_solar_condition(state: int | None, condition: SolarCondition | None, name: str) -> None:
    status = SolarStatus(state, None, None, None, None)
    assert status.condition == condition
    assert status.state_name == name


def test_solar_schedule_tolerant() -> None:
    result = {
        "solarSupplyTimeList": [
            {
                "startTimeHour": "3",
                "startTimeMin": "0",
                "endTimeHour": "4",
                "endTimeMin": "0",
                "status": "on",
            },
            {
                "startTimeHour": 1,
                "startTimeMin": 30,
                "endTimeHour": 10,
                "endTimeMin": 5,
                "status": "OFF",
                "supplyLoadNum": 2,
            },
            {
                "startTimeHour": "25",
                "startTimeMin": "0",
                "endTimeHour": "4",
                "endTimeMin": "0",
                "status": "on",
            },
            {
                "startTimeHour": "x",
                "startTimeMin": "0",
                "endTimeHour": "4",
                "endTimeMin": "0",
                "status": "on",
            },
            {
                "startTimeHour": "1",
                "startTimeMin": "0",
                "endTimeHour": "4",
                "endTimeMin": "0",
                "status": "maybe",
            },
            "junk",
        ]
    }
    assert parse_solar_schedule(result) == [
        SolarSupplySlot(3, 0, 4, 0, True, None),
        SolarSupplySlot(1, 30, 10, 5, False, 2),
    ]
    assert parse_solar_schedule({"solarSupplyTimeList": None}) == []
    with pytest.raises(ValueError, match="hours"):
        SolarSupplySlot(24, 0, 1, 0, True)
    with pytest.raises(ValueError, match="load"):
        SolarSupplySlot(1, 0, 2, 0, True, 0)


def test_check_load_reset() -> None:
    check_load_reset("0", "p")
    check_load_reset(0, "p")
    check_load_reset(None, "p")
    with pytest.raises(SolarLoadResetError) as err:
        check_load_reset(" 1 ", "p")
    assert err.value.code == 1
    with pytest.raises(ProtocolError):
        check_load_reset("2", "p")
    with pytest.raises(ProtocolError):
        check_load_reset({"status": "0"}, "p")


def test_failures_typed() -> None:
    items: list[dict[str, Any]] = [
        {"qrCode": "A", "channelId": 1, "alarmType": "20", "error_code": -80391},
        {"mac": "00-FF-00-2A-F3-19", "errorCode": "-88315"},
        {"qrCode": "C", "channelId": "2", "error_code": "-80327"},
        {"qrCode": "D"},
    ]
    failures = parse_failures(items)
    assert [(f.code, f.alarm_type, f.channel_id) for f in failures] == [
        (-80391, 20, 1),
        (-88315, None, None),
        (-80327, None, 2),
        (-10000, None, None),
    ]
    assert failures[0].message == "Device does not support this operation"
    assert isinstance(failures[0].error("path"), DeviceUnsupportedError)
    licence = failures[1].error()
    assert isinstance(licence, NotLicensedError)
    assert licence.device_id == "00:ff:00:2a:f3:19"
    offline = failures[2].error(device_id="C")
    assert isinstance(offline, DeviceOfflineError)
    assert offline.device_id == "C"
    assert failures[2].device_id == "C:ch2"
    assert parse_failures([{"qrCode": "D"}], -80414)[0].code == -80414
    assert BatchFailure(None, None, None, -1, "x").device_id is None
    assert type(failures[3].error()) is ApiError


def test_envelope_fail_list_top_level_and_in_result() -> None:
    payload = {
        "error_code": -80414,
        "failList": [{"qrCode": "A", "error_code": -80391}],
        "result": {"failList": [{"qrCode": "B", "errorCode": -80391}]},
    }
    code, _msg, envelope = parse_envelope(payload, "p")
    assert code == -80414
    assert [f.qr_code for f in parse_failures(envelope.fail_list, code)] == ["A", "B"]


def test_alarm_types() -> None:
    assert AlarmType(20) is AlarmType.PERSON
    assert AlarmType(18).name.lower() == "alarm_input"
    assert [int(t) for t in AlarmType] == [
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        18,
        20,
        22,
        23,
        29,
        40,
    ]
    assert alarm_type_list([AlarmType.MOTION, 2, 99]) == [2, 99]
    for bad in ([], [0], [True], list(range(1, 12))):
        with pytest.raises(ValueError, match="alarm"):
            alarm_type_list(bad)


@pytest.mark.parametrize("device_type", ["VIDEO.SOLARPOWER", "video.solarpower"])
def test_is_solar(device_type: str) -> None:
    device = parse_device({"qrCode": "Q", "deviceType": device_type})
    assert device is not None
    assert device.is_solar
    assert not device.is_camera
    camera = parse_device({"qrCode": "Q", "deviceType": "SURVEILLANCECAMERA"})
    assert camera is not None
    assert not camera.is_solar
