"""The HTTPS client against a simulated camera on loopback: signing, mTLS, every endpoint."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.business_cameras.api.errors import (
    ApiError,
    AuthError,
    CertificateMismatchError,
    ConnectError,
    ProtocolError,
    UnsupportedError,
)
from custom_components.business_cameras.api.sunmi.errors import NotActivatedError
from custom_components.business_cameras.api.sunmi.parsers import DynamicDetect

from .conftest import ACTIVATION, ClientFactory, SimFactory, ssl_context_for

HOST = "127.0.0.34"


async def test_activation(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST, activated=False)
    client = make_client(sim)
    with pytest.raises(NotActivatedError) as caught:
        await client.get_info()
    assert caught.value.code == 5
    with pytest.raises(AuthError):
        await client.activate("wrong code", sim.sn)
    with pytest.raises(ApiError) as mismatch:
        await client.activate(ACTIVATION, "FS101D8BS99999")
    assert mismatch.value.code == 4
    await client.activate(ACTIVATION, sim.sn)
    assert sim.state.activated
    info = await client.get_info()
    assert info.sn == sim.sn
    with pytest.raises(ApiError) as again:
        await client.activate(ACTIVATION, sim.sn)
    assert again.value.code == 11


async def test_signed_calls_and_info(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    info = await client.get_info()
    assert (info.sn, info.model, info.software_version) == (sim.sn, "FS", "1.2.3")
    assert info.ip == HOST
    assert info.mac is not None
    assert info.mac == info.mac.upper()
    assert sim.requests["/openapi/device/getInfo"] == 1


async def test_wrong_secret_and_app_id(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    with pytest.raises(AuthError) as wrong_secret:
        await make_client(sim, secret_key="not S").get_info()
    assert wrong_secret.value.code == 3
    assert "not S" not in str(wrong_secret.value)
    with pytest.raises(AuthError) as wrong_app:
        await make_client(sim, app_id="B").get_info()
    assert wrong_app.value.code == 7


async def test_clock_far_off_is_rejected(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, clock=lambda: time.time() - 3600)
    with pytest.raises(AuthError):
        await client.get_info()


async def test_every_request_has_a_fresh_random(
    make_sim: SimFactory, make_client: ClientFactory, session: aiohttp.ClientSession
) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    # Many calls in a row: the camera's replay check never trips.
    await asyncio.gather(*(client.get_led() for _ in range(40)))
    assert sim.requests["/openapi/config/getLedSwitch"] == 40
    # A captured request replayed as-is is refused (code 7).
    form = client.signed_params()
    url = f"{sim.url}/openapi/config/getLedSwitch"
    context = client.ssl_context
    async with session.post(url, data=form, ssl=context) as first:
        assert (await first.json(content_type=None))["code"] == 0
    async with session.post(url, data=form, ssl=context) as replay:
        assert (await replay.json(content_type=None))["code"] == 7


async def test_settings_round_trip(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.set_led(False)
    assert await client.get_led() is False
    await client.set_led(True)
    assert await client.get_led() is True

    detect = await client.get_dynamic_detect()
    changed = DynamicDetect(0, 3, 0b0010101, 60, 121)
    await client.set_dynamic_detect(changed)
    assert await client.get_dynamic_detect() == changed
    assert detect != changed

    for mode in (0, 1, 2):
        await client.set_ir_mode(mode)
        assert await client.get_ir_mode() == mode

    assert await client.get_rotation_angles() == [0, 180]
    await client.set_rotation(180)
    assert await client.get_rotation() == 180
    with pytest.raises(ApiError) as refused:
        await client.set_rotation(90)
    assert refused.value.code == 120

    await client.set_zoom(200)
    await client.manual_focus(300)
    conf = await client.get_zoom_focus()
    assert (conf.zoom, conf.focus, conf.max_zoom, conf.max_focus) == (200, 300, 500, 780)
    await client.auto_focus(20, 80)
    conf = await client.get_zoom_focus()
    assert (conf.focus_x, conf.focus_y) == (20, 80)
    await client.reset_zoom_focus()
    assert (await client.get_zoom_focus()).zoom == 0

    await client.set_face_config(6)
    assert await client.get_face_config() == 6
    await client.set_name("Front door")
    assert await client.get_name() == "Front door"
    config = await client.get_people_flow_config()
    assert (config.facerecog_interval, config.customer_judgemode) == (60, 1)


async def test_local_range_checks(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    with pytest.raises(ValueError, match="zoom"):
        await client.set_zoom(501)
    with pytest.raises(ValueError, match="irmode"):
        await client.set_ir_mode(3)
    with pytest.raises(ValueError, match="optimize_seconds"):
        await client.set_face_config(7)
    assert sum(sim.requests.values()) == 0


async def test_memory_card_and_format(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST, format_seconds=0.5)
    client = make_client(sim)
    card = await client.get_memory_card()
    assert card.status_name == "normal"
    await client.format_memory_card()
    assert (await client.get_memory_card()).status == 3  # the simulator's "formatting"
    with pytest.raises(ApiError) as busy:
        await client.format_memory_card()
    assert busy.value.code == 221
    await asyncio.sleep(0.6)
    assert (await client.get_memory_card()).status_name == "normal"
    sim.state.sd_status = 0
    assert (await client.get_memory_card()).status_name == "miss"
    with pytest.raises(ApiError) as missing:
        await client.format_memory_card()
    assert missing.value.code == 220


async def test_people_flow_today(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    flow = await client.people_flow_today()
    assert (flow.entered, flow.exited, flow.passed) == (0, 0, 0)  # "no record" reads as 0
    sim.people_flow_add(entered=3, exited=1, passed=7)
    flow = await client.people_flow_today()
    assert (flow.entered, flow.exited, flow.passed) == (3, 1, 7)
    stat = await client.people_in(int(time.time()) - 3600, int(time.time()) + 1, 1)
    assert stat.total == 3
    assert sum(sum(p.male) + sum(p.female) for p in stat.periods) == 3


async def test_people_flow_on_a_store_sense(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST, model="SS")
    client = make_client(sim)
    with pytest.raises(ApiError) as caught:
        await client.people_flow_today()
    assert caught.value.code == 277


async def test_media(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    live = await client.get_live_stream()
    assert live.fhd_url is not None
    assert live.fhd_url.startswith(f"rtsp://{HOST}/")
    assert live.hd_url is not None
    jpeg = await client.snapshot()
    assert jpeg.startswith(b"\xff\xd8")
    url = await client.get_snapshot_url()
    # The host of a named URL is never followed: the file comes from the camera.
    moved = url.replace(HOST, "192.0.2.1")
    assert (await client.fetch_url(moved)).startswith(b"\xff\xd8")
    with pytest.raises(ProtocolError):
        await client.fetch_url(url.replace("https://", "http://"))
    with pytest.raises(ProtocolError):
        await client.fetch_url(url.split("?")[0], expect_jpeg=True)  # no auth_key: 403


async def test_unknown_endpoint_is_unsupported(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    with pytest.raises(UnsupportedError, match="404"):
        await make_client(sim).call("config/getTeleporter")


async def test_hooks(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    assert await client.hook_query() == []
    await client.hook_add(["dynamic_detect_event", "face_recog_event"], "http://127.0.0.1:1/x")
    hooks = {hook.event: hook.callbacks for hook in await client.hook_query()}
    assert hooks == {
        "dynamic_detect_event": ("http://127.0.0.1:1/x",),
        "face_recog_event": ("http://127.0.0.1:1/x",),
    }
    await client.hook_delete(["face_recog_event"])
    assert [hook.event for hook in await client.hook_query()] == ["dynamic_detect_event"]


async def test_reboot_and_reset(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim)
    await client.reboot()
    await asyncio.sleep(0.3)
    assert sim.state.reboots == 1
    await client.factory_reset()
    await asyncio.sleep(0.3)
    with pytest.raises(NotActivatedError):
        await client.get_info()


async def test_certificate_mismatch(make_sim: SimFactory, make_client: ClientFactory) -> None:
    sim = await make_sim(HOST)
    client = make_client(sim, fingerprint="ab" * 32)
    with pytest.raises(CertificateMismatchError) as caught:
        await client.get_info()
    assert caught.value.got == sim.server_fingerprint
    assert sum(sim.requests.values()) == 0  # nothing was sent


async def test_without_the_client_certificate(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    import ssl

    sim = await make_sim(HOST)
    bare = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    bare.check_hostname = False
    bare.verify_mode = ssl.CERT_NONE
    with pytest.raises(ConnectError):
        await make_client(sim, ssl_context=bare).get_info()


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A TCP port that accepts and never answers (no TLS handshake)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, HOST, 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_timeout_is_a_connect_error(
    make_sim: SimFactory,
    make_client: ClientFactory,
    silent_port: int,
    session: aiohttp.ClientSession,
) -> None:
    sim = await make_sim(HOST)
    from custom_components.business_cameras.api.sunmi.client import SunmiClient

    client = SunmiClient(
        session,
        HOST,
        app_id="A",
        secret_key="S",
        ssl_context=ssl_context_for(sim),
        fingerprint=sim.server_fingerprint,
        port=silent_port,
        timeout=0.5,
    )
    started = time.monotonic()
    with pytest.raises(ConnectError, match="no answer"):
        await client.get_info()
    assert time.monotonic() - started < 2
