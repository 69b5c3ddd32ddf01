"""Video out of Home Assistant's HLS stream and the simulator's RTSP server, decoded with PyAV."""

from __future__ import annotations

import asyncio
import io
import re
import time
from urllib.parse import urljoin

import av
import av.video

from scripts.demo import HassApi

from .hass import ws

HLS_TIMEOUT = 30.0
# The first independent part of a low-latency playlist, or a whole segment.
MEDIA_URI = re.compile(r'^#EXT-X-PART:.*URI="([^"]+)".*INDEPENDENT=YES|^([^#\s].*)$', re.MULTILINE)
MAP_URI = re.compile(r'#EXT-X-MAP:URI="([^"]+)"')


async def _get(api: HassApi, url: str) -> bytes:
    async with api.session.get(url) as resp:
        assert resp.status == 200, f"GET {url}: {resp.status}"
        return await resp.read()


async def hls_start(api: HassApi, camera: str) -> bytes:
    """Open the camera's HLS stream as the frontend does; init section + first media, as MP4.

    The master playlist answers once the stream worker has cut the first segment.
    """
    result = await ws(api, {"type": "camera/stream", "entity_id": camera, "format": "hls"})
    master_url = api.url + result["url"]
    master = (await _get(api, master_url)).decode()
    playlist_url = urljoin(
        master_url, next(line for line in master.splitlines() if line[:1] != "#")
    )
    deadline = time.monotonic() + HLS_TIMEOUT
    while True:
        playlist = (await _get(api, playlist_url)).decode()
        media, init = MEDIA_URI.search(playlist), MAP_URI.search(playlist)
        if media is not None and init is not None:
            break
        assert time.monotonic() < deadline, f"no media in {playlist_url}:\n{playlist}"
        await asyncio.sleep(0.2)
    init_mp4 = await _get(api, urljoin(playlist_url, init[1]))
    return init_mp4 + await _get(api, urljoin(playlist_url, media[1] or media[2]))


def first_frame(source: str | bytes, timeout: float = 10.0) -> av.video.frame.VideoFrame:
    """The first decoded video frame of an RTSP URL or of MP4 bytes."""
    if isinstance(source, bytes):
        container = av.open(io.BytesIO(source), mode="r")
    else:
        options = {"rtsp_transport": "tcp", "analyzeduration": "500000"}  # microseconds, not 5 s
        container = av.open(source, mode="r", options=options, timeout=timeout)
    try:
        frame: av.video.frame.VideoFrame = next(container.decode(video=0))
    finally:
        container.close()
    return frame
