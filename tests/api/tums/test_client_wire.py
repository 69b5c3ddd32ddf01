"""Wire-level checks against a scripted plain-HTTP server on 127.0.0.85."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from email.utils import formatdate
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.tums import auth
from custom_components.business_cameras.api.tums.client import TumsClient
from custom_components.business_cameras.api.tums.errors import (
    ClockSkewError,
    NotLicensedError,
    RateLimitedError,
)
from custom_components.business_cameras.api.tums.parsers import DeviceRef

from .test_auth import reference_signature

HOST = "127.0.0.85"
Handler = Callable[[web.Request, bytes], web.StreamResponse]


class Recorder:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.handler: Handler = lambda _r, _b: web.json_response({"error_code": 0})


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Recorder]]:
    recorder = Recorder()

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        recorder.requests.append((request.path, dict(request.headers), body))
        return recorder.handler(request, body)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://{HOST}:{port}", recorder
    await runner.cleanup()


@pytest.fixture
async def client(server: tuple[str, Recorder]) -> AsyncIterator[TumsClient]:
    async with aiohttp.ClientSession() as session:
        yield TumsClient(
            session,
            server[0],
            access_key="myAK",
            secret_key="mySK",
            terminal_id="term-1",
            backoff=0.0,
            clock=lambda: 1706701924.0,
        )


async def test_sent_bytes_are_signed_bytes(
    client: TumsClient, server: tuple[str, Recorder]
) -> None:
    _, recorder = server
    await client.set_push_config("http://127.0.0.1/hook", content_types=["人形"])
    path, headers, body = recorder.requests[0]
    assert path == "/tums/open/msgTranspond/v1/setAppMsgPushConfig"
    fields = auth.parse_authorization(headers["X-Authorization"])
    assert fields["Timestamp"] == "1706701924"
    assert fields["AccessKey"] == "myAK"
    assert fields["TerminalId"] == "term-1"
    assert len(fields["Nonce"]) == 32
    assert fields["Signature"] == reference_signature("mySK", "1706701924", path, body)
    assert json.loads(body)["msgContentType"] == ["人形"]
    assert headers["Content-Type"].startswith("application/json")
    assert "mySK" not in headers["X-Authorization"]


async def test_empty_body_is_braces_and_nonces_differ(
    client: TumsClient, server: tuple[str, Recorder]
) -> None:
    _, recorder = server
    await client.get_flow_sync_status()
    await client.get_flow_sync_status()
    (_, first, body), (_, second, _) = recorder.requests
    assert body == b"{}"
    nonce = auth.parse_authorization(first["X-Authorization"])["Nonce"]
    assert nonce != auth.parse_authorization(second["X-Authorization"])["Nonce"]


async def test_fail_list_raises_for_single_device(
    client: TumsClient, server: tuple[str, Recorder]
) -> None:
    _, recorder = server
    recorder.handler = lambda _r, _b: web.json_response(
        {"error_code": 0, "failList": [{"qrCode": "Q", "error_code": -88315}]}
    )
    with pytest.raises(NotLicensedError) as err:
        await client.reboot_device(DeviceRef(qr_code="Q"))
    assert err.value.device_id == "Q"
    fails = await client.reboot([DeviceRef(qr_code="Q"), DeviceRef(qr_code="R")])
    assert fails == [{"qrCode": "Q", "error_code": -88315}]
    sent = json.loads(recorder.requests[-1][2])
    assert sent == {"devList": [{"qrCode": "Q"}, {"qrCode": "R"}]}


async def test_batches_are_chunked(client: TumsClient, server: tuple[str, Recorder]) -> None:
    _, recorder = server
    refs = [DeviceRef(mac=f"00-00-00-00-{i // 256:02X}-{i % 256:02X}") for i in range(250)]
    await client.check_firmware(refs)
    sizes = [len(json.loads(body)["devList"]) for _, _, body in recorder.requests]
    assert sizes == [100, 100, 50]


async def test_http_429_and_retry_after(client: TumsClient, server: tuple[str, Recorder]) -> None:
    _, recorder = server
    recorder.handler = lambda _r, _b: web.Response(status=429, headers={"Retry-After": "7"})
    with pytest.raises(RateLimitedError) as err:
        await client.get_flow_sync_status()
    assert len(recorder.requests) == 4  # 1 + 3 bounded retries
    assert 0 < err.value.retry_after <= 7


async def test_skew_from_date_header(client: TumsClient, server: tuple[str, Recorder]) -> None:
    _, recorder = server
    recorder.handler = lambda _r, _b: web.json_response(
        {"error_code": -10302, "msg": "expired"},
        headers={"Date": formatdate(1706701924 + 900, usegmt=True)},
    )
    with pytest.raises(ClockSkewError) as err:
        await client.get_flow_sync_status()
    assert err.value.skew == 900


async def test_non_json_and_big_ids(client: TumsClient, server: tuple[str, Recorder]) -> None:
    _, recorder = server
    recorder.handler = lambda _r, _b: web.Response(text="<html>", content_type="text/html")
    with pytest.raises(ProtocolError):
        await client.get_flow_sync_status()
    page: dict[str, Any] = {
        "error_code": 0,
        "result": {"total": 1, "list": [{"regionId": 576620008413343087, "regionName": "r"}]},
    }
    recorder.handler = lambda _r, _b: web.Response(
        body=json.dumps(page).encode(), content_type="application/json"
    )
    regions = await client.list_regions()
    assert regions[0].id == "576620008413343087"
