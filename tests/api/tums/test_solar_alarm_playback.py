"""Solar, alarm switches and recording search on the wire: a scripted server on 127.0.0.86.

Requests and answers are the document's examples (1.4.3.15, 1.4.4.19-22, 1.4.5.6-8,
1.4.8.3-5), compared byte for byte where the example's key order allows it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from custom_components.business_cameras.api.errors import ApiError, AuthError, ProtocolError
from custom_components.business_cameras.api.tums import auth
from custom_components.business_cameras.api.tums.alarm import AlarmType
from custom_components.business_cameras.api.tums.client import Path, TumsClient
from custom_components.business_cameras.api.tums.errors import (
    DeviceUnsupportedError,
    NotLicensedError,
)
from custom_components.business_cameras.api.tums.parsers import BatchFailure, DeviceRef
from custom_components.business_cameras.api.tums.solar import (
    SolarCondition,
    SolarLoadResetError,
    SolarStatus,
    SolarSupplySlot,
)

from .test_auth import reference_signature

HOST = "127.0.0.86"
SOLAR = DeviceRef(qr_code="HGD6784KOFV895J08")
CAM = DeviceRef(qr_code="HGD6784KOFV895J08", channel_id=1)
ALARM_CAM = DeviceRef(qr_code="799E56281C531B106", mac="00-FF-00-2A-F3-19", channel_id=1)
DAY = dt.date(2018, 8, 8)
Reply = Callable[[dict[str, Any]], dict[str, Any]]


class Scripted:
    """Answers every POST with ``reply(request JSON)`` and records path, headers and bytes."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.reply: Reply = lambda _body: {"error_code": 0}

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, _, body in self.requests]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Scripted]]:
    scripted = Scripted()

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        scripted.requests.append((request.path, dict(request.headers), body))
        return web.json_response(scripted.reply(json.loads(body)))

    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, HOST, 0).start()
    yield f"http://{HOST}:{runner.addresses[0][1]}", scripted
    await runner.cleanup()


@pytest.fixture
async def client(server: tuple[str, Scripted]) -> AsyncIterator[TumsClient]:
    async with aiohttp.ClientSession() as session:
        yield TumsClient(
            session,
            server[0],
            access_key="myAK",
            secret_key="mySK",
            terminal_id="term-1",
            backoff=0.0,
            max_retries=0,
            clock=lambda: 1706701924.0,
        )


def answer(payload: dict[str, Any]) -> Reply:
    return lambda _body: payload


def assert_signed(request: tuple[str, dict[str, str], bytes], path: str, body: bytes) -> None:
    sent_path, headers, sent = request
    assert sent_path == path
    assert sent == body
    fields = auth.parse_authorization(headers["X-Authorization"])
    assert fields["Signature"] == reference_signature("mySK", "1706701924", path, body)


# --- solar ------------------------------------------------------------------------------


async def test_solar_power_example(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "result": {
                "status": "0",
                "batteryStatus": "53.32",
                "envTemp": "23",
                "inputWatt": "0.00",
                "outputWatt": "0.00",
            },
            "error_code": 0,
        }
    )
    # A channel on the ref is dropped: the solar endpoints are [NO-CH].
    status = await client.get_solar_power(SOLAR.with_channel(1))
    assert_signed(scripted.requests[0], Path.SOLAR_POWER, b'{"qrCode":"HGD6784KOFV895J08"}')
    assert status == SolarStatus(0, 53.32, 23.0, 0.0, 0.0)
    assert status.condition is SolarCondition.NORMAL
    assert status.state_name == "not_charging"


async def test_solar_power_numbers_and_garbage(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "error_code": 0,
            "result": {"status": 5, "batteryStatus": 80, "envTemp": "warm", "inputWatt": 12.5},
        }
    )
    status = await client.get_solar_power(SOLAR)
    assert status == SolarStatus(5, 80.0, None, 12.5, None)
    assert status.condition is SolarCondition.ABNORMAL


async def test_solar_extend_info_example(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server
    scripted.reply = answer({"error_code": 0, "result": {"status": "0", "batteryStatus": "66"}})
    status = await client.get_solar_extend_info(DeviceRef(qr_code="16E0091709B04C926"))
    assert_signed(scripted.requests[0], Path.SOLAR_EXTEND_INFO, b'{"qrCode":"16E0091709B04C926"}')
    assert status == SolarStatus(0, 66.0, None, None, None)


async def test_solar_schedule_read_and_write(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    entries = [
        {
            "startTimeHour": hour,
            "startTimeMin": "0",
            "endTimeHour": end,
            "endTimeMin": "0",
            "supplyLoadNum": load,
            "status": "on",
        }
        for hour, end, load in (("3", "4", "1"), ("1", "10", "2"), ("2", "20", "3"))
    ]
    scripted.reply = answer({"result": {"solarSupplyTimeList": entries}, "error_code": 0})
    slots = await client.get_solar_schedule(SOLAR)
    assert slots == [
        SolarSupplySlot(3, 0, 4, 0, True, 1),
        SolarSupplySlot(1, 0, 10, 0, True, 2),
        SolarSupplySlot(2, 0, 20, 0, True, 3),
    ]
    assert_signed(scripted.requests[0], Path.GET_SOLAR_SCHEDULE, b'{"qrCode":"HGD6784KOFV895J08"}')

    scripted.reply = answer({"error_code": 0})
    await client.set_solar_schedule(SOLAR, SolarSupplySlot(2, 0, 20, 0, True, 2))
    # The 1.4.4.21 example, key for key: ints for the times, a string load number.
    example = (
        b'{"qrCode":"HGD6784KOFV895J08","startTimeHour":2,"startTimeMin":0,"endTimeHour":20,'
        b'"endTimeMin":0,"status":"on","supplyLoadNum":"2"}'
    )
    assert_signed(scripted.requests[1], Path.SET_SOLAR_SCHEDULE, example)
    await client.set_solar_schedule(SOLAR, SolarSupplySlot(6, 30, 18, 45, False))
    assert "supplyLoadNum" not in scripted.bodies()[2]
    assert scripted.bodies()[2]["status"] == "off"


async def test_solar_load_reset(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server
    scripted.reply = answer({"error_code": 0, "result": "0"})
    await client.reset_solar_load(SOLAR, 1)
    assert_signed(
        scripted.requests[0],
        Path.SOLAR_LOAD_RESET,
        b'{"qrCode":"HGD6784KOFV895J08","loadNum":1}',
    )
    for failed in ("1", 1):
        scripted.reply = answer({"error_code": 0, "result": failed})
        with pytest.raises(SolarLoadResetError) as err:
            await client.reset_solar_load(SOLAR, 2)
        assert isinstance(err.value, ApiError)
        assert "did not restart" in str(err.value)
        assert err.value.endpoint == Path.SOLAR_LOAD_RESET
    scripted.reply = answer({"error_code": 0, "result": "busy"})
    with pytest.raises(ProtocolError):
        await client.reset_solar_load(SOLAR, 2)
    with pytest.raises(ValueError, match="load"):
        await client.reset_solar_load(SOLAR, 0)
    assert len(scripted.requests) == 4


# --- alarm switches -----------------------------------------------------------------------


async def test_detection_example(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server
    failures = await client.set_detection_enabled(
        [ALARM_CAM], [AlarmType.MOTION, AlarmType.PERSON], True
    )
    assert failures == []
    example = (
        b'{"devInfoList":[{"qrCode":"799E56281C531B106","mac":"00-FF-00-2A-F3-19",'
        b'"channelId":1}],"alarmTypeList":[2,20],"enable":1}'
    )
    assert_signed(scripted.requests[0], Path.SET_DETECTION, example)
    # A direct IPC without a channel gets channelId 1 (required); enable is the int 0.
    await client.set_detection_enabled([DeviceRef(qr_code="Q")], [9, 9, 2], False)
    assert scripted.bodies()[1] == {
        "devInfoList": [{"qrCode": "Q", "channelId": 1}],
        "alarmTypeList": [9, 2],
        "enable": 0,
    }
    with pytest.raises(ValueError, match="1..10"):
        await client.set_detection_enabled([ALARM_CAM], range(2, 13), True)
    with pytest.raises(ValueError, match="1..10"):
        await client.set_detection_enabled([ALARM_CAM], [], True)
    assert len(scripted.requests) == 2


async def test_detection_fail_list_per_alarm_type(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "error_code": 0,
            "failList": [
                {"qrCode": "A", "channelId": 1, "alarmType": 9, "error_code": -80391},
            ],
        }
    )
    refs = [DeviceRef(qr_code="A"), DeviceRef(qr_code="B")]
    failures = await client.set_detection_enabled(refs, [2, 9], True)
    assert failures == [
        BatchFailure("A", None, 1, -80391, "Device does not support this operation", 9)
    ]
    assert failures[0].device_id == "A:ch1"
    with pytest.raises(DeviceUnsupportedError):
        await client.set_detection_enabled(refs[:1], [2, 9], True)


async def test_alarm_input_failure_example(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    """1.4.8.4: overall -80414 ("invalid device"), the cause -80391 in the top-level failList."""
    _, scripted = server
    scripted.reply = answer(
        {
            "failList": [
                {
                    "error_code": -80391,
                    "qrCode": "799E56281C531B106",
                    "mac": "00-FF-00-2A-F3-19",
                    "channelId": 1,
                }
            ],
            "error_code": -80414,
        }
    )
    with pytest.raises(DeviceUnsupportedError) as err:
        await client.set_alarm_input_enabled([ALARM_CAM], True)
    assert err.value.code == -80391
    assert err.value.endpoint == Path.SET_ALARM_INPUT
    example = (
        b'{"devInfoList":[{"qrCode":"799E56281C531B106","mac":"00-FF-00-2A-F3-19",'
        b'"channelId":1}],"enable":"on"}'
    )
    assert_signed(scripted.requests[0], Path.SET_ALARM_INPUT, example)

    other = DeviceRef(qr_code="16E0091709B04C926", channel_id=1)
    failures = await client.set_alarm_input_enabled([ALARM_CAM, other], False)
    assert [(f.qr_code, f.mac, f.channel_id, f.code) for f in failures] == [
        ("799E56281C531B106", "00-FF-00-2A-F3-19", 1, -80391)
    ]
    assert isinstance(failures[0].error(), DeviceUnsupportedError)
    assert scripted.bodies()[1]["enable"] == "off"


async def test_alarm_output_fail_list_in_result(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "error_code": 0,
            "result": {"failList": [{"qrCode": "Q", "channelId": "1", "errorCode": "-88315"}]},
        }
    )
    with pytest.raises(NotLicensedError) as err:
        await client.set_alarm_output_enabled([DeviceRef(qr_code="Q")], True)
    assert err.value.device_id == "Q"
    assert_signed(
        scripted.requests[0],
        Path.SET_ALARM_OUTPUT,
        b'{"devInfoList":[{"qrCode":"Q","channelId":1}],"enable":"on"}',
    )


async def test_overall_errors_without_items_are_raised(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    refs = [DeviceRef(qr_code="A"), DeviceRef(qr_code="B")]
    scripted.reply = answer({"error_code": -80414, "msg": "invalid device"})
    with pytest.raises(ApiError) as err:
        await client.set_alarm_output_enabled(refs, True)
    assert err.value.code == -80414
    # An error about the whole request is never read per item, failList or not.
    scripted.reply = answer({"error_code": -10304, "failList": [{"qrCode": "A"}]})
    with pytest.raises(AuthError):
        await client.set_alarm_output_enabled(refs, True)
    # An item without a code failed anyway: it carries the overall code.
    scripted.reply = answer({"error_code": -80414, "failList": [{"qrCode": "A"}]})
    failures = await client.set_alarm_output_enabled(refs, True)
    assert [(f.qr_code, f.code) for f in failures] == [("A", -80414)]


async def test_alarm_batches_split_at_100(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server

    def reply(body: dict[str, Any]) -> dict[str, Any]:
        first = body["devInfoList"][0]
        return {"error_code": 0, "failList": [first | {"error_code": -80327}]}

    scripted.reply = reply
    refs = [DeviceRef(mac=f"00-00-00-00-{i // 256:02X}-{i % 256:02X}") for i in range(250)]
    failures = await client.set_alarm_output_enabled(refs, False)
    bodies = scripted.bodies()
    assert [len(b["devInfoList"]) for b in bodies] == [100, 100, 50]
    assert all(item["channelId"] == 1 for b in bodies for item in b["devInfoList"])
    assert [f.mac for f in failures] == [
        "00-00-00-00-00-00",
        "00-00-00-00-00-64",
        "00-00-00-00-00-C8",
    ]
    assert {f.code for f in failures} == {-80327}
    assert await client.set_alarm_input_enabled([], True) == []
    assert len(scripted.requests) == 3


# --- recordings ---------------------------------------------------------------------------


async def test_search_year_example(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "result": {
                "deviceVideoInfoList": [
                    {"qrCode": "HGD6784KOFV895J08", "channelId": 2, "dates": ["0729001"]},
                    {"qrCode": "HGD6784KOFV895J08", "channelId": "1", "dates": ["0730002"]},
                ]
            },
            "error_code": 0,
        }
    )
    found, failures = await client.search_year([CAM.with_channel(2), CAM], 2023)
    example = (
        b'{"devList":[{"qrCode":"HGD6784KOFV895J08","channelId":2},'
        b'{"qrCode":"HGD6784KOFV895J08","channelId":1}],"year":"2023"}'
    )
    assert_signed(scripted.requests[0], Path.SEARCH_YEAR, example)
    assert failures == []
    assert [(d.ref, d.days, d.raw_dates) for d in found] == [
        (CAM.with_channel(2), (dt.date(2023, 7, 29),), ("0729001",)),
        (CAM, (dt.date(2023, 7, 30),), ("0730002",)),
    ]


async def test_search_year_failures_and_batches(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "result": {"deviceVideoInfoList": [{"mac": "00-00-00-00-00-01", "dates": []}]},
            "failList": [{"mac": "00-00-00-00-00-00", "channelId": 1, "error_code": -88315}],
            "error_code": 0,
        }
    )
    refs = [DeviceRef(mac=f"00-00-00-00-00-{i:02X}") for i in range(150)]
    found, failures = await client.search_year(refs, 2024)
    assert [len(b["devList"]) for b in scripted.bodies()] == [100, 50]
    assert len(found) == 2
    assert found[0].days == ()
    assert [f.code for f in failures] == [-88315, -88315]
    with pytest.raises(NotLicensedError):
        await client.search_year(refs[:1], 2024)
    with pytest.raises(ValueError, match="year"):
        await client.search_year(refs, 23)


async def test_search_videos_example(client: TumsClient, server: tuple[str, Scripted]) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "error_code": 0,
            "result": {
                "userId": 10,
                "videos": [
                    {
                        "endTime": 1647994738,
                        "sourceType": 1,
                        "startTime": 1647964794,
                        "videoType": [1, 0],
                    },
                    {
                        "endTime": 1648004717,
                        "sourceType": 1,
                        "startTime": 1647994738,
                        "videoType": [2, 0],
                    },
                    {
                        "endTime": 1648015460,
                        "sourceType": 1,
                        "startTime": 1648004717,
                        "videoType": [3, 0],
                    },
                ],
            },
        }
    )
    recordings = await client.search_videos(CAM, DAY)
    example = (
        b'{"qrCode":"HGD6784KOFV895J08","channelId":1,"searchDay":"20180808",'
        b'"startIdx":0,"endIdx":99}'
    )
    assert_signed(scripted.requests[0], Path.SEARCH_VIDEO, example)
    assert len(scripted.requests) == 1  # 3 < 99: a short window ends the search
    assert [(r.start, r.end, r.kinds, r.source) for r in recordings] == [
        (1647964794, 1647994738, frozenset({"scheduled"}), 1),
        (1647994738, 1648004717, frozenset({"motion"}), 1),
        (1648004717, 1648015460, frozenset({"scheduled", "motion"}), 1),
    ]
    assert recordings[0].video_type == (1, 0)
    # A directly bound IPC without a channel is asked as channel 1.
    await client.search_videos(DeviceRef(qr_code="HGD6784KOFV895J08"), DAY)
    assert scripted.requests[1][2] == example


def segment_server(total: int, *, inclusive: bool) -> Reply:
    """A day of ``total`` segments, windows read with an inclusive or exclusive ``endIdx``."""

    def reply(body: dict[str, Any]) -> dict[str, Any]:
        start, end = body["startIdx"], body["endIdx"]
        stop = min(total, end + 1 if inclusive else end)
        videos = [
            {"startTime": 1000 * i, "endTime": 1000 * i + 10, "videoType": [2, 0], "sourceType": 0}
            for i in range(start, stop)
        ]
        return {"error_code": 0, "result": {"userId": 1, "videos": videos}}

    return reply


@pytest.mark.parametrize(
    ("total", "inclusive", "windows"),
    [
        (250, True, [(0, 99), (100, 199), (200, 299)]),
        (250, False, [(0, 99), (99, 198), (198, 297)]),
        (200, True, [(0, 99), (100, 199), (200, 299)]),  # an exact multiple: one empty window
        (99, False, [(0, 99), (99, 198)]),
        (0, True, [(0, 99)]),
    ],
)
async def test_search_videos_paging(
    client: TumsClient,
    server: tuple[str, Scripted],
    total: int,
    inclusive: bool,
    windows: list[tuple[int, int]],
) -> None:
    _, scripted = server
    scripted.reply = segment_server(total, inclusive=inclusive)
    recordings = await client.search_videos(CAM, DAY)
    assert [(b["startIdx"], b["endIdx"]) for b in scripted.bodies()] == windows
    assert [r.start for r in recordings] == [1000 * i for i in range(total)]
    assert all(b["endIdx"] - b["startIdx"] <= 100 for b in scripted.bodies())


async def test_search_human_videos_example(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    scripted.reply = answer(
        {
            "error_code": 0,
            "result": {
                "userId": 10,
                "videos": [
                    {
                        "endTime": 1647994738,
                        "sourceType": 1,
                        "startTime": 1647964794,
                        "videoType": [26, 0],
                    },
                    {
                        "endTime": 1647999999,
                        "sourceType": 0,
                        "startTime": 1647994738,
                        "videoType": [33554434, 0],
                    },
                ],
            },
        }
    )
    recordings = await client.search_human_videos(CAM, DAY)
    assert_signed(
        scripted.requests[0],
        Path.SEARCH_HUMAN_VIDEO,
        b'{"qrCode":"HGD6784KOFV895J08","channelId":1,"searchDay":"20180808"}',
    )
    # [26,0] contradicts the table: only "person" is trusted, the raw words are kept.
    assert recordings[0].kinds == frozenset({"person"})
    assert recordings[0].video_type == (26, 0)
    # Bit 25 set: the words follow the table, so motion is kept beside person.
    assert recordings[1].kinds == frozenset({"person", "motion"})


async def test_search_videos_stops_when_indices_are_ignored(
    client: TumsClient, server: tuple[str, Scripted]
) -> None:
    _, scripted = server
    same = segment_server(150, inclusive=True)
    scripted.reply = lambda body: same(body | {"startIdx": 0, "endIdx": 99})
    recordings = await client.search_videos(CAM, DAY)
    assert len(recordings) == 100
    assert len(scripted.requests) == 2
