"""Tests of the SUNMI IPC simulator against the vendor text and the wire reference.

The sign rule, the CRCs and both framings are written here independently of the
simulator's code (zlib.crc32, hashlib.md5, struct), straight from the seed and the
reference's test vectors.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import io
import json
import os
import re
import signal
import ssl
import struct
import sys
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image

from simulators.sunmi import SunmiSimulator
from simulators.sunmi.cert import make_ca, make_client
from simulators.sunmi.signing import sign_string as sim_sign_string

APP_ID = "08BABCDABBB661234567"
SECRET = "ABCDEFG3F2BB03917123"
ACTIVATION = "abcd2986jnts8987hntl1234"
PASSWORD = "p12-pass"
FS_SN = "FS101D8BS00106"
SS_SN = "SS101D8BS00080"
REPO = Path(__file__).resolve().parents[2]

# -- independent codecs ---------------------------------------------------------------


def md5_sign(params: dict[str, str], key: str) -> str:
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign")
    return hashlib.md5(f"{text}&key={key}".encode()).hexdigest().upper()  # noqa: S324


def signed(key: str = SECRET, app_id: str = APP_ID, **private: str) -> dict[str, str]:
    params = {
        "app_id": app_id,
        "timestamp": str(int(time.time())),
        "random": os.urandom(4).hex(),
        **private,
    }
    params["sign"] = md5_sign(params, key)
    return params


def discovery_packet(packet_type: int, payload: bytes, *, crc_order: str = "big") -> bytes:
    body = b"\xff\xff\x33\xff" + bytes([1, packet_type]) + struct.pack(">H", len(payload)) + payload
    crc = zlib.crc32(body).to_bytes(4, "big" if crc_order == "big" else "little")
    return body + crc


def channel_frame(packet_type: int, payload: bytes = b"") -> bytes:
    header = b"\xff\x3e\x3e\xff" + bytes([1, packet_type]) + struct.pack(">H", len(payload))
    return header + payload + zlib.crc32(payload).to_bytes(4, "big")


async def read_raw(reader: asyncio.StreamReader) -> tuple[bytes, int, bytes, bytes]:
    header = await asyncio.wait_for(reader.readexactly(8), 3)
    (length,) = struct.unpack(">H", header[6:8])
    rest = await asyncio.wait_for(reader.readexactly(length + 4), 3)
    return header, header[5], rest[:length], rest[length:]


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, Any]:
    header, packet_type, payload, crc = await read_raw(reader)
    assert header[:5] == b"\xff\x3e\x3e\xff\x01"
    assert crc == zlib.crc32(payload).to_bytes(4, "big")
    return packet_type, json.loads(payload) if payload else None


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sunmi-certs")


@functools.cache
def client_context(cert_dir: Path, *, with_cert: bool = True) -> ssl.SSLContext:
    """A TLS client built from openapi.p12 alone, as a user of the vendor's cert would."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # as the seed's Postman setup
    if with_cert:
        key, cert, _ = pkcs12.load_key_and_certificates(
            (cert_dir / "openapi.p12").read_bytes(), PASSWORD.encode()
        )
        assert key is not None
        assert cert is not None
        pem_dir = cert_dir / "client-pem"
        pem_dir.mkdir(exist_ok=True)
        (pem_dir / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (pem_dir / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context.load_cert_chain(pem_dir / "cert.pem", pem_dir / "key.pem")
    return context


Factory = Callable[..., Awaitable[SunmiSimulator]]


@pytest.fixture
async def make_sim(cert_dir: Path) -> AsyncIterator[Factory]:
    started: list[SunmiSimulator] = []

    async def factory(**kwargs: Any) -> SunmiSimulator:
        options: dict[str, Any] = {
            "host": "127.0.0.31",
            "app_id": APP_ID,
            "secret_key": SECRET,
            "activation_code": ACTIVATION,
            "model": "FS",
            "sn": FS_SN,
            "activated": True,
            "cert_dir": cert_dir,
            "cert_password": PASSWORD,
            "https_port": 0,
            "channel_port": 0,
            "discovery_port": 0,
            "format_seconds": 0.3,
            "resend_seconds": 0.3,
        }
        options.update(kwargs)
        sim = SunmiSimulator(**options)
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


class Api:
    """A minimal OpenAPI client for the tests."""

    def __init__(self, sim: SunmiSimulator, session: aiohttp.ClientSession, tls: ssl.SSLContext):
        self.sim = sim
        self.session = session
        self.tls = tls

    async def raw(self, path: str, data: Any) -> tuple[int, Any]:
        async with self.session.post(self.sim.url + path, data=data, ssl=self.tls) as resp:
            text = await resp.text()
            return resp.status, json.loads(text) if resp.status == 200 else text

    async def call(self, path: str, key: str = SECRET, **private: Any) -> dict[str, Any]:
        params = signed(key, **{k: str(v) for k, v in private.items()})
        status, body = await self.raw(path, params)
        assert status == 200, body
        return dict(body)

    async def ok(self, path: str, **private: Any) -> Any:
        body = await self.call(path, **private)
        assert body["code"] == 0, (path, body)
        return body.get("data")

    async def code(self, path: str, **private: Any) -> int:
        return int((await self.call(path, **private))["code"])


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def fs(make_sim: Factory) -> SunmiSimulator:
    return await make_sim()


@pytest.fixture
def api(fs: SunmiSimulator, session: aiohttp.ClientSession, cert_dir: Path) -> Api:
    return Api(fs, session, client_context(cert_dir))


# -- sign rule and vectors ------------------------------------------------------------


def test_seed_sign_examples() -> None:
    example = {
        "app_id": "2039dds",
        "product_id": "389238",
        "user_id": "29389",
        "content": "newproductmask",
        "environment": "test",
        "timestamp": "1593029283",
        "random": "289192",
    }
    str1 = (
        "app_id=2039dds&content=newproductmask&environment=test&product_id=389238"
        "&random=289192&timestamp=1593029283&user_id=29389"
    )
    assert sim_sign_string(example, "kdsofkdsnflke9382938k") == f"{str1}&key=kdsofkdsnflke9382938k"
    activation = {
        "app_id": "JO83UNV983U9OR",
        "random": "289192",
        "sn": "FS101D8BS00106",
        "timestamp": "1593029283",
    }
    assert md5_sign(activation, "12345678") == "72CB1C1031D3BA103D2FA1A57E171C2D"
    assert sim_sign_string(activation, "12345678") == (
        "app_id=JO83UNV983U9OR&random=289192&sn=FS101D8BS00106&timestamp=1593029283&key=12345678"
    )


def test_reference_vectors() -> None:
    assert discovery_packet(1, b"").hex() == "ffff33ff010100002" + "0ab2c62"
    app = discovery_packet(1, base64.b64encode(b'{"reserve":"111"}'))
    assert app[:8].hex() == "ffff33ff01010018"
    assert app[8:-4] == b"eyJyZXNlcnZlIjoiMTExIn0="
    assert app[-4:].hex() == "37947cfe"
    assert channel_frame(3).hex() == "ff3e3eff0103000000000000"
    assert channel_frame(2, b'{"code":0}').hex() == (
        "ff3e3eff0102000a" + "7b22636f6465223a307d" + "723cae98"
    )


# -- discovery ------------------------------------------------------------------------


class Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[bytes, Any]] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.queue.put_nowait((data, addr))


async def test_discovery_answers_unicast(make_sim: Factory) -> None:
    sim = await make_sim(host="127.0.0.32", mac="04:12:24:E3:45:12", firmware="1.1.0")
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        Collector, local_addr=("127.0.0.1", 0)
    )
    try:
        target = (sim.host, sim.discovery_port)
        requests = [
            discovery_packet(1, b""),
            discovery_packet(1, base64.b64encode(b'{"reserve":"111"}')),
            discovery_packet(1, b"", crc_order="little"),
        ]
        for request in requests:
            transport.sendto(request, target)
            data, addr = await asyncio.wait_for(collector.queue.get(), 2)
            assert addr == target  # unicast, from the device's own address
            assert data[:6] == b"\xff\xff\x33\xff\x01\x02"
            (length,) = struct.unpack(">H", data[6:8])
            assert len(data) == 8 + length + 4
            assert data[-4:] == zlib.crc32(data[:-4]).to_bytes(4, "big")
            info = json.loads(base64.b64decode(data[8:-4], validate=True))
            assert info == {
                "ip": "127.0.0.32",
                "mac": "04:12:24:E3:45:12",
                "firmware": "1.1.0",
                "name": "SUNMI",
                "model": "FM020",
                "type": "IPC",
                "network": "LAN",
                "deviceid": FS_SN,
            }
    finally:
        transport.close()


async def test_discovery_drops_invalid(make_sim: Factory) -> None:
    sim = await make_sim(host="127.0.0.33")
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        Collector, local_addr=("127.0.0.1", 0)
    )
    good = discovery_packet(1, b"")
    bad_crc = good[:-1] + bytes([good[-1] ^ 1])
    bad_flag = b"\xff\xff\x33\xfe" + good[4:8]
    bad_flag += zlib.crc32(bad_flag).to_bytes(4, "big")
    bad_version = b"\xff\xff\x33\xff\x02\x01\x00\x00"
    bad_version += zlib.crc32(bad_version).to_bytes(4, "big")
    payload = base64.b64encode(b'{"reserve":"111"}')
    truncated = discovery_packet(1, payload)[:-6]
    not_base64 = discovery_packet(1, b"!!!!")
    bad = [
        bad_crc,
        bad_flag,
        bad_version,
        discovery_packet(2, b""),  # a response is no request
        truncated,
        good + b"\x00",
        good[:10],
        not_base64,
    ]
    try:
        for datagram in bad:
            transport.sendto(datagram, (sim.host, sim.discovery_port))
        transport.sendto(good, (sim.host, sim.discovery_port))
        await asyncio.wait_for(collector.queue.get(), 2)  # only the good one is answered
        await asyncio.sleep(0.1)
        assert collector.queue.empty()
        assert sim.discovery is not None
        assert sim.discovery.dropped == len(bad)
        assert sim.discovery.answered == 1
    finally:
        transport.close()


async def test_ss_discovery_model_and_override(make_sim: Factory) -> None:
    ss = await make_sim(host="127.0.0.34", model="SS", sn=SS_SN)
    custom = await make_sim(host="127.0.0.35", discovery_model="FM020X")
    assert ss.discovery_info()["model"] == "FM010"
    assert custom.discovery_info()["model"] == "FM020X"


async def test_several_simulators_share_port_numbers(make_sim: Factory) -> None:
    first = await make_sim(host="127.0.0.33")
    ports = {
        "https_port": first.https_port,
        "channel_port": first.channel_port,
        "discovery_port": first.discovery_port,
    }
    second = await make_sim(host="127.0.0.34", model="SS", sn=SS_SN, **ports)
    assert (second.https_port, second.channel_port, second.discovery_port) == tuple(ports.values())
    assert first.p12_path == second.p12_path  # one openapi.p12 for every simulated IPC
    assert first.server_fingerprint != second.server_fingerprint


# -- TLS --------------------------------------------------------------------------------


async def test_mtls_required(fs: SunmiSimulator, cert_dir: Path) -> None:
    without = client_context(cert_dir, with_cert=False)
    foreign_ca = make_ca()
    foreign = make_client(foreign_ca)
    (cert_dir / "foreign.pem").write_bytes(foreign.cert)
    (cert_dir / "foreign-key.pem").write_bytes(foreign.key)
    wrong = ssl.create_default_context()
    wrong.check_hostname = False
    wrong.verify_mode = ssl.CERT_NONE
    wrong.load_cert_chain(cert_dir / "foreign.pem", cert_dir / "foreign-key.pem")
    for port in (fs.https_port, fs.channel_port):
        for context in (without, wrong):
            with pytest.raises((ssl.SSLError, ConnectionError)):
                await asyncio.open_connection(fs.host, port, ssl=context)
        _, writer = await asyncio.open_connection(fs.host, port, ssl=client_context(cert_dir))
        certificate = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
        assert hashlib.sha256(certificate).hexdigest() == fs.server_fingerprint
        writer.close()
        await writer.wait_closed()
    server = x509.load_der_x509_certificate(certificate)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert [str(ip) for ip in san.value.get_values_for_type(x509.IPAddress)] == [fs.host]


def test_p12_is_password_protected(fs: SunmiSimulator) -> None:
    assert fs.p12_path.name == "openapi.p12"
    assert fs.p12_password == PASSWORD
    data = fs.p12_path.read_bytes()
    with pytest.raises(ValueError):  # noqa: PT011
        pkcs12.load_key_and_certificates(data, b"wrong")
    key, cert, extra = pkcs12.load_key_and_certificates(data, PASSWORD.encode())
    assert key is not None
    assert cert is not None
    assert len(extra) == 1
    cert.verify_directly_issued_by(extra[0])


# -- authentication -----------------------------------------------------------------------


async def test_activation_flow(make_sim: Factory, session: aiohttp.ClientSession) -> None:
    sim = await make_sim(host="127.0.0.36", activated=False)
    api = Api(sim, session, client_context(Path(sim.p12_path).parent))
    assert await api.code("/openapi/device/getInfo") == 5
    assert await api.code("/openapi/hook/query") == 5
    activate = "/openapi/device/activate"
    assert await api.code(activate, sn=FS_SN) == 3  # signed with the secret key
    assert await api.code(activate, key=ACTIVATION, sn="FS101D8BS00999") == 4
    params = signed(ACTIVATION, app_id="OTHERAPP", sn=FS_SN)
    assert (await api.raw(activate, params))[1]["code"] == 4
    stale = {"app_id": APP_ID, "timestamp": str(int(time.time()) - 400), "random": "289192"}
    stale["sn"] = FS_SN
    stale["sign"] = md5_sign(stale, ACTIVATION)
    assert (await api.raw(activate, stale))[1]["code"] == 2  # activate lists no 7
    assert await api.code(activate, key=ACTIVATION) == 2  # no sn
    assert await api.code(activate, key=ACTIVATION, sn=FS_SN) == 0
    assert await api.code(activate, key=ACTIVATION, sn=FS_SN) == 11
    info = await api.ok("/openapi/device/getInfo")
    assert list(info) == [
        "sn",
        "model_name",
        "name",
        "software_version",
        "hardware_version",
        "ip",
        "mac",
    ]
    assert info["sn"] == FS_SN
    assert info["model_name"] == "FS"
    assert info["ip"] == sim.host
    groups = await api.ok("/openapi/face/getGroupList")
    assert sorted(g["name"] for g in groups["face_group"]) == ["regular", "stranger"]


async def test_request_rejections(api: Api) -> None:
    path = "/openapi/config/getLedSwitch"
    good = signed()
    assert (await api.raw(path, good))[1] == {"code": 0, "data": {"led_switch": 1}}
    assert (await api.raw(path, good))[1]["code"] == 7  # replay
    bad_sign = signed()
    bad_sign["sign"] = "0" * 32
    assert (await api.raw(path, bad_sign))[1]["code"] == 3
    lower = signed()
    lower["sign"] = lower["sign"].lower()
    assert (await api.raw(path, lower))[1]["code"] == 3
    assert (await api.raw(path, signed(app_id="SOMEONEELSE")))[1]["code"] == 7
    for skew in (-301, 301):
        params = {"app_id": APP_ID, "timestamp": str(int(time.time()) + skew), "random": "abc123"}
        params["sign"] = md5_sign(params, SECRET)
        assert (await api.raw(path, params))[1]["code"] == 7
    for missing in ("app_id", "timestamp", "random", "sign"):
        params = signed()
        del params[missing]
        assert (await api.raw(path, params))[1]["code"] == 2
    for bad_random in ("12345", "12345678901", "abc-12"):
        params = {"app_id": APP_ID, "timestamp": str(int(time.time())), "random": bad_random}
        params["sign"] = md5_sign(params, SECRET)
        assert (await api.raw(path, params))[1]["code"] == 2
    # Private parameters are signed too.
    tampered = signed(led_switch="1")
    tampered["led_switch"] = "0"
    assert (await api.raw("/openapi/config/setLedSwitch", tampered))[1]["code"] == 3
    assert (await api.raw("/openapi/config/nothing", signed()))[0] == 404
    async with api.session.get(api.sim.url + path, ssl=api.tls) as resp:
        assert resp.status == 405
    # The response is JSON with "code" first.
    async with api.session.post(api.sim.url + path, data=signed(), ssl=api.tls) as resp:
        assert resp.content_type == "application/json"
        assert (await resp.text()).startswith('{\n\t"code":')
    assert api.sim.requests[path] == 15  # the GET (405) is not counted


async def test_without_auth_wifi(make_sim: Factory, session: aiohttp.ClientSession) -> None:
    sim = await make_sim(host="127.0.0.37", activated=False)
    api = Api(sim, session, client_context(Path(sim.p12_path).parent))
    path = "/openapi/config/setWifiConfWithoutAuth"
    assert (await api.raw(path, {"ssid": "sunmi_ipc", "password": "1234567890"}))[1] == {"code": 0}
    status, body = await api.raw("/openapi/config/getApListWithoutAuth", {})
    assert body["data"]["num"] == len(body["data"]["ap_list"])
    assert await api.code("/openapi/device/activate", key=ACTIVATION, sn=FS_SN) == 0
    assert (await api.raw(path, {"ssid": "x", "password": ""}))[1] == {"code": 12}
    assert await api.ok("/openapi/config/getWifiConf") == {
        "ssid": "sunmi_ipc",
        "password": "1234567890",
    }


# -- configuration ----------------------------------------------------------------------


async def test_config_endpoints(api: Api) -> None:
    config = "/openapi/config/"
    assert await api.ok(config + "getIrMode") == {"irmode": 2}
    assert await api.ok(config + "setIrMode", irmode=1) is None
    assert await api.ok(config + "getIrMode") == {"irmode": 1}
    assert await api.code(config + "setIrMode", irmode=3) == 113

    detect = {"motion_level": 1, "audio_level": 3, "weekday": 21, "start_time": 60}
    assert await api.code(config + "setDynamicDetect", **detect) == 117  # no stop_time
    assert await api.ok(config + "setDynamicDetect", **detect, stop_time=121) is None
    assert await api.ok(config + "getDynamicDetect") == {**detect, "stop_time": 121}
    assert await api.code(config + "setDynamicDetect", **{**detect, "motion_level": 4}) == 114
    assert await api.code(config + "setDynamicDetect", **{**detect, "audio_level": -1}) == 115
    assert await api.code(config + "setDynamicDetect", **{**detect, "weekday": 256}) == 116

    assert await api.ok(config + "setLedSwitch", led_switch=0) is None
    assert await api.ok(config + "getLedSwitch") == {"led_switch": 0}
    assert await api.code(config + "setLedSwitch", led_switch=2) == 119
    assert api.sim.state.led_switch == 0

    assert await api.ok(config + "getRotationAngles") == {"angles": ["0", "180"]}
    assert await api.code(config + "setRotation", rotation=90) == 120
    assert await api.ok(config + "setRotation", rotation=180) is None
    assert await api.ok(config + "getRotation") == {"rotation": 180}

    assert await api.ok(config + "updateName", name="front_door") is None
    assert await api.ok(config + "getName") == {"name": "front_door"}
    assert (await api.ok("/openapi/device/getInfo"))["name"] == "front_door"
    assert await api.code(config + "updateName", name="x" * 37) == 118

    assert await api.code(config + "setZoom", zoom=501) == 110
    assert await api.ok(config + "setZoom", zoom=200) is None
    assert await api.ok(config + "manualFocus", focus=100) is None
    assert await api.code(config + "manualFocus", focus=781) == 111
    assert await api.ok(config + "autoFocus", focus_x=30, focus_y=70) is None
    assert await api.code(config + "autoFocus", focus_x=30) == 112
    assert await api.ok(config + "getZoomFocusConf") == {
        "zoom": 200,
        "max_zoom": 500,
        "max_focus": 780,
        "focus": 100,
        "focused_x": 30,
        "focused_y": 70,
    }
    assert await api.ok(config + "resetZoomFocus") is None
    assert (await api.ok(config + "getZoomFocusConf"))["zoom"] == 0

    assert await api.ok(config + "getAiFaceConfig") == {"optimize_seconds": 2}
    assert await api.ok(config + "setAiFaceConfig", optimize_seconds=6) == {"optimize_seconds": 6}
    assert await api.code(config + "setAiFaceConfig", optimize_seconds=7) == 1

    ip = await api.ok(config + "getIpConfiguration")
    assert ip["ipaddr"] == api.sim.host
    assert set(ip) == {"proto", "ipaddr", "netmask", "gateway", "dns1", "dns2"}


async def test_ss_model_limits(
    make_sim: Factory, session: aiohttp.ClientSession, cert_dir: Path
) -> None:
    ss = await make_sim(host="127.0.0.38", model="SS", sn=SS_SN)
    api = Api(ss, session, client_context(cert_dir))
    config = "/openapi/config/"
    assert await api.ok(config + "getRotationAngles") == {"angles": ["0", "90", "180", "270"]}
    assert await api.ok(config + "setRotation", rotation=270) is None
    assert await api.code(config + "setZoom", zoom=100) == 110
    assert await api.code(config + "manualFocus", focus=100) == 111
    assert await api.code(config + "autoFocus", focus_x=1, focus_y=1) == 112
    assert await api.code(config + "getZoomFocusConf") == 1
    assert await api.code(config + "getAiFaceConfig") == 1
    assert await api.code("/openapi/face/getGroupList") == 1
    assert await api.code("/openapi/peopleFlow/getDoorLine") == 277
    assert await api.code("/openapi/peopleFlow/getConfig") == 1
    hook = {"event_list": '["face_recog_event"]', "http_callback": "http://127.0.0.1:9/x"}
    assert await api.code("/openapi/hook/add", **hook) == 311
    assert (await api.ok("/openapi/device/getInfo"))["model_name"] == "SS"
    assert await ss.publish_face() == 0


async def test_sd_card_format(api: Api) -> None:
    config = "/openapi/config/"
    assert await api.ok(config + "getMemoryCardStatus") == {"status": 2}
    assert await api.ok(config + "formatMemoryCard") is None
    assert await api.ok(config + "getMemoryCardStatus") == {"status": 3}
    assert await api.code(config + "formatMemoryCard") == 221
    await asyncio.sleep(0.35)
    assert await api.ok(config + "getMemoryCardStatus") == {"status": 2}
    api.sim.state.sd_status = 0
    assert await api.code(config + "formatMemoryCard") == 220
    assert await api.ok(config + "getMemoryCardStatus") == {"status": 0}


# -- media ------------------------------------------------------------------------------


async def test_snapshot_and_live_stream(api: Api) -> None:
    live = await api.ok("/openapi/media/getLiveStream")
    assert re.fullmatch(r"rtsp://127\.0\.0\.31/[0-9a-f]{32}/live_hd\.sdp", live["hd_live_url"])
    assert live["fhd_live_url"].endswith("/live_fhd.sdp")
    url = (await api.ok("/openapi/media/getSnapshot"))["snapshot_url"]
    assert re.fullmatch(
        rf"{re.escape(api.sim.url)}/tmp/snapshot/FM020[0-9A-F]{{10}}_\d{{14}}\.jpg"
        r"\?auth_key=\d{10}-[0-9a-f]{32}",
        url,
    )
    async with api.session.get(url, ssl=api.tls) as resp:
        assert resp.status == 200
        assert resp.content_type == "image/jpeg"
        image = Image.open(io.BytesIO(await resp.read()))
        assert image.format == "JPEG"
    forged = url[:-1] + ("0" if url[-1] != "0" else "1")
    async with api.session.get(forged, ssl=api.tls) as resp:
        assert resp.status == 403
    clip = await api.ok("/openapi/media/getCurVideos", preceding=4, following=0)
    async with api.session.get(clip["url"], ssl=api.tls) as resp:
        assert resp.status == 404  # "will take effect after 4 to 12 seconds"
    assert await api.code("/openapi/media/getCurVideos", preceding=3, following=0) == 236
    assert await api.code("/openapi/media/getPlaybackStream", start_time=5, end_time=4) == 235


# -- people flow ------------------------------------------------------------------------


async def test_people_flow(api: Api) -> None:
    flow = "/openapi/peopleFlow/"
    now = int(time.time())
    hour = now // 3600 * 3600
    span = {"start_time": hour - 3600, "end_time": hour + 3600, "period": 2}
    assert await api.code(flow + "getPeopleStat", **span) == 280  # nothing counted yet
    api.sim.people_flow_add(entered=3, exited=1, passed=4, when=hour - 1800, gender=1)
    api.sim.people_flow_add(entered=2, when=hour + 60, gender=2, age_range=3)
    inflow = await api.ok(flow + "getPeopleStat", **span)
    assert inflow["total"] == 5
    first, second = inflow["stat_list"]
    assert (first["start_time"], first["end_time"], first["total"]) == (hour - 3600, hour, 3)
    assert first["male_num_stat"] == [0, 0, 0, 0, 3, 0, 0, 0]
    assert second["female_num_stat"] == [0, 0, 2, 0, 0, 0, 0, 0]
    out = await api.ok(flow + "getPeopleStatOut", **span)
    assert out == {
        "total": 1,
        "stat_list": [
            {"start_time": hour - 3600, "end_time": hour, "total": 1},
            {"start_time": hour, "end_time": hour + 3600, "total": 0},
        ],
    }
    passing = await api.ok(flow + "getPeopleStatPass", **{**span, "period": 1})
    assert passing["total"] == 4
    assert len(passing["stat_list"]) == 4
    day = await api.ok(flow + "getPeopleStat", **{**span, "period": 3})
    assert len(day["stat_list"]) == 1
    assert await api.code(flow + "getPeopleStat", **{**span, "period": 4}) == 265
    assert await api.code(flow + "getPeopleStat", **{**span, "end_time": hour - 3600}) == 267
    assert await api.code(flow + "getPeopleStat", start_time=1) == 2

    assert await api.ok(flow + "getConfig") == {"facerecog_interval": 60, "customer_judgemode": 1}
    assert await api.ok(flow + "setConfig", facerecog_interval=10, customer_judgemode=0) is None
    assert await api.ok(flow + "getConfig") == {"facerecog_interval": 10, "customer_judgemode": 0}
    line = {"resolution": 1, "start_x": 100, "start_y": 700, "end_x": 1200, "end_y": 700}
    assert await api.ok(flow + "setDoorLine", **line) is None
    assert await api.ok(flow + "getDoorLine") == line
    assert await api.code(flow + "setDoorLine", **{**line, "end_x": 1500}) == 278
    assert await api.code(flow + "setDoorLine", resolution=0) == 2


# -- faces ------------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 150, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_face_groups_and_records(api: Api) -> None:
    face = "/openapi/face/"
    assert await api.ok(face + "createGroup", name="vip", capacity=100, description="gold") is None
    assert await api.code(face + "createGroup", name="vip", capacity=100, description="x") == 201
    assert await api.code(face + "createGroup", name=" x", capacity=1, description="x") == 200
    assert await api.code(face + "createGroup", name="big", capacity=30000, description="") == 202
    groups = await api.ok(face + "getGroupList")
    assert groups["num"] == 3
    stranger = next(g for g in groups["face_group"] if g["name"] == "stranger")
    assert (stranger["times"], stranger["period"]) == (5, 7)

    form = aiohttp.FormData()
    for key, value in signed(group_name="vip", faceid="1001", age="30", gender="1").items():
        form.add_field(key, value)
    form.add_field("pic", png_bytes(), filename="1001.png", content_type="image/png")
    status, body = await api.raw(face + "addFace", form)
    assert body == {"code": 0, "data": {"faceid": "1001"}}
    bad = aiohttp.FormData()
    for key, value in signed(group_name="vip").items():
        bad.add_field(key, value)
    bad.add_field("pic", b"not a picture", filename="x.jpg", content_type="image/jpeg")
    assert (await api.raw(face + "addFace", bad))[1]["code"] == 210
    multipart = aiohttp.FormData()
    for key, value in signed().items():
        multipart.add_field(key, value)
    multipart.add_field("x", b"1", filename="x.bin")
    assert (await api.raw("/openapi/device/getInfo", multipart))[1]["code"] == 2

    record = await api.ok(face + "getFace", faceid="1001")
    assert record == {
        "arrive_time": 0,
        "arrive_count": 0,
        "faceid": "1001",
        "group_name": "vip",
        "gender": 1,
        "age": 30,
        "age_range": 5,
    }
    assert await api.code(face + "getFace", faceid="9") == 211
    listing = await api.ok(face + "getFaceList", group_name="vip")
    assert (listing["total_num"], listing["num"]) == (1, 1)
    assert listing["faceid_list"][0]["faceid"] == "1001"
    assert await api.code(face + "deleteGroup", name="vip") == 205
    deleted = await api.ok(
        face + "deleteFace", group_name="vip", num=2, faceid_list='["1001","1002"]'
    )
    assert deleted == {"success_list": ["1001"], "failed_list": [], "not_exist_list": ["1002"]}
    assert await api.ok(face + "deleteGroup", name="vip") is None
    assert await api.code(face + "deleteGroup", name="stranger") == 201
    assert await api.code(face + "deleteGroup", name="vip") == 204


# -- HTTP callbacks ---------------------------------------------------------------------


async def test_hooks_push_signed_multipart(api: Api) -> None:
    received: list[tuple[str | None, dict[str, str], str]] = []

    async def handler(request: web.Request) -> web.Response:
        form = await request.post()
        fields = {key: str(value) for key, value in form.items()}
        received.append((request.remote, fields, request.headers["Content-Type"]))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/msg", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        events = '["face_recog_event","dynamic_detect_event"]'
        callback = f"http://127.0.0.1:{port}/msg"
        assert await api.ok("/openapi/hook/add", event_list=events, http_callback=callback) is None
        assert (
            await api.code("/openapi/hook/add", event_list='["x"]', http_callback=callback) == 310
        )
        assert await api.code("/openapi/hook/add", event_list="nope", http_callback=callback) == 2
        query = await api.ok("/openapi/hook/query")
        assert query == {
            "num": 2,
            "sub_event": [
                {"event": "face_recog_event", "http_callback": [callback]},
                {"event": "dynamic_detect_event", "http_callback": [callback]},
            ],
        }
        assert await api.sim.publish_motion(detect_type=2) == 1
        assert await api.sim.publish_face(faceid="358526", group_name="vip", name="Ann") == 1
        remote, fields, content_type = received[0]
        assert remote == api.sim.host  # the push leaves from the camera's own address
        assert content_type.startswith("multipart/form-data; boundary=")
        assert list(fields) == ["app_id", "random", "timestamp", "sign", "payload"]
        assert fields["app_id"] == APP_ID
        assert abs(int(fields["timestamp"]) - time.time()) < 5
        assert fields["sign"] == md5_sign(
            {k: fields[k] for k in ("app_id", "random", "timestamp", "payload")}, SECRET
        )
        motion = json.loads(fields["payload"])
        assert motion["event_type"] == "dynamic_detect_event"
        assert motion["detect_type"] == 2
        assert motion["sn"] == FS_SN
        assert re.search(
            r"/mnt/sd-card/sunmi_video/video_detect/\d{10}\.flv\?auth_key=", motion["video_url"]
        )
        face = json.loads(received[1][1]["payload"])
        assert face["event_type"] == "face_recog_event"
        assert face["event_id"] == motion["event_id"] + 1
        assert (face["faceid"], face["group_name"], face["item1"]) == ("358526", "vip", "Ann")
        assert {"age", "age_range", "gender", "arrive_times", "cloud_faceid"} <= set(face)
        async with api.session.get(face["pic_url"], ssl=api.tls) as resp:
            assert resp.status == 200
            assert Image.open(io.BytesIO(await resp.read())).format == "JPEG"
        assert await api.ok("/openapi/hook/delete", event_list='["face_recog_event"]') is None
        assert await api.sim.publish_face() == 0
        assert len(received) == 2
    finally:
        await runner.cleanup()


# -- message channel ----------------------------------------------------------------------


def connect_payload(key: str = SECRET, keep_alive: int | str = 30, **overrides: Any) -> bytes:
    fields: dict[str, Any] = {
        "app_id": APP_ID,
        "timestamp": str(int(time.time())),
        "random": os.urandom(4).hex(),
        "keep_alive": keep_alive,
    }
    fields.update(overrides)
    fields["sign"] = md5_sign({k: str(v) for k, v in fields.items()}, key)
    return json.dumps(fields).encode()


async def open_channel(
    sim: SunmiSimulator, cert_dir: Path, payload: bytes | None = None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, Any]:
    reader, writer = await asyncio.open_connection(
        sim.host, sim.channel_port, ssl=client_context(cert_dir)
    )
    writer.write(channel_frame(1, connect_payload() if payload is None else payload))
    header, packet_type, body, crc = await read_raw(reader)
    assert packet_type == 2
    return reader, writer, json.loads(body)


async def closes(reader: asyncio.StreamReader, timeout: float = 3) -> bytes:
    """Everything the server still sends before it closes the connection."""
    return await asyncio.wait_for(reader.read(-1), timeout)


async def test_channel_connect_subscribe_publish(fs: SunmiSimulator, cert_dir: Path) -> None:
    reader, writer, connack = await open_channel(fs, cert_dir)
    assert connack == {"code": 0}
    try:
        writer.write(channel_frame(3))
        assert await read_raw(reader) == (
            bytes.fromhex("ff3e3eff01040000"),
            4,
            b"",
            b"\x00\x00\x00\x00",
        )
        writer.write(channel_frame(5, b'{"event_list":["dynamic_detect_event","bogus"]}'))
        assert await read_frame(reader) == (6, {"code": 310})
        writer.write(channel_frame(5, b"[]"))
        assert await read_frame(reader) == (6, {"code": 2})
        writer.write(channel_frame(5, b'{"event_list":["dynamic_detect_event"]}'))
        assert await read_frame(reader) == (6, {"code": 0})

        assert await fs.publish_motion(detect_type=1) == 1
        assert await fs.publish_face() == 0  # not subscribed to faces
        packet_type, event = await read_frame(reader)
        assert packet_type == 9
        assert set(event) == {
            "event_id",
            "event_type",
            "sn",
            "report_time",
            "detect_type",
            "video_url",
        }
        assert (event["event_type"], event["sn"], event["detect_type"]) == (
            "dynamic_detect_event",
            FS_SN,
            1,
        )
        writer.write(channel_frame(10, json.dumps({"event_id": event["event_id"]}).encode()))

        # Not acknowledged: sent once more after resend_seconds, then never again.
        assert await fs.publish_motion() == 1
        first = await read_frame(reader)
        again = await read_frame(reader)
        assert first == again
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(reader.readexactly(1), 0.5)

        writer.write(channel_frame(7, b'{"event_list":["dynamic_detect_event"]}'))
        assert await read_frame(reader) == (8, {"code": 0})
        assert await fs.publish_motion() == 0
        writer.write(channel_frame(11))
        assert await closes(reader) == b""
        await asyncio.sleep(0.05)
        assert fs.channel.disconnects["client_disconnect"] == 1
    finally:
        writer.close()


async def test_channel_connect_rejections(
    make_sim: Factory, fs: SunmiSimulator, cert_dir: Path
) -> None:
    cases = [
        (connect_payload(key="WRONG"), 3),
        (connect_payload(app_id="OTHER"), 7),
        (connect_payload(timestamp=str(int(time.time()) - 1000)), 7),
        (connect_payload(keep_alive=0), 2),
        (b"not json", 2),
        (json.dumps({"app_id": APP_ID}).encode(), 2),
    ]
    for payload, code in cases:
        reader, writer, connack = await open_channel(fs, cert_dir, payload)
        assert connack == {"code": code}
        assert await closes(reader) == b""
        writer.close()
    replayed = connect_payload()
    reader, writer, connack = await open_channel(fs, cert_dir, replayed)
    assert connack == {"code": 0}
    writer.close()
    reader, writer, connack = await open_channel(fs, cert_dir, replayed)
    assert connack == {"code": 7}
    writer.close()
    # keep_alive sent as a string, signed as its text, is fine too.
    reader, writer, connack = await open_channel(fs, cert_dir, connect_payload(keep_alive="15"))
    assert connack == {"code": 0}
    writer.close()

    inactive = await make_sim(host="127.0.0.36", activated=False)
    reader, writer, connack = await open_channel(inactive, cert_dir)
    assert connack == {"code": 5}
    writer.close()
    ss = await make_sim(host="127.0.0.38", model="SS", sn=SS_SN)
    reader, writer, connack = await open_channel(ss, cert_dir)
    writer.write(channel_frame(5, b'{"event_list":["face_recog_event"]}'))
    assert await read_frame(reader) == (6, {"code": 311})
    writer.close()

    # Anything but CONNECT first, and client frames with a bad CRC or flag, drop the line.
    for frame in (
        channel_frame(3),
        channel_frame(1, connect_payload())[:-1] + b"\x00",
        b"\xff\x3e\x3e\xfe" + channel_frame(1, connect_payload())[4:],
    ):
        reader, writer = await asyncio.open_connection(
            fs.host, fs.channel_port, ssl=client_context(cert_dir)
        )
        writer.write(frame)
        assert await closes(reader) == b""
        writer.close()
    reader, writer, _ = await open_channel(fs, cert_dir)
    writer.write(channel_frame(3)[:-1] + b"\x01")
    assert await closes(reader) == b""
    writer.close()


async def test_channel_heartbeat_timeout(make_sim: Factory, cert_dir: Path) -> None:
    sim = await make_sim(host="127.0.0.39", keep_alive_unit=0.2)
    reader, writer, _ = await open_channel(sim, cert_dir, connect_payload(keep_alive=1))
    try:
        started = time.monotonic()
        for _ in range(4):  # pings every 0.2 s keep the 3 x 0.2 s heartbeat window alive
            await asyncio.sleep(0.2)
            writer.write(channel_frame(3))
            assert (await read_frame(reader))[0] == 4
        assert await read_frame(reader) == (11, None)  # DISCONNECT, three periods later
        elapsed = time.monotonic() - started
        assert 1.3 <= elapsed < 3
        assert await closes(reader) == b""
        assert sim.channel.disconnects == {"heartbeat": 1}
    finally:
        writer.close()


@pytest.mark.parametrize("kind", ["bad_crc", "bad_flag", "truncated", "bad_json", "wrong_shape"])
async def test_channel_corrupt_frames(fs: SunmiSimulator, cert_dir: Path, kind: str) -> None:
    reader, writer, _ = await open_channel(fs, cert_dir)
    try:
        writer.write(channel_frame(5, b'{"event_list":["dynamic_detect_event"]}'))
        assert await read_frame(reader) == (6, {"code": 0})
        assert fs.send_corrupt(kind) == 1
        assert await fs.publish_motion() == 1
        if kind == "truncated":
            data = await closes(reader)  # part of a frame, then the connection closes
            assert data[:6] == b"\xff\x3e\x3e\xff\x01\x09"
            assert len(data) < 8 + struct.unpack(">H", data[6:8])[0] + 4
            return
        header, packet_type, payload, crc = await read_raw(reader)
        assert packet_type == 9
        crc_ok = crc == zlib.crc32(payload).to_bytes(4, "big")
        if kind == "bad_crc":
            assert not crc_ok
        elif kind == "bad_flag":
            assert header[:4] != b"\xff\x3e\x3e\xff"
        elif kind == "bad_json":
            assert crc_ok
            with pytest.raises(ValueError):  # noqa: PT011
                json.loads(payload)
        else:
            assert crc_ok
            assert not isinstance(json.loads(payload), dict)
        # Unacknowledged, so the intact event follows.
        packet_type, event = await read_frame(reader)
        assert (packet_type, event["event_type"]) == (9, "dynamic_detect_event")
    finally:
        writer.close()


async def test_restart_drop_and_reboot(api: Api, cert_dir: Path) -> None:
    sim = api.sim
    reader, writer, _ = await open_channel(sim, cert_dir)
    assert sim.drop_channel() == 1
    assert await closes(reader) == b""
    writer.close()

    params = signed()
    assert (await api.raw("/openapi/config/getIrMode", params))[1]["code"] == 0
    assert (await api.raw("/openapi/config/getIrMode", params))[1]["code"] == 7
    reader, writer, _ = await open_channel(sim, cert_dir)
    sim.restart()
    assert await closes(reader) == b""
    writer.close()
    assert (await api.raw("/openapi/config/getIrMode", params))[1]["code"] == 0  # cache cleared

    reader, writer, _ = await open_channel(sim, cert_dir)
    assert await api.ok("/openapi/device/reboot") is None
    assert await closes(reader) == b""
    writer.close()
    assert sim.state.reboots == 1
    assert await api.ok("/openapi/device/reset") is None
    await asyncio.sleep(0.4)
    assert await api.code("/openapi/device/getInfo") == 5
    assert not sim.state.activated


async def test_control_api(make_sim: Factory, session: aiohttp.ClientSession) -> None:
    sim = await make_sim(host="127.0.0.32", control_port=0)
    assert sim.control_port
    base = f"http://{sim.host}:{sim.control_port}"
    async with session.post(f"{base}/motion", json={"detect_type": 1}) as resp:
        assert await resp.json() == {"delivered": 0}
    async with session.post(f"{base}/face", json={"faceid": "7", "name": "Bo"}) as resp:
        assert await resp.json() == {"delivered": 0}
    async with session.post(f"{base}/people_flow", json={"entered": 2, "passed": 1}) as resp:
        assert resp.status == 200
    async with session.post(f"{base}/corrupt", json={"kind": "nonsense"}) as resp:
        assert resp.status == 400
    async with session.post(f"{base}/corrupt", json={"kind": "bad_crc"}) as resp:
        assert await resp.json() == {"armed": 0}
    for path in ("/restart", "/drop"):
        async with session.post(base + path) as resp:
            assert resp.status == 200
    async with session.get(f"{base}/state") as resp:
        state = await resp.json()
    assert state["sn"] == FS_SN
    assert state["people_flow"] == {"entered": 2, "exited": 0, "passed": 1}
    assert state["channel_port"] == sim.channel_port


async def test_cli_prints_line_and_stops(cert_dir: Path) -> None:
    env = {**os.environ, "SUNMI_SIM_SECRET_KEY": SECRET, "PYTHONPATH": str(REPO)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulators.sunmi",
        "--host",
        "127.0.0.37",
        "--app-id",
        APP_ID,
        "--activation-code",
        ACTIVATION,
        "--model",
        "SS",
        "--sn",
        SS_SN,
        "--cert-dir",
        str(cert_dir),
        "--cert-password",
        PASSWORD,
        "--https-port",
        "0",
        "--channel-port",
        "0",
        "--discovery-port",
        "0",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert re.fullmatch(
            rf"SUNMI simulator listening on https://127\.0\.0\.37:\d+ sn={SS_SN} model=SS\n", line
        )
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
