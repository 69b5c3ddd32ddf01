"""Real H.264 video: the simulator's RTSP server, and through Home Assistant's stream."""

from __future__ import annotations

import asyncio
import socket
import time

import av.error
import pytest

from scripts import demo

from .hass import Registry
from .stack import RTSP_PORT, Stack, vigi_channel
from .video import first_frame, hls_start

pytestmark = pytest.mark.e2e

CHANNEL = vigi_channel(1)


def live_url(channel: int, stream: int, password: str = demo.SIM_PASSWORD) -> str:
    """The NVR's RTSP URL, as its document (section 5) gives it."""
    host = f"{demo.SIM_HOST}:{RTSP_PORT}"
    return f"rtsp://{demo.SIM_USERNAME}:{password}@{host}/live/{channel}/{stream}/avm"


@pytest.fixture
def rtsp(e2e: Stack) -> str:
    """The RTSP server's URL; a failure saying why it did not start otherwise."""
    if e2e.rtsp_url is None:
        pytest.fail(f"the VIGI RTSP server did not start: {e2e.rtsp_error}")
    return e2e.rtsp_url


def test_home_assistant_streams_the_main_stream(e2e: Stack, rtsp: str) -> None:
    camera = e2e.registry.entity(CHANNEL, "camera")
    sensor = e2e.registry.entity(CHANNEL, "sensor", "main_resolution")
    resolution = e2e.run(e2e.api.call("GET", f"/api/states/{sensor}"))["state"]
    frame = first_frame(e2e.run(hls_start(e2e.api, camera), timeout=45))
    assert f"{frame.width}*{frame.height}" == resolution == "1920*1080"


def test_rtsp_minor_stream(rtsp: str) -> None:
    frame = first_frame(live_url(3, 2))
    assert (frame.width, frame.height) == (640, 480)


def test_rtsp_wants_digest_credentials_of_the_nvr(rtsp: str) -> None:
    with socket.create_connection((demo.SIM_HOST, RTSP_PORT), timeout=5) as conn:
        request = (
            f"DESCRIBE rtsp://{demo.SIM_HOST}:{RTSP_PORT}/live/1/1/avm RTSP/1.0\r\nCSeq: 1\r\n\r\n"
        )
        conn.sendall(request.encode())
        answer = conn.recv(4096).decode()
    assert answer.startswith("RTSP/1.0 401 Unauthorized")
    assert 'WWW-Authenticate: Digest realm="vigi"' in answer
    with pytest.raises(av.error.HTTPUnauthorizedError):
        first_frame(live_url(1, 1, password="not-the-password"))
    with pytest.raises(av.error.HTTPNotFoundError):
        first_frame(live_url(demo.SIM_CHANNELS + 1, 1))


def test_a_cloud_camera_streams_from_its_local_rtsp_address(e2e: Stack, rtsp: str) -> None:
    """TUMS has no stream: the options give its camera one (here the NVR's channel 2)."""
    entry_id = e2e.demo.entries[demo.TUMS_TITLE]
    flows = "/api/config/config_entries/options/flow"

    async def scenario() -> tuple[int, int]:
        menu = await e2e.api.call("POST", flows, {"handler": entry_id})
        assert menu["menu_options"] == ["settings", "local_stream"]
        step = {"next_step_id": "local_stream"}
        form = await e2e.api.call("POST", f"{flows}/{menu['flow_id']}", step)
        assert form["step_id"] == "local_stream"
        answer = {"device": e2e.demo.tums_device, "stream_url": live_url(2, 1)}
        done = await e2e.api.call("POST", f"{flows}/{form['flow_id']}", answer)
        assert done["type"] == "create_entry"
        camera = await wait_for_entity(e2e, demo.TUMS_EVENT_DEVICE, "camera")
        frame = first_frame(await hls_start(e2e.api, camera))
        return frame.width, frame.height

    assert e2e.run(scenario(), timeout=90) == (1920, 1080)


async def wait_for_entity(e2e: Stack, device: str, domain: str, within: float = 30.0) -> str:
    """The entity once the reloaded entry has created it (and its state is not unavailable)."""
    deadline = time.monotonic() + within
    while True:
        registry = await Registry.read(e2e.api)
        try:
            entity_id = registry.entity(device, domain)
        except AssertionError:
            entity_id = None
        if entity_id is not None:
            state = await e2e.api.call("GET", f"/api/states/{entity_id}", expect=(200, 404))
            if state and state.get("state") not in (None, "unavailable"):
                return entity_id
        assert time.monotonic() < deadline, f"no {domain} entity of {device} after {within} s"
        await asyncio.sleep(0.5)
