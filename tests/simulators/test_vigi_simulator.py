"""Tests of the VIGI NVR simulator against the vendor document's wire rules.

The digest computation and the multipart checks here are written independently of the
simulator's code, straight from the document (section 2.2) and the HOWTO.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import aiohttp
import pytest
from aiohttp import web

from simulators.vigi import VigiSimulator
from simulators.vigi.cert import generate

PASSWORD = "secret"
BOUNDARY = "--VIGI-OPENAPI-MSG-PUSH"
Hasher = Callable[[bytes], Any]


def digest_response(
    username: str, password: str, nonce: str, hasher: Hasher = hashlib.sha256
) -> str:
    ha1 = hasher(f"{username}:TP-LINK NVR:{password}".encode()).hexdigest()
    ha2 = hasher(b"GET:/openapi/token").hexdigest()
    return str(hasher(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest())


def challenge_params(header: str) -> dict[str, str]:
    assert header.startswith("Digest ")
    return dict(re.findall(r'(\w+)="([^"]*)"', header))


class Client:
    """A minimal, independent OpenAPI client for the tests."""

    def __init__(self, sim: VigiSimulator, session: aiohttp.ClientSession) -> None:
        self.sim = sim
        self.session = session
        self.ssl = aiohttp.Fingerprint(bytes.fromhex(sim.fingerprint))
        self.token: str | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> tuple[int, Any, bytes]:
        all_headers = dict(headers or {})
        token = token if token is not None else self.token
        if token and "Authorization" not in all_headers:
            all_headers["Authorization"] = f"Bearer {token}"
        async with self.session.request(
            method, self.sim.url + path, headers=all_headers, ssl=self.ssl, **kwargs
        ) as resp:
            raw = await resp.read()
            data: Any = None
            if resp.content_type == "application/json":
                try:
                    data = json.loads(raw)
                except ValueError:
                    data = None
            return resp.status, data, raw

    async def nonce(self) -> str:
        async with self.session.get(self.sim.url + "/openapi/token", ssl=self.ssl) as resp:
            assert resp.status == self.sim.challenge_status
            return challenge_params(resp.headers["WWW-Authenticate"])["nonce"]

    async def digest(
        self, password: str = PASSWORD, username: str = "admin", nonce: str | None = None
    ) -> tuple[int, Any]:
        nonce = nonce or await self.nonce()
        auth = (
            f'Digest username="{username}", nonce="{nonce}", realm="TP-LINK NVR", '
            f'response="{digest_response(username, password, nonce)}"'
        )
        status, data, _ = await self.request(
            "GET", "/openapi/token", token="", headers={"Authorization": auth}
        )
        return status, data

    async def login(self) -> dict[str, Any]:
        status, data = await self.digest()
        assert status == 200, data
        self.token = unquote(data["access_token"])
        return dict(data)

    async def get(self, path: str, **params: Any) -> Any:
        status, data, _ = await self.request("GET", path, params=params)
        assert status == 200
        return data

    async def post(self, path: str, body: Any, method: str = "POST") -> Any:
        status, data, _ = await self.request(method, path, json=body)
        assert status == 200
        return data


@pytest.fixture
async def sim() -> AsyncIterator[VigiSimulator]:
    simulator = VigiSimulator(host="127.0.0.21", port=0, password=PASSWORD, channels=16)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def client(sim: VigiSimulator) -> AsyncIterator[Client]:
    async with aiohttp.ClientSession() as session:
        yield Client(sim, session)


def jwt_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


# -- authentication ---------------------------------------------------------------------
async def test_challenge_and_document_digest_login(client: Client) -> None:
    async with client.session.get(client.sim.url + "/openapi/token", ssl=client.ssl) as resp:
        assert resp.status == 401
        header = resp.headers["WWW-Authenticate"]
    params = challenge_params(header)
    assert params["realm"] == "TP-LINK NVR"
    assert re.fullmatch(r"[0-9a-f]{32}", params["nonce"])
    assert params["algorithm"] == "SHA-256"
    assert params["url"] == "/openapi/token"

    data = await client.login()
    assert list(data) == ["token_type", "expires_in", "access_token", "refresh_token"]
    assert data["token_type"] == "bearer"
    assert data["expires_in"] == 1800
    for key in ("access_token", "refresh_token"):
        encoded = data[key]
        assert encoded.endswith("%3d")
        assert "=" not in encoded
        assert "/" not in encoded
        assert "+" not in encoded
        assert not re.search(r"%[0-9a-f]?[A-F]", encoded)  # lowercase hex, like the document
        decoded = unquote(encoded)
        assert jwt_part(decoded, 0) == {"alg": "RS256", "typ": "JWT"}
        payload = jwt_part(decoded, 1)
        assert payload["usr"] == "admin"
        assert payload["grp"] == "root"
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", payload["exp"])
        base64.b64decode(decoded.split(".")[2], validate=True)

    # Extra uri/algorithm parameters and unquoted values are accepted too.
    nonce = await client.nonce()
    auth = (
        f'Digest username="admin", realm="TP-LINK NVR", nonce={nonce}, uri="/openapi/token", '
        f"algorithm=SHA-256, response={digest_response('admin', PASSWORD, nonce)}"
    )
    status, _, _ = await client.request(
        "GET", "/openapi/token", token="", headers={"Authorization": auth}
    )
    assert status == 200


async def test_challenge_200_and_md5_flags() -> None:
    sim = VigiSimulator(
        host="127.0.0.22",
        port=0,
        password=PASSWORD,
        challenge_status=200,
        digest_algorithm="MD5",
        firmware="1.0",
    )
    await sim.start()
    try:
        async with aiohttp.ClientSession() as session:
            client = Client(sim, session)
            async with session.get(sim.url + "/openapi/token", ssl=client.ssl) as resp:
                assert resp.status == 200
                params = challenge_params(resp.headers["WWW-Authenticate"])
            assert params["algorithm"] == "MD5"
            nonce = params["nonce"]
            response = digest_response("admin", PASSWORD, nonce, hashlib.md5)
            auth = (
                f'Digest username="admin", nonce="{nonce}", realm="TP-LINK NVR", '
                f'response="{response}"'
            )
            status, data, _ = await client.request(
                "GET", "/openapi/token", token="", headers={"Authorization": auth}
            )
            assert status == 200
            assert data["token_type"] == "bearer"
            # Firmware 1.0 has no V1.3+ endpoints: they 404 like unknown paths.
            client.token = unquote(data["access_token"])
            status, _, body = await client.request("GET", "/openapi/module_list")
            assert status == 404
            assert len(body) == 26
    finally:
        await sim.stop()


async def test_wrong_password_and_lockout() -> None:
    sim = VigiSimulator(
        host="127.0.0.23", port=0, password=PASSWORD, max_failures=3, lockout_seconds=0.4
    )
    await sim.start()
    try:
        async with aiohttp.ClientSession() as session:
            client = Client(sim, session)
            assert await client.digest("wrong") == (401, {"error_code": -40401})
            assert await client.digest(username="nobody") == (401, {"error_code": -70302})
            assert await client.digest("wrong") == (401, {"error_code": -40401})
            # Locked: even the right password is refused.
            assert await client.digest() == (401, {"error_code": -40404})
            await asyncio.sleep(0.5)
            status, data = await client.digest()
            assert status == 200, data
            # Success reset the counter: two failures do not lock.
            for _ in range(2):
                assert (await client.digest("wrong"))[1] == {"error_code": -40401}
            assert (await client.digest())[0] == 200
    finally:
        await sim.stop()


async def test_nonce_single_use_and_stale(client: Client) -> None:
    nonce = await client.nonce()
    assert (await client.digest(nonce=nonce))[0] == 200
    assert await client.digest(nonce=nonce) == (401, {"error_code": -40401})
    assert await client.digest(nonce="0" * 32) == (401, {"error_code": -40401})
    client.sim.auth.nonce_ttl = 0.1
    nonce = await client.nonce()
    await asyncio.sleep(0.2)
    assert await client.digest(nonce=nonce) == (401, {"error_code": -40401})


async def test_bearer_token_rules(client: Client) -> None:
    data = await client.login()
    encoded = data["access_token"]
    decoded = unquote(encoded)
    assert (await client.request("GET", "/openapi/added_devices"))[0] == 200
    # The still-encoded token fails like a forged one.
    assert (await client.request("GET", "/openapi/added_devices", token=encoded))[:2] == (
        401,
        {"error_code": -40401},
    )
    forged = decoded[:-6] + ("A" if decoded[-6] != "A" else "B") + decoded[-5:]
    for bad in (forged, unquote(data["refresh_token"]), "x.y.z"):
        status, body, _ = await client.request("GET", "/openapi/added_devices", token=bad)
        assert (status, body) == (401, {"error_code": -40401})
    status, body, _ = await client.request("GET", "/openapi/disks", token="")
    assert (status, body) == (401, {"error_code": -40401})

    client.sim.expire_tokens()
    status, body, _ = await client.request("GET", "/openapi/disks")
    assert (status, body) == (401, {"error_code": -40403})
    await client.login()
    assert (await client.request("GET", "/openapi/disks"))[0] == 200

    client.sim.restart()
    status, body, _ = await client.request("GET", "/openapi/disks")
    assert (status, body) == (401, {"error_code": -40401})


async def test_refresh_token(client: Client) -> None:
    data = await client.login()
    refresh = data["refresh_token"]
    url = f"/openapi/token?grant_type=refresh_token&refresh_token={refresh}"
    # As received (still encoded), exactly like the document's example.
    async with client.session.get(
        client.sim.url + url, ssl=client.ssl, skip_auto_headers=()
    ) as resp:
        assert resp.status == 200
        fresh = await resp.json()
    assert fresh["token_type"] == "bearer"
    assert fresh["access_token"] != data["access_token"]
    # Decoded is accepted too.
    status, again, _ = await client.request(
        "GET",
        "/openapi/token",
        params={"grant_type": "refresh_token", "refresh_token": unquote(refresh)},
    )
    assert status == 200
    assert "access_token" in again
    # Forged or voided refresh tokens fail.
    status, body, _ = await client.request(
        "GET", "/openapi/token", params={"grant_type": "refresh_token", "refresh_token": "a.b.c"}
    )
    assert (status, body) == (401, {"error_code": -40401})
    client.sim.restart()
    async with client.session.get(client.sim.url + url, ssl=client.ssl) as resp:
        assert resp.status == 401
        assert await resp.json() == {"error_code": -40401}


# -- payloads ---------------------------------------------------------------------------
async def test_payload_shapes_16_channels(client: Client) -> None:
    await client.login()
    _, devices, raw = await client.request("GET", "/openapi/added_devices")
    assert len(devices["devices"]) == 16
    assert devices["error_code"] == 0
    first = devices["devices"][0]
    assert first == {
        "id": 1,
        "name": "IPC1%20OSD",
        "alias": "IPC1",
        "online": "1",
        "ip": "192.168.0.2",
        "mac": "00-ff-00-13-31-01",
    }
    assert devices["devices"][15]["mac"] == "00-ff-00-13-31-10"
    assert b'"name": "Entr%c3%a9e%20%26%20Hof"' in raw
    assert unquote(devices["devices"][1]["name"]) == "Entrée & Hof"

    assert await client.get("/openapi/resolution", channel=1, stream="minor") == {
        "resolution": "640*480",
        "error_code": 0,
    }
    valid = await client.get("/openapi/valid_resolutions", channel=1, stream="main")
    assert [r["resolution"] for r in valid["resolutions"]] == [
        "2560*1440",
        "1920*1080",
        "1280*720",
    ]
    bitrate = await client.get("/openapi/bitrate", channel=16, stream="minor")
    assert list(bitrate) == ["maximun_bitrate", "type", "quality", "error_code"]
    capability = await client.get("/openapi/bitrate_capability", channel=1, stream="minor")
    assert capability["valid_qualitys"] == ["5", "3", "1"]
    assert "1024" in capability["valid_bitrates"]
    sound = await client.get("/openapi/audio/output/sound", channel=1)
    assert list(sound) == ["mute", "volume", "system_volume", "error_code"]
    assert isinstance(sound["volume"], int)

    disks = await client.get("/openapi/disks")
    assert disks["disks"][0] == {
        "total_space": "698%20GB",
        "free_space": "120%20GB",
        "status": "normal",
        "slot": 0,
        "id": 1,
        "rw_attr": "rw",
    }
    status = (await client.get("/openapi/poe/status"))["status"]
    assert list(status[0]) == ["global"]
    assert set(status[0]["global"]) == {"sys_power", "cost_power"}
    assert [next(iter(s)) for s in status[1:]] == [f"port{n}" for n in range(1, 9)]
    assert len((await client.get("/openapi/poe/link_status"))["link_status"]) == 8
    assert len((await client.get("/openapi/poe/info"))["info"]) == 8

    modules = await client.get("/openapi/module_list")
    names = [m["name"] for m in modules["module_list"]]
    assert "alarm_output" in names
    assert all(isinstance(m["version"], int) for m in modules["module_list"])

    _, _, jpeg = await client.request("GET", "/openapi/snapshot", params={"channel": 3})
    assert jpeg[:2] == b"\xff\xd8"
    client.sim.set_channel_online(3, False)
    assert await client.get("/openapi/snapshot", channel=3) == {"error_code": -40110}
    assert (await client.get("/openapi/added_devices"))["devices"][2]["online"] == "0"


async def test_writes_and_parameter_errors(client: Client) -> None:
    await client.login()
    body = {"mute": "off", "volume": 43, "system_volume": 76, "channel": 1}
    assert await client.post("/openapi/audio/output/sound", body) == {
        "sub_code": 0,
        "error_code": 0,
    }
    assert client.sim.state.channels[1].audio_out.volume == 43
    assert client.sim.state.system_volume == 76
    # Percent-encoded request strings are decoded.
    assert (await client.post("/openapi/audio/output/sound", {**body, "mute": "on"}))[
        "error_code"
    ] == 0
    ok = {"channel": 1, "stream": "minor", "resolution": "320%2a240"}
    assert (await client.post("/openapi/resolution", ok))["error_code"] == 0
    assert client.sim.state.channels[1].minor.resolution == "320*240"

    cases: list[tuple[str, str, Any, int]] = [
        ("POST", "/openapi/audio/output/sound", {**body, "volume": 101}, -40209),
        ("POST", "/openapi/audio/output/sound", {**body, "volume": "50"}, -40209),
        ("POST", "/openapi/audio/output/sound", {**body, "mute": "maybe"}, -40209),
        ("POST", "/openapi/audio/output/sound", {**body, "extra": 1}, -40209),
        ("POST", "/openapi/audio/output/sound", {"channel": 1, "mute": "on"}, -40211),
        ("POST", "/openapi/audio/output/sound", {**body, "channel": 99}, -40110),
        ("POST", "/openapi/resolution", {**ok, "resolution": "1920*1080"}, -70908),
        ("PUT", "/openapi/timing_mode", {"mode": "gps"}, -40209),
        (
            "POST",
            "/openapi/poe/info",
            {"port": 9, "enable": "on", "priority": "0", "max_port_power": 1},
            -40209,
        ),
    ]
    for method, path, payload, code in cases:
        assert (await client.post(path, payload, method))["error_code"] == code, (path, payload)
    status, data, _ = await client.request(
        "POST", "/openapi/systemctl", data=b"not json", headers={"Content-Type": "application/json"}
    )
    assert (status, data) == (200, {"error_code": -40210})
    assert await client.get("/openapi/resolution", channel=1) == {"error_code": -40211}
    assert await client.get("/openapi/resolution", channel="x", stream="main") == {
        "error_code": -40209
    }
    assert await client.get("/openapi/resolution", channel=1, stream="main", foo=1) == {
        "error_code": -40209
    }
    assert await client.get("/openapi/smartctl_process/schedule", disk=1) == {"error_code": -40107}
    assert (await client.post("/openapi/smartctl_process", {"action": "start"}))["error_code"] == 0
    assert await client.get("/openapi/smartctl_process/schedule", disk=1) == {
        "schedule": "0%25",
        "error_code": 0,
    }
    timer = await client.post(
        "/openapi/alarm_output/ipc_manual_alarm", {"channel": 2, "action": "start"}
    )
    assert timer == {"timer": 10, "error_code": 0}
    assert client.sim.state.channels[2].alarm.active


async def test_unknown_path_and_request_counter(client: Client) -> None:
    status, _, body = await client.request("GET", "/openapi/nope")
    assert status == 404
    assert len(body) == 26
    status, _, body = await client.request("DELETE", "/openapi/disks")
    assert status == 404
    assert len(body) == 26
    assert client.sim.requests["GET /openapi/nope"] == 1
    assert client.sim.requests["DELETE /openapi/disks"] == 1


# -- events -----------------------------------------------------------------------------
async def test_event_servers_and_push(client: Client) -> None:
    received: list[tuple[str, str | None, str, bytes]] = []

    async def receive(request: web.Request) -> web.Response:
        received.append(
            (request.path, request.remote, request.headers["Content-Type"], await request.read())
        )
        return web.json_response({"error_code": 0})

    app = web.Application()
    app.router.add_post("/hook/vigi", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await client.login()
        server = {
            "id": "1",
            "ip_or_domain": "127.0.0.1",
            "port": port,
            "url": "%2fhook%2fvigi",
            "protocol": "HTTP",
            "picture_switch": "on",
        }
        assert await client.post("/openapi/event_server/new_server", server) == {"error_code": 0}
        assert (await client.post("/openapi/event_server", server))["error_code"] == -40203
        assert (await client.post("/openapi/event_server", {**server, "id": 4}))[
            "error_code"
        ] == -76209
        other = {**server, "id": 2, "port": 1, "picture_switch": "off"}
        assert (await client.post("/openapi/event_server", other))["error_code"] == 0
        listed = (await client.get("/openapi/event_server"))["event_server"]
        assert [s["id"] for s in listed] == [1, 2]
        assert listed[0]["url"] == "%2fhook%2fvigi"
        assert listed[0]["port"] == port

        assert await client.sim.trigger_event(channel=3, type=1, sub_types=[2], picture=True) == 1
        path, remote, content_type, body = received[0]
        assert path == "/hook/vigi"
        assert remote == client.sim.host  # pushed from the NVR's own address
        assert content_type == f"multipart/form-data;boundary={BOUNDARY}"
        delimiter = f"--{BOUNDARY}".encode()
        assert body.startswith(delimiter + b"\r\n")
        assert body.endswith(delimiter + b"--\r\n")
        parts = body[: -len(b"--\r\n")].split(delimiter + b"\r\n")[1:]
        assert len(parts) == 2
        head, _, payload = parts[0].partition(b"\r\n\r\n")
        assert b'Content-Disposition: form-data;name="event"' in head
        assert b"Content-Type: application/json; charset=UTF-8" in head
        payload = payload.removesuffix(b"\r\n")
        assert f"Content-Length: {len(payload)}".encode() in head
        event = json.loads(payload)
        assert set(event) == {"dev_id", "dev_name", "messages"}
        assert event["dev_name"] == "VIGI%20NVR"
        message = event["messages"][0]
        assert message["type"] == 1
        assert message["sub_type"] == [2]
        assert message["channel"] == "3"
        assert message["channel_name"] == "IPC3%20OSD"
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", message["localtime"])
        head, _, jpeg = parts[1].partition(b"\r\n\r\n")
        assert b'name="picture";filename="3_' in head
        assert b"Content-Type: image/jpeg" in head
        assert jpeg.startswith(b"\xff\xd8")
        assert client.sim.state.push_failures == 1  # server 2 points at a closed port

        client.sim.inject_fault("wrong_boundary")
        assert await client.sim.trigger_device_event(type=2, sub_types=[7], disk="1") == 1
        _, _, _, body = received[1]
        assert delimiter + b"\r\n" not in body
        assert (
            json.loads(body.split(b"\r\n\r\n")[1].split(b"\r\n")[0])["messages"][0]["disk"] == "1"
        )

        assert (await client.post("/openapi/event_server/delete_server", {"id": 1}))[
            "error_code"
        ] == 0
        assert (await client.post("/openapi/event_server/delete_server", {"id": 3}))[
            "error_code"
        ] == -40205
        assert await client.sim.trigger_event(channel=1) == 0
        assert len(received) == 2
    finally:
        await runner.cleanup()


# -- faults, downtime, control API ------------------------------------------------------
async def test_faults(client: Client) -> None:
    await client.login()
    client.sim.inject_fault("http500", path="/openapi/disks")
    assert (await client.request("GET", "/openapi/disks"))[0] == 500
    assert (await client.request("GET", "/openapi/disks"))[0] == 200
    client.sim.inject_fault("malformed_json")
    _, _, raw = await client.request("GET", "/openapi/added_devices")
    with pytest.raises(json.JSONDecodeError, match="Unterminated"):
        json.loads(raw)
    client.sim.inject_fault("timeout")
    with pytest.raises(TimeoutError):
        await client.request("GET", "/openapi/disks", timeout=aiohttp.ClientTimeout(total=0.3))
    assert (await client.request("GET", "/openapi/disks"))[0] == 200


async def test_go_down_and_reboot(client: Client) -> None:
    await client.login()
    await client.sim.go_down(0.3, wait=False)
    with pytest.raises(aiohttp.ClientConnectorError):
        await client.request("GET", "/openapi/disks")
    await asyncio.sleep(0.5)
    assert (await client.request("GET", "/openapi/disks"))[:2] == (401, {"error_code": -40401})
    # A new go_down replaces the pending comeback: go_down(0) ends a long outage now.
    states = []
    await client.sim.go_down(30, wait=False)
    states.append(client.sim.is_up)
    await client.sim.go_down(0)
    states.append(client.sim.is_up)
    assert states == [False, True]

    await client.login()
    client.sim.reboot_seconds = 0.3
    assert await client.post("/openapi/systemctl", {"action": "reboot"}) == {"error_code": 0}
    assert (await client.request("GET", "/openapi/disks"))[0] == 401  # tokens void at once
    for expected in (False, True):  # the port closes shortly after the reply, then reopens
        for _ in range(40):
            if client.sim.is_up is expected:
                break
            await asyncio.sleep(0.05)
        assert client.sim.is_up is expected
    await client.login()
    assert (await client.request("GET", "/openapi/disks"))[0] == 200


async def test_control_api() -> None:
    sim = VigiSimulator(host="127.0.0.24", port=0, password=PASSWORD, control_port=0, channels=4)
    await sim.start()
    try:
        base = f"http://{sim.host}:{sim.control_port}"
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{base}/channel/2/online", json={"online": False}) as resp:
                assert resp.status == 200
            assert not sim.state.channels[2].online
            async with session.post(f"{base}/fault", json={"kind": "http500"}) as resp:
                assert resp.status == 200
            async with session.post(f"{base}/fault", json={"kind": "bogus"}) as resp:
                assert resp.status == 400
            async with session.get(sim.url + "/openapi/disks", ssl=False) as resp:
                assert resp.status == 500
            async with session.post(f"{base}/event", json={"channel": 1, "sub_type": [2]}) as resp:
                assert await resp.json() == {"delivered": 0}
            async with session.get(f"{base}/state") as resp:
                state = await resp.json()
            assert state["channels"]["2"]["online"] is False
            assert state["event_servers"] == []
            assert "alarms" in state
            assert "audio" in state
            async with session.get(f"{base}/requests") as resp:
                assert await resp.json() == {"GET /openapi/disks": 1}
    finally:
        await sim.stop()


async def test_https_push_device_keys_and_real_expiry(tmp_path: Path) -> None:
    """HTTPS receiver with its own self-signed cert; device_id keys; token_ttl expiry."""
    received: list[dict[str, Any]] = []

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        received.append(json.loads(body.split(b"\r\n\r\n")[1].split(b"\r\n")[0]))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/event_message", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(
        runner, "127.0.0.1", 0, ssl_context=generate("127.0.0.1").server_context()
    ).start()
    sim = VigiSimulator(
        host="127.0.0.25",
        port=0,
        password=PASSWORD,
        channels=4,
        push_id_keys="device",
        token_ttl=1,
        cert_dir=tmp_path,
    )
    await sim.start()
    try:
        async with aiohttp.ClientSession() as session:
            client = Client(sim, session)
            data = await client.login()
            assert data["expires_in"] == 1
            server = {
                "id": 3,
                "ip_or_domain": "127.0.0.1",
                "port": runner.addresses[0][1],
                "url": "/event_message",
                "protocol": "HTTPS",
                "picture_switch": "off",
            }
            assert await client.post("/openapi/event_server", server) == {"error_code": 0}
            assert await sim.trigger_device_event(type=2, sub_types=[9], port="2") == 1
            assert set(received[0]) == {"device_id", "device_name", "messages"}
            assert received[0]["messages"][0]["port"] == "2"
            await asyncio.sleep(2.05)
            status, body, _ = await client.request("GET", "/openapi/disks")
            assert (status, body) == (401, {"error_code": -40403})
        # The certificate is reused from cert_dir by the next instance.
        again = VigiSimulator(host="127.0.0.25", port=0, password=PASSWORD, cert_dir=tmp_path)
        assert again.fingerprint == sim.fingerprint
    finally:
        await sim.stop()
        await runner.cleanup()
