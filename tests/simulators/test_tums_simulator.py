"""Tests of the TUMS cloud OpenAPI simulator against the vendor text and the references.

The signature is written here independently of the simulator (hmac/hashlib) straight from
source §1.2.2 and checked against the reference's test vectors.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import signal
import ssl
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from simulators.tums import TumsSimulator

AK = "AK-test"
SK = "SK-test-secret"
REPO = Path(__file__).resolve().parents[2]
TERMINAL = "fa5d13475934410b9398a95be95f7079"
BASE = "/vms/open/deviceConfig/v1/"

# -- independent signing ------------------------------------------------------------------


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def sign(sk: str, ts: str, path: str, payload: bytes, method: str = "POST") -> str:
    hashed = hashlib.sha256(payload if payload else b"{}").hexdigest()
    to_sign = f"HmacSHA256\n{ts}\n{method} {path} tp-link_request\n{hashed}"
    key = _hmac(_hmac(_hmac(sk.encode(), ts), path), "tp-link")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def header(
    ak: str, sk: str, path: str, payload: bytes, ts: int | None = None, nonce: str | None = None
) -> str:
    stamp = str(int(time.time()) if ts is None else ts)
    nonce = nonce or uuid.uuid4().hex
    sig = sign(sk, stamp, path, payload)
    return f"Timestamp={stamp},Nonce={nonce},AccessKey={ak},Signature={sig},TerminalId={TERMINAL}"


def test_reference_vectors() -> None:
    """Reference part 1 §3.5: vector 1 (the doc's sample path/payload) and the empty-body rule."""
    body = b'{"start": 0, "limit": 10, "needDevNum": 0}'
    assert hashlib.sha256(body).hexdigest() == (
        "89cfbb2c95909793320c0f8255e32b586878ad3dca5b7a05472f4a60e607102a"
    )
    path = "/tums/open/resource/v1/getPagedRootRegions"
    assert sign("testSK", "1706701924", path, body) == (
        "f544ddb64b88b3a337bfb322ce57588bb5c937cd6296021835d8e5b4552f608c"
    )
    overview = "/tums/open/deviceManager/v1/getApplicationOverview"
    assert sign("testSK", "1706701924", overview, b"{}") == (
        "d918a88a4214c1ee2fa5fc41b21378aef5f79897f5fdd29e59ca9f258ec9aa5d"
    )
    from simulators.tums.signing import signature  # the simulator's own implementation

    assert signature("testSK", "1706701924", "POST", path, body) == sign(
        "testSK", "1706701924", path, body
    )


# -- client -------------------------------------------------------------------------------


class Client:
    """A tiny signed client trusting only the simulator's CA."""

    def __init__(self, sim: TumsSimulator, session: aiohttp.ClientSession) -> None:
        self.sim = sim
        self.session = session
        self.ssl = ssl.create_default_context(cafile=str(sim.ca_path))
        self.ak, self.sk = AK, SK

    async def raw(self, path: str, data: bytes, auth: str | None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json;charset=UTF-8"}
        if auth is not None:
            headers["X-Authorization"] = auth
        async with self.session.post(
            self.sim.url + path, data=data, headers=headers, ssl=self.ssl
        ) as resp:
            return resp.status, await resp.read()

    async def call(
        self, path: str, body: dict[str, Any] | None = None, **kw: Any
    ) -> dict[str, Any]:
        data = json.dumps(body if body is not None else {}).encode()
        status, raw = await self.raw(path, data, header(self.ak, self.sk, path, data, **kw))
        assert status == 200, raw
        result: dict[str, Any] = json.loads(raw)
        return result

    async def ok(self, path: str, body: dict[str, Any] | None = None) -> Any:
        reply = await self.call(path, body)
        assert reply["error_code"] == 0, reply
        assert "msg" not in reply
        return reply.get("result")


@pytest.fixture
async def device_app(tmp_path: Path) -> AsyncIterator[Client]:
    sim = TumsSimulator(
        host="127.0.0.71",
        port=0,
        access_key=AK,
        secret_key=SK,
        devices=20,
        app_type="device",
        cert_dir=tmp_path,
    )
    await sim.start()
    async with aiohttp.ClientSession() as session:
        yield Client(sim, session)
    await sim.stop()


@pytest.fixture
async def project_app(tmp_path: Path) -> AsyncIterator[Client]:
    sim = TumsSimulator(
        host="127.0.0.72",
        port=0,
        access_key=AK,
        secret_key=SK,
        devices=20,
        app_type="project",
        cert_dir=tmp_path,
    )
    await sim.start()
    async with aiohttp.ClientSession() as session:
        yield Client(sim, session)
    await sim.stop()


async def devices(client: Client) -> list[dict[str, Any]]:
    result = await client.ok(
        "/tums/open/deviceManager/v1/getDeviceListInDeviceApplication",
        {"start": 0, "limit": 100, "filterAnd": {"hasChild": 1}},
    )
    items: list[dict[str, Any]] = result["list"]
    return items


def first(items: list[dict[str, Any]], kind: str, **match: Any) -> dict[str, Any]:
    return next(
        i for i in items if i["deviceType"] == kind and all(i.get(k) == v for k, v in match.items())
    )


# -- signature and envelope ---------------------------------------------------------------

OVERVIEW = "/tums/open/deviceManager/v1/getApplicationOverview"


async def test_https_ca_and_signed_call(device_app: Client) -> None:
    assert device_app.sim.ca_path.name == "tums-ca.pem"
    assert device_app.sim.ca_path.read_text().startswith("-----BEGIN CERTIFICATE-----")
    result = await device_app.ok(OVERVIEW)
    assert result["allIpcNum"] == 26
    assert result["allNvrNum"] == 2
    assert device_app.sim.requests[OVERVIEW] == 1
    # empty body: the payload signed is "{}"
    status, raw = await device_app.raw(OVERVIEW, b"", header(AK, SK, OVERVIEW, b"{}"))
    assert json.loads(raw)["error_code"] == 0


async def test_signature_rejections(device_app: Client) -> None:
    data = b"{}"

    async def code(auth: str | None, body: bytes = data) -> int:
        status, raw = await device_app.raw(OVERVIEW, body, auth)
        assert status == 200
        reply = json.loads(raw)
        if reply["error_code"]:
            assert set(reply) == {"error_code", "msg"}
        return int(reply["error_code"])

    assert await code(header(AK, "wrong", OVERVIEW, data)) == -10301
    stale = int(time.time()) - 301
    assert await code(header(AK, SK, OVERVIEW, data, ts=stale)) == -10302
    assert await code(header("nobody", SK, OVERVIEW, data)) == -10304
    assert await code(None) == -10303
    good = header(AK, SK, OVERVIEW, data)
    assert await code(good.replace(",", ", ")) == -10303  # spaces not allowed
    assert await code(good.rsplit(",", 1)[0]) == -10303  # TerminalId missing
    assert await code(good + "0" * 64) == -10303  # TerminalId longer than 64
    assert await code(good.replace("Nonce=", "Nonce=,X=")) == -10303
    assert (
        await code(re.sub(r"Timestamp=\d+", "Timestamp=" + str(int(time.time() * 1000)), good))
        == -10303
    )
    # tampered body: the hash over the received bytes no longer matches
    signed_body = b'{"a": 1}'
    assert await code(header(AK, SK, OVERVIEW, signed_body), b'{"a": 2}') == -10301
    # reused nonce
    nonce = uuid.uuid4().hex
    assert await code(header(AK, SK, OVERVIEW, data, nonce=nonce)) == 0
    assert await code(header(AK, SK, OVERVIEW, data, nonce=nonce)) == -10303
    # a signature computed for another path
    assert (
        await code(header(AK, SK, "/tums/open/msgTranspond/v1/getAppMsgPushConfig", data)) == -10301
    )
    # the document's message text
    _, raw = await device_app.raw(OVERVIEW, data, header(AK, "wrong", OVERVIEW, data))
    assert json.loads(raw)["msg"] == "签名不匹配"


async def test_clock_skew_and_malformed_json(device_app: Client) -> None:
    device_app.sim.set_clock_skew(400)
    assert (await device_app.call(OVERVIEW))["error_code"] == -10302
    device_app.sim.set_clock_skew(200)
    assert (await device_app.call(OVERVIEW))["error_code"] == 0
    device_app.sim.set_clock_skew(0)
    # a non-JSON body is signed as "{}" and then rejected as malformed
    status, raw = await device_app.raw(OVERVIEW, b"not json", header(AK, SK, OVERVIEW, b"{}"))
    assert json.loads(raw)["error_code"] == -10100
    status, raw = await device_app.raw("/nope", b"{}", header(AK, SK, "/nope", b"{}"))
    assert status == 404


# -- device lists, paging, app type -------------------------------------------------------


async def test_device_list_paging_and_children(device_app: Client) -> None:
    path = "/tums/open/deviceManager/v1/getDeviceListInDeviceApplication"
    page = await device_app.ok(path, {"start": 0, "limit": 7})
    assert page["total"] == 20
    assert len(page["list"]) == 7
    rest = await device_app.ok(path, {"start": 14, "limit": 100})
    assert len(rest["list"]) == 6
    everything = await devices(device_app)
    assert len(everything) == 28
    child = first(everything, "SURVEILLANCECAMERA", channelId=2, parentMac="00-FF-00-00-00-18")
    assert child["parentQrCode"] == everything[0]["qrCode"]
    assert re.fullmatch(r"([0-9A-F]{2}-){5}[0-9A-F]{2}", child["mac"])
    assert len(child["qrCode"]) == 17
    nvrs = await device_app.ok(
        path, {"start": 0, "limit": 100, "filterAnd": {"deviceTypeList": ["NETWORKVIDEORECORDER"]}}
    )
    assert nvrs["total"] == 2
    assert (await device_app.call(path, {"start": 0, "limit": 101}))["error_code"] == -80329
    assert (await device_app.call(path, {"start": -1, "limit": 10}))["error_code"] == -80328
    # NVR channels (key "channel", not "channelId")
    nvr = everything[0]
    channels = await device_app.ok(
        "/tums/open/deviceManager/v1/getChannelDeviceList", {"qrCode": nvr["qrCode"]}
    )
    assert channels["channelNum"] == 8
    assert channels["connectedChannelNum"] == 4
    assert [c["channel"] for c in channels["channelList"]] == [1, 2, 3, 4]
    # locator: mac works, qrCode wins over a wrong mac, neither -> parameter error
    by_mac = await device_app.ok(
        "/tums/open/deviceManager/v1/getChannelDeviceList", {"mac": nvr["mac"]}
    )
    assert by_mac["channelNum"] == 8
    both = {"qrCode": nvr["qrCode"], "mac": "00-00-00-00-00-00"}
    assert (await device_app.ok("/tums/open/deviceManager/v1/getChannelDeviceList", both))[
        "channelNum"
    ] == 8
    assert (await device_app.call("/tums/open/deviceManager/v1/getChannelDeviceList", {}))[
        "error_code"
    ] == -82400
    unknown = {"qrCode": "ZZZZZZZZZZZZZZZZZ"}
    assert (await device_app.call("/tums/open/deviceManager/v1/getChannelDeviceList", unknown))[
        "error_code"
    ] == -88316


async def test_app_type_enforced(device_app: Client, project_app: Client) -> None:
    regions = "/tums/open/resource/v1/getPagedRootRegions"
    assert (await device_app.call(regions, {"start": 0, "limit": 10}))["error_code"] == -88312
    flow = "/tums/open/passengerFlow/v1/getFlowSyncStatus"
    assert (await device_app.call(flow))["error_code"] == -88312
    dev_list = "/tums/open/deviceManager/v1/getDeviceListInDeviceApplication"
    assert (await project_app.call(dev_list, {"start": 0, "limit": 10}))["error_code"] == -88311


async def test_regions_and_project_devices(project_app: Client) -> None:
    roots = await project_app.ok(
        "/tums/open/resource/v1/getPagedRootRegions", {"start": 0, "limit": 50, "needDevNum": 1}
    )
    assert roots["total"] == 3
    default = roots["list"][0]
    assert default["regionType"] == 1
    assert default["parentId"] == "0"
    assert isinstance(default["regionId"], str)
    assert set(default["devNumMap"]) == {"vms", "nms", "nbs", "evcs", "parking"}
    assert sum(r["totalDevNum"] for r in roots["list"]) == 28
    shop = roots["list"][1]
    assert shop["hasChildren"] == 1
    kids = await project_app.ok(
        "/tums/open/resource/v1/getPagedRegionChildren",
        {"regionId": shop["regionId"], "start": 0, "limit": 10, "needDevNum": 0},
    )
    assert kids["total"] == 1
    assert "totalDevNum" not in kids["list"][0]
    added = await project_app.ok(
        "/tums/open/resource/v1/addRegion",
        {"regionName": "Lobby", "parentId": kids["list"][0]["regionId"]},
    )
    assert added["regionLevel"] == 3
    chain = await project_app.ok(
        "/tums/open/resource/v1/getRegionAncestor", {"regionId": added["regionId"]}
    )
    assert [r["regionName"] for r in chain["regionAncestors"]] == ["Shop", "Shop entrance", "Lobby"]
    path = "/tums/open/deviceManager/v1/getDeviceListInProjectApplication"
    page = await project_app.ok(
        path, {"start": 0, "limit": 5, "filterAnd": {"regionId": default["regionId"]}}
    )
    assert page["total"] == default["totalDevNum"]
    assert len(page["list"]) == 5
    assert page["list"][0]["regionName"] == "默认分组"
    top = await project_app.ok(path, {"start": 0, "limit": 100, "filterAnd": {"hasChild": 1}})
    assert top["total"] == 20  # hasChild 1 = exclude children, as 1.4.3.11 writes it


# -- licence, online, settings ------------------------------------------------------------


async def test_licence_and_online(device_app: Client) -> None:
    items = await devices(device_app)
    ipc = first(items, "SURVEILLANCECAMERA", channelId=1, deviceName="IPC 1")
    loc = {"qrCode": ipc["qrCode"], "channelId": 1}
    assert (await device_app.ok(BASE + "getDeviceRecordLoopInfo", loc))["ifLoop"] is True
    device_app.sim.set_licensed(ipc["mac"], False)
    reply = await device_app.call(BASE + "getDeviceRecordLoopInfo", loc)
    assert reply["error_code"] == -88315
    assert reply["msg"].startswith("设备受限关闭")
    listed = first(await devices(device_app), "SURVEILLANCECAMERA", deviceName="IPC 1")
    assert listed["openStatus"] == 0
    device_app.sim.set_licensed(ipc["qrCode"], True)
    device_app.sim.set_online(ipc["qrCode"], False)
    assert (await device_app.call(BASE + "getDeviceRecordLoopInfo", loc))["error_code"] == -20571
    assert (
        first(await devices(device_app), "SURVEILLANCECAMERA", deviceName="IPC 1")["deviceStatus"]
        == 0
    )
    # batch: the offline device lands in the top-level failList
    nvr = items[0]
    reply = await device_app.call(
        "/tums/open/deviceManager/v1/rebootDeviceList",
        {"devList": [{"qrCode": nvr["qrCode"]}, {"qrCode": ipc["qrCode"]}]},
    )
    assert reply["error_code"] == 0
    assert reply["failList"] == [{"qrCode": ipc["qrCode"], "error_code": -20571}]
    sync = await device_app.call(
        "/vms/open/deviceManager/v1/syncDevInfoStatus", {"devList": [{"qrCode": ipc["qrCode"]}]}
    )
    assert sync == {"error_code": 0, "result": {"percent": 100}}
    too_many = {"devList": [{"qrCode": nvr["qrCode"]}] * 101}
    assert (await device_app.call("/tums/open/deviceManager/v1/rebootDeviceList", too_many))[
        "error_code"
    ] == -82400


async def test_settings_round_trips(device_app: Client) -> None:
    items = await devices(device_app)
    nvr = items[0]
    ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
    loc = {"qrCode": ipc["qrCode"], "channelId": 1}
    # image / night vision
    await device_app.ok(
        BASE + "modifyDeviceImage",
        {
            **loc,
            "luma": 70,
            "nightVisionMode": "inf_night_vision",
            "whiteLamp": {"smartWhiteLampLevel": 2},
        },
    )
    image = await device_app.ok(BASE + "getDeviceImage", loc)
    assert image["luma"] == 70
    assert image["nightVisionMode"] == "inf_night_vision"
    assert image["whiteLamp"]["smartWhiteLampLevel"] == 2
    assert image["contrast"] == 50
    assert (await device_app.call(BASE + "modifyDeviceImage", {**loc, "luma": 101}))[
        "error_code"
    ] == -82400
    # video streams (bitrate spelled as 1.4.4.18 does)
    await device_app.ok(
        BASE + "modifyDeviceVideoInfo",
        {**loc, "streamInfoList": [{"type": "main", "bitrate": 4096, "frameRate": 65566}]},
    )
    streams = (await device_app.ok(BASE + "getDeviceVideoInfo", loc))["streamInfoList"]
    assert streams[0]["bitrate"] == 4096
    assert streams[0]["frameRate"] == 65566
    bad = {**loc, "streamInfoList": [{"type": "main", "bitrate": 12345}]}
    assert (await device_app.call(BASE + "modifyDeviceVideoInfo", bad))["error_code"] == -82400
    # OSD
    await device_app.ok(
        BASE + "modifyDeviceOsdInfo",
        {
            **loc,
            "date": {"ifShow": False},
            "labelInfoList": [{"labelName": "label_info_1", "text": "Door"}],
        },
    )
    osd = await device_app.ok(BASE + "getDeviceOsdInfo", loc)
    assert osd["date"]["ifShow"] is False
    assert osd["labelInfoList"][0]["text"] == "Door"
    # time sync, manual time, scheduled reboot, loop recording
    await device_app.ok(
        BASE + "modifyDeviceTimingInfo",
        {"qrCode": ipc["qrCode"], "timingMode": "ntp", "serverIp": "10.0.0.1"},
    )
    assert await device_app.ok(BASE + "getDeviceTimingInfo", {"qrCode": ipc["qrCode"]}) == {
        "timingMode": "ntp",
        "serverIp": "10.0.0.1",
    }
    await device_app.ok(BASE + "manualTiming", {"qrCode": ipc["qrCode"], "time": 1664438535})
    assert (await device_app.ok(BASE + "getDeviceTimingInfo", {"qrCode": ipc["qrCode"]}))[
        "timingMode"
    ] == "manual"
    assert (
        await device_app.call(
            BASE + "modifyDeviceTimingReboot", {"qrCode": nvr["qrCode"], "ifOpen": True}
        )
    )["error_code"] == -82400
    await device_app.ok(
        BASE + "modifyDeviceTimingReboot",
        {"qrCode": nvr["qrCode"], "ifOpen": True, "time": "04:30:00", "day": 7},
    )
    assert await device_app.ok(BASE + "getDeviceTimingReboot", {"qrCode": nvr["qrCode"]}) == {
        "ifOpen": True,
        "time": "04:30:00",
        "day": 7,
    }
    chan = {"qrCode": nvr["qrCode"], "channelId": 2}
    await device_app.ok(BASE + "modifyDeviceRecordLoopInfo", {**chan, "ifLoop": False})
    assert (
        await device_app.ok(
            BASE + "getDeviceRecordLoopInfo", {"qrCode": nvr["qrCode"], "channelId": 3}
        )
    )["ifLoop"] is False
    # SD card + format
    cards = (await device_app.ok(BASE + "getDeviceSdCardInfo", loc))["cardInfoList"]
    assert cards[0]["status"] == "normal"
    assert cards[0]["totalSpace"].endswith("G")
    await device_app.ok(BASE + "formatDeviceSdCard", {**loc, "cardIndex": cards[0]["index"]})
    cards = (await device_app.ok(BASE + "getDeviceSdCardInfo", loc))["cardInfoList"]
    assert cards[0]["freeSpace"] == cards[0]["totalSpace"]
    # PTZ: IPC 1 has PTZ, IPC 2 has not
    assert await device_app.ok(BASE + "getPtzDeviceResetSupport", loc) == {
        "positionResetSupport": True
    }
    await device_app.ok(BASE + "resetPtzDevicePosition", loc)
    ipc2 = first(items, "SURVEILLANCECAMERA", deviceName="IPC 2")
    loc2 = {"qrCode": ipc2["qrCode"], "channelId": 1}
    assert await device_app.ok(BASE + "getPtzDeviceResetSupport", loc2) == {
        "positionResetSupport": False
    }
    assert (await device_app.call(BASE + "resetPtzDevicePosition", loc2))["error_code"] == -40106
    # manual alarm: action is a string
    await device_app.ok("/tums/open/alarm/v1/triggerManualAlarm", {**loc, "action": "1"})
    assert (await device_app.call("/tums/open/alarm/v1/triggerManualAlarm", {**loc, "action": 1}))[
        "error_code"
    ] == -82400
    # NVR per-channel push
    info = (await device_app.ok(BASE + "getNvrChannelsMessagePushInfo", {"qrCode": nvr["qrCode"]}))[
        "infoList"
    ]
    assert [i["messagePushEnabled"] for i in info] == [True, False, True, False]
    await device_app.ok(
        BASE + "modifyNvrChannelsMessagePushInfo",
        {"qrCode": nvr["qrCode"], "channelId": 2, "messagePushEnabled": True},
    )
    info = (await device_app.ok(BASE + "getNvrChannelsMessagePushInfo", {"qrCode": nvr["qrCode"]}))[
        "infoList"
    ]
    assert info[1]["messagePushEnabled"] is True
    # channel that does not exist / unbound
    assert (
        await device_app.call(BASE + "getDeviceImage", {"qrCode": nvr["qrCode"], "channelId": 9})
    )["error_code"] == -81100
    assert (
        await device_app.call(BASE + "getDeviceImage", {"qrCode": nvr["qrCode"], "channelId": 6})
    )["error_code"] == -80528


async def test_firmware_upgrade_progress(device_app: Client) -> None:
    device_app.sim.state.upgrade_seconds = 0.6
    items = await devices(device_app)
    target = {"qrCode": items[0]["qrCode"]}  # NVR 0 has a newer firmware
    info_path = "/tums/open/deviceManager/v1/getDeviceUpgradeInfo"
    info = (await device_app.ok(info_path, {"devList": [target]}))["list"][0]
    assert "newFwInfo" not in info
    assert info["upgradeStatus"] == 0
    await device_app.ok("/tums/open/deviceManager/v1/checkDeviceNewestFwVer", {"devList": [target]})
    info = (await device_app.ok(info_path, {"devList": [target]}))["list"][0]
    assert info["newFwInfo"]["fwVersion"] != info["curFirmwareVer"]
    await device_app.ok("/tums/open/deviceManager/v1/upgradeDeviceOnline", {"devList": [target]})
    info = (await device_app.ok(info_path, {"devList": [target]}))["list"][0]
    assert info["upgradeStatus"] in (5, 1)
    await asyncio.sleep(0.7)
    info = (await device_app.ok(info_path, {"devList": [target]}))["list"][0]
    assert info["upgradeStatus"] == 4
    assert info["upgradeProgress"] == 100
    assert info["curFirmwareVer"].startswith("1.1.0")
    info = (await device_app.ok(info_path, {"devList": [target], "resetUpgradeResult": 1}))["list"][
        0
    ]
    assert info["upgradeStatus"] == 0


# -- temporary credentials ----------------------------------------------------------------


async def test_temporary_credentials(device_app: Client) -> None:
    path = "/tums/open/credentialManager/v1/createTempApplicationApiCredential"
    before = int(time.time())
    cred = await device_app.ok(path, {"expireTime": 3600})
    assert cred["expireTime"] - cred["createTime"] == 3600
    assert cred["createTime"] >= before - 1
    temp = Client(device_app.sim, device_app.session)
    temp.ak, temp.sk = cred["tempAk"], cred["tempSk"]
    assert (await temp.call(OVERVIEW))["error_code"] == 0
    assert (await temp.call(path, {}))["error_code"] == -82401  # only the long-term pair
    assert (await device_app.call(path, {"expireTime": 86401}))["error_code"] == -82400
    assert device_app.sim.expire_temporary_credentials() == 1
    assert (await temp.call(OVERVIEW))["error_code"] == -10304


# -- push ---------------------------------------------------------------------------------


async def test_push_subscription_and_delivery(device_app: Client) -> None:
    received: list[dict[str, Any]] = []

    async def receive(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/msg", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        get_path = "/tums/open/msgTranspond/v1/getAppMsgPushConfig"
        assert (await device_app.ok(get_path))["openMsgTransport"] == 0
        items = await devices(device_app)
        ipc = first(items, "SURVEILLANCECAMERA", deviceName="IPC 1")
        assert await device_app.sim.push_message("movementDetected", ipc["mac"]) == 0
        url = f"http://127.0.0.1:{port}/msg"
        config = {
            "serverUrl": url,
            "openMsgTransport": 1,
            "msgContentType": ["movementDetected", "ipcDeviceOffline"],
        }
        await device_app.ok("/tums/open/msgTranspond/v1/setAppMsgPushConfig", config)
        stored = await device_app.ok(get_path)
        assert stored["serverUrl"] == url
        assert stored["msgContentType"] == config["msgContentType"]
        assert isinstance(stored["appId"], str)
        assert await device_app.sim.push_message("movementDetected", ipc["mac"]) == 200
        assert await device_app.sim.push_message("humanDetected", ipc["mac"]) == 0  # filtered
        assert await device_app.sim.push_message("ipcDeviceOffline", ipc["qrCode"]) == 200
        assert len(received) == 2
        message = received[0]
        assert set(message) == {
            "qrcode",
            "mac",
            "deviceName",
            "msgId",
            "time",
            "msgType",
            "msgContentType",
        }
        assert message["mac"] == ipc["mac"]
        assert message["qrcode"] == ipc["qrCode"]
        assert message["msgType"] == "monitorAlarm"
        assert message["msgContentType"] == ["movementDetected"]
        assert received[1]["msgType"] == "vmsDeviceAlarm"
        assert isinstance(message["time"], str)
        assert message["time"].isdigit()
        assert message["msgId"] != received[1]["msgId"]
        # an NVR channel whose push is switched off (1.4.4.28/29) sends nothing
        quiet = first(items, "SURVEILLANCECAMERA", channelId=2, parentMac=items[0]["mac"])
        assert await device_app.sim.push_message("movementDetected", quiet["mac"]) == 0
        # switched off: nothing is sent
        await device_app.ok(
            "/tums/open/msgTranspond/v1/setAppMsgPushConfig", {**config, "openMsgTransport": 0}
        )
        assert await device_app.sim.push_message("movementDetected", ipc["mac"]) == 0
        bad = {"serverUrl": "", "openMsgTransport": 1, "msgContentType": []}
        assert (await device_app.call("/tums/open/msgTranspond/v1/setAppMsgPushConfig", bad))[
            "error_code"
        ] == -82400
    finally:
        await runner.cleanup()


# -- passenger flow -----------------------------------------------------------------------


async def test_passenger_flow(project_app: Client) -> None:
    roots = await project_app.ok(
        "/tums/open/resource/v1/getPagedRootRegions", {"start": 0, "limit": 50}
    )
    region_ids = [r["regionId"] for r in roots["list"]]
    count = await project_app.ok(
        "/tums/open/passengerFlow/v1/getFlowDeviceNumInRegionList", {"regionIdList": region_ids}
    )
    assert count["flowIpcNum"] == 5  # IPCs 1, 5, 9, 13, 17
    found: list[dict[str, Any]] = []
    for region_id in region_ids:
        found += (
            await project_app.ok(
                "/tums/open/passengerFlow/v1/getFlowDeviceInRegion", {"regionId": region_id}
            )
        )["deviceInfoList"]
    assert len(found) == 5
    assert found[0]["channelId"] == 1
    start, end = 1708272000, 1708876800 - 1  # 7 Beijing days
    query = {
        "start": 0,
        "limit": 1000,
        "filterAnd": {
            "queryCategory": "region",
            "accuracy": "day",
            "timeList": [{"startTime": start, "endTime": end}],
            "regionIdList": [region_ids[0]],
        },
    }
    rows = await project_app.ok("/tums/open/passengerFlow/v1/queryFlow", query)
    assert rows["total"] == 7
    assert rows["list"][0]["regionId"] == region_ids[0]
    assert rows["list"][0]["endTime"] - rows["list"][0]["startTime"] == 86399
    totals = await project_app.ok(
        "/tums/open/passengerFlow/v1/queryRegionSingleFlow",
        {"regionId": region_ids[0], "accuracy": "week", "startTime": start, "endTime": end},
    )
    assert totals["currentTotalInFlow"] == sum(r["inFlow"] for r in rows["list"])
    device = {
        "qrCode": found[0]["qrCode"],
        "channelId": 1,
        "accuracy": "day",
        "startTime": end,
        "endTime": start,
    }
    assert (await project_app.call("/tums/open/passengerFlow/v1/queryDeviceSingleFlow", device))[
        "error_code"
    ] == -80551
    project_app.sim.set_licensed(found[0]["qrCode"], False)
    device.update(startTime=start, endTime=end)
    assert (await project_app.call("/tums/open/passengerFlow/v1/queryDeviceSingleFlow", device))[
        "error_code"
    ] == -88315
    assert (await project_app.ok("/tums/open/passengerFlow/v1/getFlowSyncStatus")) == {"status": 0}


# -- faults and control API ---------------------------------------------------------------


async def test_faults(device_app: Client) -> None:
    sim = device_app.sim
    sim.inject_fault("http500")
    status, _ = await device_app.raw(OVERVIEW, b"{}", header(AK, SK, OVERVIEW, b"{}"))
    assert status == 500
    sim.inject_fault("malformed_json")
    status, raw = await device_app.raw(OVERVIEW, b"{}", header(AK, SK, OVERVIEW, b"{}"))
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)
    sim.inject_fault("rate_limit", count=2, path=OVERVIEW)
    assert (await device_app.call(OVERVIEW))["error_code"] == -10201
    assert (await device_app.call(OVERVIEW))["error_code"] == -10201
    assert (await device_app.call(OVERVIEW))["error_code"] == 0
    sim.hang_seconds = 5
    sim.inject_fault("timeout")
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await device_app.call(OVERVIEW)
    with pytest.raises(ValueError, match="unknown fault"):
        sim.inject_fault("explode")
    # opt-in real limit: requests per AccessKey per second
    sim.rate_limit = 3
    answers = [(await device_app.call(OVERVIEW))["error_code"] for _ in range(5)]
    assert answers.count(-10201) >= 2
    sim.rate_limit = None


async def test_control_api(tmp_path: Path) -> None:
    sim = TumsSimulator(
        host="127.0.0.73",
        port=0,
        access_key=AK,
        secret_key=SK,
        devices=3,
        cert_dir=tmp_path,
        control_port=0,
    )
    await sim.start()
    try:
        base = f"http://127.0.0.73:{sim.control_port}"
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/state") as resp:
                state = await resp.json()
            qr = state["devices"][1]["qrCode"]
            async with session.post(
                base + "/licensed", json={"device_id": qr, "licensed": False}
            ) as resp:
                assert resp.status == 200
            async with session.post(base + "/fault", json={"kind": "http500"}) as resp:
                assert resp.status == 200
            async with session.post(base + "/clock_skew", json={"seconds": 10}) as resp:
                assert resp.status == 200
        found = sim.state.find(qr)
        assert found is not None
        assert not found.licensed
        assert sim.faults.pending[0].kind == "http500"
        assert sim.clock_skew == 10
    finally:
        await sim.stop()


async def test_cli_starts_and_stops(tmp_path: Path) -> None:
    env = {**os.environ, "TUMS_SIM_SECRET_KEY": SK}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators.tums",
        "--host",
        "127.0.0.74",
        "--port",
        "0",
        "--access-key",
        AK,
        "--devices",
        "5",
        "--app-type",
        "project",
        "--cert-dir",
        str(tmp_path),
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
    assert line.startswith("TUMS simulator listening on https://127.0.0.74:")
    assert (tmp_path / "tums-ca.pem").is_file()
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 10) == 0
