"""TUMS simulator: solar devices, alarm switches, recording search, nonce and Date header.

Requests are signed with the independent helper of test_tums_simulator (source §1.2.2).
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from simulators.tums import TumsSimulator
from tests.simulators.test_tums_simulator import AK, REPO, SK, Client, devices, first, header

SOLAR_EXT = "/tums/open/deviceManager/v1/getSolarPowerDeviceExtendInfo"
EVCS = "/evcs/open/chargingDeviceManager/v1/"
ALARM = "/tums/open/alarm/v1/"
SEARCH_YEAR = "/vms/open/webServer/v1/searchYear"
SEARCH_VIDEO = "/vms/open/webServer/v2/searchVideo"
SEARCH_HUMAN = "/vms/open/webServer/v2/searchHumanDetectionVideo"
OVERVIEW = "/tums/open/deviceManager/v1/getApplicationOverview"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
EVENT_DAY = "20240301"  # a fixed past day: no made-up history, no midnight races
NOON = int(datetime.datetime(2024, 3, 1, 12, tzinfo=BEIJING).timestamp())


def beijing_day(moment: float) -> str:
    return datetime.datetime.fromtimestamp(moment, BEIJING).strftime("%Y%m%d")


async def _client(tmp_path: Path, host: str, app_type: str) -> AsyncIterator[Client]:
    sim = TumsSimulator(
        host=host,
        port=0,
        access_key=AK,
        secret_key=SK,
        devices=20,
        app_type=app_type,
        cert_dir=tmp_path,
        solar=2,
    )
    await sim.start()
    async with aiohttp.ClientSession() as session:
        yield Client(sim, session)
    await sim.stop()


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Client]:
    async for client in _client(tmp_path, "127.0.0.75", "device"):
        yield client


@pytest.fixture
async def project(tmp_path: Path) -> AsyncIterator[Client]:
    async for client in _client(tmp_path, "127.0.0.76", "project"):
        yield client


async def code(client: Client, path: str, body: dict[str, Any]) -> int:
    reply = await client.call(path, body)
    if reply["error_code"]:
        assert reply["msg"]
    return int(reply["error_code"])


def solar_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["deviceType"] == "VIDEO.SOLARPOWER"]


# -- solar power devices ------------------------------------------------------------------


async def test_solar_devices_listed_and_counted(app: Client) -> None:
    items = await devices(app)
    solar = solar_items(items)
    assert [s["deviceName"] for s in solar] == ["Solar 0", "Solar 1"]
    assert all("channelId" not in s and s["openType"] == 0 for s in solar)
    assert all(len(s["qrCode"]) == 17 for s in solar)
    only = await app.ok(
        "/tums/open/deviceManager/v1/getDeviceListInDeviceApplication",
        {"start": 0, "limit": 100, "filterAnd": {"deviceTypeList": ["VIDEO.SOLARPOWER"]}},
    )
    assert only["total"] == 2
    overview = await app.ok(OVERVIEW)
    assert overview["allSolarPowerNum"] == 2
    assert overview["onlineSolarPowerNum"] == 2
    assert overview["errorSolarPowerNum"] == 0
    assert overview["allIpcNum"] == 26  # the cameras are unchanged
    app.sim.set_solar(solar[0]["qrCode"], status="6")  # high-temperature protection: abnormal
    app.sim.set_online(solar[1]["mac"], False)
    overview = await app.ok(OVERVIEW)
    assert overview["errorSolarPowerNum"] == 1
    assert overview["onlineSolarPowerNum"] == 1


async def test_solar_power_readings(app: Client) -> None:
    solar = solar_items(await devices(app))[0]
    loc = {"qrCode": solar["qrCode"]}
    power = await app.ok(EVCS + "querySolarPower", loc)
    assert set(power) == {"status", "batteryStatus", "envTemp", "inputWatt", "outputWatt"}
    assert all(isinstance(v, str) for v in power.values())
    assert re.fullmatch(r"\d+\.\d\d", power["batteryStatus"])
    assert re.fullmatch(r"\d+\.\d\d", power["inputWatt"])
    # the document's example values, frozen
    app.sim.set_solar(
        solar["mac"],
        status="0",
        battery=53.32,
        env_temp=23,
        input_watt=0,
        output_watt=0,
        drift=False,
    )
    assert await app.ok(EVCS + "querySolarPower", loc) == {
        "status": "0",
        "batteryStatus": "53.32",
        "envTemp": "23",
        "inputWatt": "0.00",
        "outputWatt": "0.00",
    }
    assert await app.ok(SOLAR_EXT, loc) == {"status": "0", "batteryStatus": "53"}
    # drifting: 20 W net charges 2 % per hour; 200 s later (clock skew) the battery moved
    app.sim.set_solar(
        solar["mac"], status="1", battery=50, input_watt=20, output_watt=0, drift=True
    )
    app.sim.set_clock_skew(200)
    stamp = int(time.time()) + 200
    reply = await app.call(EVCS + "querySolarPower", loc, ts=stamp)
    assert reply["result"]["batteryStatus"] == "50.11"
    assert reply["result"]["inputWatt"] != "20.00"  # the input power varies too


def test_solar_drift_is_deterministic() -> None:
    from simulators.tums.solar import SolarState

    state = SolarState.create(1, 1000.0)
    state.rebase(1000.0, battery=50, input_watt=30, output_watt=10, status="1")
    assert state.reading(1000.0) == (50.0, state.env_temp, 30.0, 10.0)
    assert state.reading(1000.0 + 3600)[0] == pytest.approx(52.0)
    again = SolarState.create(1, 1000.0)
    again.rebase(1000.0, battery=50, input_watt=30, output_watt=10, status="1")
    assert again.reading(1234.5) == state.reading(1234.5)  # same inputs, same numbers
    assert state.reading(1030.0)[2] != state.reading(1060.0)[2]  # the input power varies
    state.rebase(1000.0, status="5")  # charging and discharging prohibited: battery holds
    assert state.reading(1000.0 + 7200)[0] == pytest.approx(50.0)
    with pytest.raises(ValueError, match="status"):
        state.rebase(1000.0, status="8")
    with pytest.raises(ValueError, match="battery"):
        state.rebase(1000.0, battery=101)


async def test_solar_supply_time(app: Client) -> None:
    single, multi = solar_items(await devices(app))
    one = {"qrCode": single["qrCode"]}
    schedule = (await app.ok(EVCS + "querySolarSupplyTime", one))["solarSupplyTimeList"]
    assert len(schedule) == 1
    assert "supplyLoadNum" not in schedule[0]
    assert all(isinstance(v, str) for v in schedule[0].values())
    new = {
        "startTimeHour": 2,
        "startTimeMin": 30,
        "endTimeHour": 20,
        "endTimeMin": 0,
        "status": "off",
    }
    await app.ok(EVCS + "setSolarSupplyTime", {**one, **new, "supplyLoadNum": "7"})  # ignored
    assert (await app.ok(EVCS + "querySolarSupplyTime", one))["solarSupplyTimeList"] == [
        {
            "startTimeHour": "2",
            "startTimeMin": "30",
            "endTimeHour": "20",
            "endTimeMin": "0",
            "status": "off",
        }
    ]
    for bad in (
        {"startTimeHour": "2"},
        {"startTimeHour": 24},
        {"endTimeMin": 60},
        {"startTimeMin": True},
        {"status": "ON"},
    ):
        assert await code(app, EVCS + "setSolarSupplyTime", {**one, **new, **bad}) == -82400
    missing = {k: v for k, v in new.items() if k != "endTimeHour"}
    assert await code(app, EVCS + "setSolarSupplyTime", {**one, **missing}) == -82400
    three = {"mac": multi["mac"]}
    listed = (await app.ok(EVCS + "querySolarSupplyTime", three))["solarSupplyTimeList"]
    assert [e["supplyLoadNum"] for e in listed] == ["1", "2", "3"]
    await app.ok(EVCS + "setSolarSupplyTime", {**three, **new, "supplyLoadNum": "2"})
    listed = (await app.ok(EVCS + "querySolarSupplyTime", three))["solarSupplyTimeList"]
    assert [e["status"] for e in listed] == ["on", "off", "on"]
    for load in (None, "4", 2, "x"):
        body = {**three, **new} if load is None else {**three, **new, "supplyLoadNum": load}
        assert await code(app, EVCS + "setSolarSupplyTime", body) == -82400


async def test_solar_load_reset(app: Client) -> None:
    single, multi = solar_items(await devices(app))
    reset = EVCS + "solarLoadReset"
    assert await code(app, reset, {"qrCode": single["qrCode"], "loadNum": 1}) == -80391
    reply = await app.call(reset, {"qrCode": multi["qrCode"], "loadNum": 2})
    assert reply == {"error_code": 0, "result": "0"}
    found = app.sim.state.find(multi["qrCode"])
    assert found is not None
    assert found.solar is not None
    assert found.solar.load_resets == [2]
    assert await code(app, reset, {"qrCode": multi["qrCode"]}) == -82400
    assert await code(app, reset, {"qrCode": multi["qrCode"], "loadNum": "2"}) == -82400
    assert await code(app, reset, {"qrCode": multi["qrCode"], "loadNum": 1664438535}) == -82400
    app.sim.set_solar(multi["qrCode"], status="7")  # no discharging: the load cannot restart
    assert await app.ok(reset, {"qrCode": multi["qrCode"], "loadNum": 1}) == "1"


async def test_solar_rejections(app: Client, project: Client) -> None:
    items = await devices(app)
    solar = solar_items(items)[1]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    paths = [
        SOLAR_EXT,
        EVCS + "querySolarPower",
        EVCS + "querySolarSupplyTime",
        EVCS + "setSolarSupplyTime",
        EVCS + "solarLoadReset",
    ]
    schedule = {
        "startTimeHour": 1,
        "startTimeMin": 0,
        "endTimeHour": 2,
        "endTimeMin": 0,
        "status": "on",
        "supplyLoadNum": "1",
        "loadNum": 1,
    }
    for path in paths:
        assert await code(app, path, {"qrCode": ipc["qrCode"], **schedule}) == -80391
        assert await code(app, path, {"qrCode": "ZZZZZZZZZZZZZZZZZ", **schedule}) == -88316
        assert await code(app, path, schedule) == -82400
    app.sim.set_licensed(solar["qrCode"], False)
    for path in paths:
        assert await code(app, path, {"qrCode": solar["qrCode"], **schedule}) == -88315
    app.sim.set_licensed(solar["qrCode"], True)
    app.sim.set_online(solar["qrCode"], False)
    assert await code(app, EVCS + "querySolarPower", {"qrCode": solar["qrCode"]}) == -20571
    assert (await app.ok(SOLAR_EXT, {"qrCode": solar["qrCode"]}))["status"] == "1"
    # camera/NVR endpoints refuse a solar device
    for path in (
        "/vms/open/deviceManager/v1/getDeviceCapability",
        "/vms/open/deviceConfig/v1/getDeviceTimingInfo",
    ):
        app.sim.set_online(solar["qrCode"], True)
        assert await code(app, path, {"qrCode": solar["qrCode"]}) == -40106
    # both application types may call them
    listed = await project.ok(
        "/tums/open/deviceManager/v1/getDeviceListInProjectApplication",
        {"start": 0, "limit": 100, "filterAnd": {"deviceTypeList": ["VIDEO.SOLARPOWER"]}},
    )
    assert listed["total"] == 2
    qr = listed["list"][0]["qrCode"]
    assert (await project.ok(EVCS + "querySolarPower", {"qrCode": qr}))["status"] == "1"
    roots = await project.ok(
        "/tums/open/resource/v1/getPagedRootRegions", {"start": 0, "limit": 50, "needDevNum": 1}
    )
    assert sum(r["devNumMap"]["evcs"]["totalDevNum"] for r in roots["list"]) == 2
    assert sum(r["devNumMap"]["vms"]["totalDevNum"] for r in roots["list"]) == 28


# -- alarm switches -----------------------------------------------------------------------


async def test_capability_states_alarm_ports(app: Client) -> None:
    items = await devices(app)
    nvr = items[0]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    path = "/vms/open/deviceManager/v1/getDeviceCapability"
    direct = (await app.ok(path, {"qrCode": ipc["qrCode"], "channelId": 1}))["capability"]
    assert direct["alarm_in_enable"] == "1"
    assert direct["alarm_out_enable"] == "1"
    channel = (await app.ok(path, {"qrCode": nvr["qrCode"], "channelId": 2}))["capability"]
    assert "alarm_in_enable" not in channel
    assert "alarm_out_enable" not in channel


async def test_detection_switches(app: Client) -> None:
    items = await devices(app)
    nvr = items[0]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    path = ALARM + "setEnableByAlarmType"
    direct = {"qrCode": ipc["qrCode"], "mac": ipc["mac"], "channelId": 1}
    assert app.sim.alarm_switches(ipc["qrCode"])["detection"]["20"] is False
    reply = await app.call(path, {"devInfoList": [direct], "alarmTypeList": [2, 20], "enable": 1})
    assert reply == {"error_code": 0}
    switches = app.sim.alarm_switches(ipc["qrCode"])
    assert switches["detection"]["20"] is True
    assert switches["detection"]["2"] is True
    # the NVR channel camera has no alarm input (18): that type fails, motion succeeds
    channel = {"qrCode": nvr["qrCode"], "channelId": 2}
    reply = await app.call(path, {"devInfoList": [channel], "alarmTypeList": [2, 18], "enable": 0})
    assert reply == {
        "error_code": 0,
        "failList": [
            {"qrCode": nvr["qrCode"], "channelId": 2, "error_code": -80391, "alarmType": 18}
        ],
    }
    assert app.sim.alarm_switches(nvr["qrCode"], channel=2)["detection"]["2"] is False
    # nothing applied at all: -80414 with the failList beside it
    unknown = {"qrCode": "ZZZZZZZZZZZZZZZZZ", "channelId": 1}
    reply = await app.call(
        path, {"devInfoList": [channel, unknown], "alarmTypeList": [29], "enable": 1}
    )
    assert reply["error_code"] == -80414
    assert reply["msg"] == "无效的设备"
    assert reply["failList"] == [
        {"qrCode": nvr["qrCode"], "channelId": 2, "error_code": -80391, "alarmType": 29},
        {"qrCode": "ZZZZZZZZZZZZZZZZZ", "channelId": 1, "error_code": -88316},
    ]
    assert "result" not in reply
    # parameter rules (the whole request)
    base = {"devInfoList": [direct], "alarmTypeList": [2], "enable": 1}
    bad: dict[str, Any]
    for bad in (
        {"alarmTypeList": []},
        {"alarmTypeList": [2] * 11},
        {"alarmTypeList": [1]},
        {"alarmTypeList": ["2"]},
        {"enable": "1"},
        {"enable": True},
        {"enable": 2},
        {"devInfoList": []},
    ):
        assert await code(app, path, {**base, **bad}) == -82400
    # channelId is required per item
    reply = await app.call(path, {**base, "devInfoList": [{"qrCode": ipc["qrCode"]}]})
    assert reply["error_code"] == -80414
    assert reply["failList"] == [{"qrCode": ipc["qrCode"], "error_code": -82400}]


async def test_alarm_port_switches(app: Client) -> None:
    items = await devices(app)
    nvr = items[0]
    ipc1 = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    ipc2 = first(items, "SURVEILLANCECAMERA", deviceName="IPC 2")
    ipc3 = first(items, "SURVEILLANCECAMERA", deviceName="IPC 3")
    for path, key in (
        ("setAlarmInputEnable", "alarmInput"),
        ("setAlarmOutputEnable", "alarmOutput"),
    ):
        good = {"mac": ipc1["mac"], "channelId": 1}
        channel = {"qrCode": nvr["qrCode"], "mac": nvr["mac"], "channelId": 1}
        reply = await app.call(ALARM + path, {"devInfoList": [good, channel], "enable": "on"})
        assert reply == {
            "error_code": 0,
            "failList": [
                {"qrCode": nvr["qrCode"], "mac": nvr["mac"], "channelId": 1, "error_code": -80391}
            ],
        }
        assert app.sim.alarm_switches(ipc1["mac"])[key] == "on"
        assert app.sim.alarm_switches(nvr["mac"], channel=1)[key] is None  # no such port
        # the document's example: every item failed -> -80414 plus failList
        reply = await app.call(ALARM + path, {"devInfoList": [channel], "enable": "on"})
        assert reply["error_code"] == -80414
        assert reply["failList"] == [
            {"qrCode": nvr["qrCode"], "mac": nvr["mac"], "channelId": 1, "error_code": -80391}
        ]
        # licence, online and membership are per item
        app.sim.set_licensed(ipc2["qrCode"], False)
        app.sim.set_online(ipc3["qrCode"], False)
        reply = await app.call(
            ALARM + path,
            {
                "devInfoList": [
                    {"qrCode": ipc2["qrCode"], "channelId": 1},
                    {"qrCode": ipc3["qrCode"], "channelId": 1},
                    {"qrCode": ipc1["qrCode"], "channelId": 2},
                    {"qrCode": ipc1["qrCode"], "channelId": 1},
                ],
                "enable": "off",
            },
        )
        assert reply["error_code"] == 0
        assert [f["error_code"] for f in reply["failList"]] == [-88315, -20571, -81100]
        assert app.sim.alarm_switches(ipc1["mac"])[key] == "off"
        app.sim.set_licensed(ipc2["qrCode"], True)
        app.sim.set_online(ipc3["qrCode"], True)
        for bad in (
            {"enable": "ON"},
            {"enable": True},
            {"enable": 1},
            {"devInfoList": [good] * 101},
        ):
            assert await code(app, ALARM + path, {"devInfoList": [good], **bad}) == -82400


# -- recording search ---------------------------------------------------------------------


async def test_search_year(app: Client) -> None:
    items = await devices(app)
    nvr = items[0]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    now = time.time()
    yesterday = beijing_day(now - 86400)
    before = beijing_day(now - 2 * 86400)
    year = yesterday[:4]
    reply = await app.call(
        SEARCH_YEAR,
        {
            "devList": [
                {"qrCode": nvr["qrCode"], "channelId": 2},
                {"mac": ipc["mac"], "channelId": 1},
                {"qrCode": nvr["qrCode"], "channelId": 6},
            ],
            "year": year,
        },
    )
    assert reply["error_code"] == 0
    found = reply["result"]["deviceVideoInfoList"]
    assert found[0]["qrCode"] == nvr["qrCode"]
    assert "mac" not in found[0]
    assert found[0]["channelId"] == 2
    assert found[1] == {"mac": ipc["mac"], "channelId": 1, "dates": found[1]["dates"]}
    expected = [d[4:] for d in (before, yesterday) if d[:4] == year]
    dates = found[0]["dates"] + found[1]["dates"]
    assert [d[:4] for d in dates] == expected * 2
    # the 3-digit number runs on across the answer, as in the example (0729001, 0730002)
    assert [d[4:] for d in dates] == [f"{n:03d}" for n in range(1, len(dates) + 1)]
    assert reply["failList"] == [{"qrCode": nvr["qrCode"], "channelId": 6, "error_code": -80528}]
    wrong: list[dict[str, Any]] = [{"year": "23"}, {"year": 2023}, {"devList": []}]
    for bad in wrong:
        body = {"devList": [{"mac": ipc["mac"], "channelId": 1}], "year": year, **bad}
        assert await code(app, SEARCH_YEAR, body) == -82400
    many = {"devList": [{"mac": ipc["mac"], "channelId": 1}] * 101, "year": year}
    assert await code(app, SEARCH_YEAR, many) == -82400
    app.sim.set_licensed(ipc["mac"], False)
    reply = await app.call(
        SEARCH_YEAR, {"devList": [{"mac": ipc["mac"], "channelId": 1}], "year": year}
    )
    assert reply["failList"] == [{"mac": ipc["mac"], "channelId": 1, "error_code": -88315}]


async def test_search_video_paging_and_rules(app: Client) -> None:
    items = await devices(app)
    nvr = items[0]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    yesterday = beijing_day(time.time() - 86400)
    loc = {"qrCode": ipc["qrCode"], "channelId": 1, "searchDay": yesterday}
    page = await app.ok(SEARCH_VIDEO, {**loc, "startIdx": 0, "endIdx": 9})
    assert page["userId"] == 10
    videos = page["videos"]
    assert len(videos) == 10
    assert set(videos[0]) == {"startTime", "endTime", "videoType", "sourceType"}
    assert videos[0]["sourceType"] == 0
    assert videos[0]["videoType"] == [1, 0]
    assert videos[3]["videoType"] == [3, 0]  # scheduled + motion
    assert videos[0]["endTime"] == videos[1]["startTime"]
    assert beijing_day(videos[0]["startTime"]) == yesterday
    everything = await app.ok(SEARCH_VIDEO, {**loc, "startIdx": 0, "endIdx": 100})
    assert len(everything["videos"]) == 25  # 24 hours + one human detection
    tail = await app.ok(SEARCH_VIDEO, {**loc, "startIdx": 20, "endIdx": 120})
    assert tail["videos"] == everything["videos"][20:]
    human = await app.ok(SEARCH_HUMAN, loc)
    assert [v["videoType"] for v in human["videos"]] == [[33554432, 0]]
    channel = {"qrCode": nvr["qrCode"], "channelId": 2, "searchDay": yesterday}
    nvr_page = await app.ok(SEARCH_VIDEO, {**channel, "startIdx": 0, "endIdx": 0})
    assert nvr_page["videos"][0]["sourceType"] == 1
    assert (
        await app.ok(SEARCH_VIDEO, {**loc, "searchDay": "20000101", "startIdx": 0, "endIdx": 5})
    )["videos"] == []
    for bad in (
        {"startIdx": 0, "endIdx": 101},
        {"startIdx": 5, "endIdx": 4},
        {"startIdx": -1, "endIdx": 5},
        {"startIdx": "0", "endIdx": 5},
        {"startIdx": 0},
        {"startIdx": 0, "endIdx": 5, "searchDay": "2024-01-01"},
        {"startIdx": 0, "endIdx": 5, "searchDay": "20240230"},
        {"startIdx": 0, "endIdx": 5, "searchDay": 20240101},
    ):
        assert await code(app, SEARCH_VIDEO, {**loc, **bad}) == -82400
    no_channel = {"qrCode": ipc["qrCode"], "searchDay": yesterday}
    assert await code(app, SEARCH_VIDEO, {**no_channel, "startIdx": 0, "endIdx": 1}) == -82400
    assert await code(app, SEARCH_HUMAN, no_channel) == -82400
    assert await code(app, SEARCH_HUMAN, {**loc, "searchDay": "2024011"}) == -82400
    unbound = {**channel, "channelId": 6, "startIdx": 0, "endIdx": 1}
    assert await code(app, SEARCH_VIDEO, unbound) == -80528
    solar = solar_items(items)[0]
    solar_loc = {"qrCode": solar["qrCode"], "channelId": 1, "searchDay": yesterday}
    assert await code(app, SEARCH_HUMAN, solar_loc) == -40106
    app.sim.set_online(ipc["qrCode"], False)
    assert await code(app, SEARCH_HUMAN, loc) == -20571
    app.sim.set_online(ipc["qrCode"], True)
    app.sim.set_licensed(ipc["qrCode"], False)
    assert await code(app, SEARCH_VIDEO, {**loc, "startIdx": 0, "endIdx": 1}) == -88315


async def test_injected_events_are_recorded(app: Client) -> None:
    items = await devices(app)
    nvr = items[0]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    # no push subscription: nothing is delivered, but the camera still records
    assert await app.sim.push_message("humanDetected", ipc["mac"], when=NOON) == 0
    assert await app.sim.push_message("movementDetected", ipc["qrCode"], when=NOON + 30) == 0
    assert await app.sim.push_message("cryDetected", ipc["qrCode"], when=NOON + 40) == 0
    assert await app.sim.push_message("ipcDeviceOffline", ipc["qrCode"], when=NOON + 50) == 0
    loc = {"qrCode": ipc["qrCode"], "channelId": 1, "searchDay": EVENT_DAY}
    videos = (await app.ok(SEARCH_VIDEO, {**loc, "startIdx": 0, "endIdx": 100}))["videos"]
    assert videos == [
        {"startTime": NOON, "endTime": NOON + 30, "videoType": [33554432, 0], "sourceType": 0},
        {"startTime": NOON + 30, "endTime": NOON + 60, "videoType": [2, 0], "sourceType": 0},
        {"startTime": NOON + 40, "endTime": NOON + 70, "videoType": [0, 32768, 0], "sourceType": 0},
    ]
    human = (await app.ok(SEARCH_HUMAN, loc))["videos"]
    assert human == videos[:1]
    year = await app.ok(
        SEARCH_YEAR, {"devList": [{"qrCode": ipc["qrCode"], "channelId": 1}], "year": "2024"}
    )
    assert year["deviceVideoInfoList"][0]["dates"] == ["0301001"]
    # an NVR channel camera records on the NVR (sourceType 1), identified by its own MAC
    child = first(items, "SURVEILLANCECAMERA", channelId=3, parentMac=nvr["mac"])
    await app.sim.push_message("vehicleDetected", child["mac"], when=NOON + 5)
    channel = {"qrCode": nvr["qrCode"], "channelId": 3, "searchDay": EVENT_DAY}
    videos = (await app.ok(SEARCH_VIDEO, {**channel, "startIdx": 0, "endIdx": 100}))["videos"]
    assert videos == [
        {"startTime": NOON + 5, "endTime": NOON + 35, "videoType": [67108864, 0], "sourceType": 1}
    ]
    # bit 31 (motion, human-enhanced) is written as a signed int32 and counts as human
    app.sim.add_recording(ipc["qrCode"], NOON - 100, NOON - 90, [-(2**31), 0])
    human = (await app.ok(SEARCH_HUMAN, loc))["videos"]
    assert human[0] == {
        "startTime": NOON - 100,
        "endTime": NOON - 90,
        "videoType": [-2147483648, 0],
        "sourceType": 0,
    }
    # formatting the SD card removes the recordings
    await app.ok("/vms/open/deviceConfig/v1/formatDeviceSdCard", {**loc, "cardIndex": 1})
    assert (await app.ok(SEARCH_HUMAN, loc))["videos"] == []
    yesterday = {**loc, "searchDay": beijing_day(time.time() - 86400)}
    assert (await app.ok(SEARCH_HUMAN, yesterday))["videos"] == []  # history gone too


def test_video_type_words() -> None:
    from simulators.tums.recordings import EVENT_BITS, video_type

    assert video_type(0) == (1, 0)
    assert video_type(0, 1) == (3, 0)
    assert video_type(31) == (-2147483648, 0)
    assert video_type(32) == (0, 1, 0)
    assert video_type(EVENT_BITS["overstepingBoundaryDetected"]) == (8, 0)
    assert video_type(EVENT_BITS["areaIntruded"]) == (16, 0)
    assert video_type(EVENT_BITS["externalDeviceAlarm"]) == (131072, 0)


async def test_alarm_and_playback_in_a_project_app(project: Client) -> None:
    """1.4.5.6-1.4.5.8 and 1.4.8.3-1.4.8.5 are open to both application types."""
    items = (
        await project.ok(
            "/tums/open/deviceManager/v1/getDeviceListInProjectApplication",
            {"start": 0, "limit": 100, "filterAnd": {"hasChild": 1}},
        )
    )["list"]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    loc = {"qrCode": ipc["qrCode"], "channelId": 1}
    await project.ok(ALARM + "setAlarmOutputEnable", {"devInfoList": [loc], "enable": "on"})
    await project.ok(
        ALARM + "setEnableByAlarmType", {"devInfoList": [loc], "alarmTypeList": [22], "enable": 1}
    )
    assert project.sim.alarm_switches(ipc["qrCode"])["detection"]["22"] is True
    yesterday = beijing_day(time.time() - 86400)
    assert len((await project.ok(SEARCH_HUMAN, {**loc, "searchDay": yesterday}))["videos"]) == 1
    found = await project.ok(SEARCH_YEAR, {"devList": [loc], "year": yesterday[:4]})
    assert found["deviceVideoInfoList"][0]["qrCode"] == ipc["qrCode"]


# -- signing, clock, control API ----------------------------------------------------------


async def test_nonce_replay_and_expiry(app: Client) -> None:
    nonce = uuid.uuid4().hex
    stamp = int(time.time())
    assert (await app.call(OVERVIEW, nonce=nonce, ts=stamp))["error_code"] == 0
    assert (await app.call(OVERVIEW, nonce=nonce))["error_code"] == -10303
    for _ in range(50):  # other nonces in between change nothing
        assert (await app.call(OVERVIEW))["error_code"] == 0
    app.sim.set_clock_skew(290)  # 290 s later: still within the 5 minutes
    assert (await app.call(OVERVIEW, nonce=nonce, ts=stamp + 290))["error_code"] == -10303
    app.sim.set_clock_skew(310)  # past 5 minutes: forgotten, usable again, then remembered
    assert (await app.call(OVERVIEW, nonce=nonce, ts=int(time.time()) + 310))["error_code"] == 0
    assert len(app.sim._nonces) == 1  # the expired ones were dropped
    assert (await app.call(OVERVIEW, nonce=nonce, ts=int(time.time()) + 310))[
        "error_code"
    ] == -10303
    # a clock moved back keeps a nonce used "in the future" rejected, as before
    app.sim.set_clock_skew(0)
    assert (await app.call(OVERVIEW, nonce=nonce))["error_code"] == -10303


async def test_date_header_follows_clock_skew(app: Client) -> None:
    async def date_of(path: str, auth: str | None) -> float:
        async with app.session.post(
            app.sim.url + path, data=b"{}", headers={"X-Authorization": auth or ""}, ssl=app.ssl
        ) as resp:
            parsed = email.utils.parsedate_to_datetime(resp.headers["Date"])
            return parsed.timestamp()

    assert abs(await date_of(OVERVIEW, header(AK, SK, OVERVIEW, b"{}")) - time.time()) < 3
    app.sim.set_clock_skew(-1000)
    skewed = int(time.time()) - 1000
    assert abs(await date_of(OVERVIEW, header(AK, SK, OVERVIEW, b"{}", ts=skewed)) - skewed) < 3
    # errors and unknown paths carry the skewed clock too
    assert abs(await date_of(OVERVIEW, header(AK, SK, OVERVIEW, b"{}")) - skewed) < 3
    assert abs(await date_of("/nope", None) - skewed) < 3


async def test_control_api_solar_recording_alarms(tmp_path: Path) -> None:
    sim = TumsSimulator(
        host="127.0.0.77",
        port=0,
        access_key=AK,
        secret_key=SK,
        devices=3,
        cert_dir=tmp_path,
        control_port=0,
        solar=1,
    )
    await sim.start()
    try:
        base = f"http://127.0.0.77:{sim.control_port}"
        solar_qr = sim.state.devices[-1].qr_code
        ipc = sim.state.devices[1]
        async with aiohttp.ClientSession() as session:
            body = {"device_id": solar_qr, "status": "3", "battery": 80, "drift": False}
            async with session.post(base + "/solar", json=body) as resp:
                assert resp.status == 200
                reading = (await resp.json())["reading"]
            assert reading["status"] == "3"
            assert reading["batteryStatus"] == "80.00"
            async with session.post(base + "/solar", json={"device_id": ipc.qr_code}) as resp:
                assert resp.status == 400
            async with session.post(
                base + "/solar", json={"device_id": solar_qr, "status": "9"}
            ) as resp:
                assert resp.status == 400
            segment = {"device_id": ipc.mac, "startTime": NOON - 50, "kind": "areaIntruded"}
            async with session.post(base + "/recording", json=segment) as resp:
                assert (await resp.json())["segment"] == {
                    "startTime": NOON - 50,
                    "endTime": NOON - 20,
                    "videoType": [16, 0],
                    "sourceType": 0,
                }
            words = {
                "device_id": ipc.mac,
                "startTime": NOON,
                "endTime": NOON + 5,
                "videoType": [0, 8, 0],
            }
            async with session.post(base + "/recording", json=words) as resp:
                assert resp.status == 200
            async with session.post(
                base + "/recording", json={**words, "endTime": NOON - 1}
            ) as resp:
                assert resp.status == 400
            push = {"kind": "enterArea", "device_id": ipc.qr_code, "time": NOON - 40}
            async with session.post(base + "/push", json=push) as resp:
                assert (await resp.json())["status"] == 0
            async with session.get(
                base + "/alarm_switches", params={"device_id": ipc.qr_code}
            ) as resp:
                switches = await resp.json()
            assert switches["alarmInput"] == "off"
            assert switches["detection"]["2"] is True
            async with session.get(
                base + "/alarm_switches", params={"device_id": solar_qr}
            ) as resp:
                assert resp.status == 404
            async with session.get(base + "/state") as resp:
                types = [d["deviceType"] for d in (await resp.json())["devices"]]
            assert types.count("VIDEO.SOLARPOWER") == 1
            async with session.get(base + "/settings", params={"device_id": ipc.mac}) as resp:
                settings = await resp.json()
            assert settings["image"]["luma"] == 50
            assert settings["osd"]["date"]["ifShow"] is True
            async with session.get(base + "/settings", params={"device_id": "nope"}) as resp:
                assert resp.status == 404
        recordings = sim.state.recordings(ipc, time.time()).day(EVENT_DAY)
        assert [(s.start, list(s.video_type), s.human) for s in recordings] == [
            (NOON - 50, [16, 0], False),
            (NOON - 40, [32, 0], False),
            (NOON, [0, 8, 0], True),  # line crossing, human-enhanced
        ]
    finally:
        await sim.stop()


async def test_cli_devices_count_exactly_and_solar_is_asked_for(tmp_path: Path) -> None:
    env = {**os.environ, "TUMS_SIM_SECRET_KEY": SK}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators.tums",
        "--host",
        "127.0.0.78",
        "--port",
        "0",
        "--control-port",
        "0",
        "--devices",
        "2",
        "--solar",
        "1",
        "--cert-dir",
        str(tmp_path),
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        lines = [(await asyncio.wait_for(proc.stdout.readline(), 10)).decode() for _ in range(3)]
        control = lines[2].split("control API: ")[1].strip()
        async with aiohttp.ClientSession() as session, session.get(control + "/state") as resp:
            state = await resp.json()
        types = [d["deviceType"] for d in state["devices"]]
        assert types.count("VIDEO.SOLARPOWER") == 1
        # --devices counts the video devices (NVR 0 with its channels, IPC 1), no more
        assert types.count("NETWORKVIDEORECORDER") == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
