"""Video Streaming (seed section of the same name): /openapi/media/*.

RTSP URLs are returned as the seed shows them; the simulator serves no RTSP.
"""

from __future__ import annotations

import hashlib
import time

from .codes import (
    E_CLIP_PARAM,
    E_CLIP_SD_CARD,
    E_MEDIA_TIME,
    E_PLAYBACK,
    E_RECORD_LIST,
    E_RECORD_PAGE,
    ApiError,
)
from .media import FLV_BYTES, jpeg
from .routes import Args, Ctx, Data, route
from .state import SD_UNPLUGGED

CLIP_STEPS = (0, 4, 8)
SNAPSHOT_DIR = "/tmp/snapshot"  # noqa: S108 - a URL path, as in the seed
RECORD_SECONDS = 60  # "about one minute per record file"


def _stream_token(ctx: Ctx) -> str:
    return hashlib.md5(f"{ctx.device.sn}-stream".encode(), usedforsecurity=False).hexdigest()


def _stamp(when: float) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.localtime(when))


@route("/openapi/media/getLiveStream")
async def get_live_stream(ctx: Ctx, args: Args) -> Data:
    """HD and full-HD RTSP URLs."""
    base = f"rtsp://{ctx.device.host}/{_stream_token(ctx)}"
    return {"hd_live_url": f"{base}/live_hd.sdp", "fhd_live_url": f"{base}/live_fhd.sdp"}


def _time_range(args: Args) -> tuple[int, int]:
    start = args.integer("start_time", E_MEDIA_TIME)
    end = args.integer("end_time", E_MEDIA_TIME)
    if end <= start:
        raise ApiError(E_MEDIA_TIME)
    return start, end


@route("/openapi/media/getPlaybackStream")
async def get_playback_stream(ctx: Ctx, args: Args) -> Data:
    """An RTSP playback URL; needs the SD card."""
    _time_range(args)
    if ctx.state.sd_card_status == SD_UNPLUGGED:
        raise ApiError(E_PLAYBACK)
    return {"playback_url": f"rtsp://{ctx.device.host}/{_stream_token(ctx)}/pb.sdp"}


@route("/openapi/media/getRecordList")
async def get_record_list(ctx: Ctx, args: Args) -> Data:
    """One-minute files recorded since the simulator started, paged."""
    start, end = _time_range(args)
    page_num = args.optional_integer("page_num", 1, E_RECORD_PAGE, 1)
    page_size = args.optional_integer("page_size", 10, E_RECORD_PAGE, 0, 500)
    if ctx.state.sd_card_status == SD_UNPLUGGED:
        raise ApiError(E_RECORD_LIST)
    now = time.time()
    first = max(start, int(ctx.recording_since)) // RECORD_SECONDS * RECORD_SECONDS
    last = min(end, int(now)) // RECORD_SECONDS * RECORD_SECONDS  # the running file is open
    starts = list(range(first, last, RECORD_SECONDS))
    page = starts[(page_num - 1) * page_size : page_num * page_size]
    records = []
    for begin in page:
        finish = begin + RECORD_SECONDS
        path = f"/mnt/sd-card/sunmi_video/video_plan/{_stamp(begin)}_{_stamp(finish)}.flv"
        link = ctx.media.link(path, int(now))
        records.append({"start_time": begin, "end_time": finish, "url": ctx.base_url + link})
    return {"total_num": len(starts), "return_num": len(records), "record_list": records}


@route("/openapi/media/getSnapshot")
async def get_snapshot(ctx: Ctx, args: Args) -> Data:
    """A fresh JPEG served under /tmp/snapshot/ on this HTTPS server."""
    now = time.time()
    mac_tail = ctx.device.mac.replace(":", "").upper()[-10:]
    name = f"{ctx.device.model.discovery_model}{mac_tail}_{_stamp(now)}.jpg"
    path = f"{SNAPSHOT_DIR}/{name}"
    lines = [ctx.state.ipc_name, ctx.device.sn, time.strftime("%Y-%m-%d %H:%M:%S")]
    link = ctx.media.add(path, jpeg(lines), "image/jpeg", created=int(now))
    return {"snapshot_url": ctx.base_url + link}


@route("/openapi/media/getCurVideos")
async def get_cur_videos(ctx: Ctx, args: Args) -> Data:
    """A clip link that starts working 4 + ``following`` seconds later."""
    preceding = args.integer("preceding", E_CLIP_PARAM, 0, 8)
    following = args.integer("following", E_CLIP_PARAM, 0, 8)
    if preceding not in CLIP_STEPS or following not in CLIP_STEPS:
        raise ApiError(E_CLIP_PARAM)
    if ctx.state.sd_card_status == SD_UNPLUGGED:
        raise ApiError(E_CLIP_SD_CARD)
    now = time.time()
    path = f"/mnt/sd-card/video_slicer/{int(now * 1000)}_{preceding}_{following}.flv"
    link = ctx.media.add(path, FLV_BYTES, "video/x-flv", created=int(now), delay=4 + following)
    return {"url": ctx.base_url + link}
