"""Recording search (source 1.4.5.6 to 1.4.5.8).

The document states no licence condition for 1.4.5.x; the simulator applies the one every
other device endpoint has (-88315), since a restricted-closed device has no cloud service, and
asks for the device to be online (-20571) because the recordings live on its SD card or disk.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from . import codes
from .recordings import Recordings
from .routes import (
    CH_REQUIRED,
    ApiError,
    Ctx,
    Reply,
    as_item,
    fail_item,
    locate,
    req_int,
    req_list,
    req_str,
    route,
    target,
    usable,
)
from .state import Device

_BASE = "/vms/open/webServer/"
_YEAR = re.compile(r"\d{4}")
_DAY = re.compile(r"\d{8}")
PAGE_SPAN = 100  # "endIdx和startIdx差值不能超过100"


def _camera(device: Device) -> Device:
    """A recording target must be a camera (-40106 for a solar device, as elsewhere)."""
    if not device.is_camera:
        raise ApiError(codes.E_UNSUPPORTED)
    return device


def _recordings(ctx: Ctx) -> Recordings:
    return ctx.account.recordings(_camera(target(ctx, CH_REQUIRED)), ctx.now)


def _search_day(ctx: Ctx) -> str:
    """searchDay: yyyyMMdd and a real calendar day (-82400 otherwise)."""
    day = req_str(ctx.body, "searchDay")
    if not _DAY.fullmatch(day):
        raise ApiError(codes.E_PARAM)
    try:
        datetime.datetime.strptime(day, "%Y%m%d")
    except ValueError as err:
        raise ApiError(codes.E_PARAM) from err
    return day


@route(_BASE + "v1/searchYear")
async def search_year(ctx: Ctx) -> Reply:
    """1.4.5.6: days with recordings as mmdd + a 3-digit number.

    The number runs on across the whole answer (the example: "0729001" for the first device,
    "0730002" for the second). The locator echoed is the one the request used; channelId is
    an int as in the example (the table says string).
    """
    items = req_list(ctx.body, "devList")
    year = req_str(ctx.body, "year")
    if not _YEAR.fullmatch(year):
        raise ApiError(codes.E_PARAM)
    found: list[dict[str, Any]] = []
    fails: list[dict[str, Any]] = []
    serial = 0
    for item in items:
        try:
            entry = as_item(item)
            camera = _camera(usable(locate(ctx.account, entry, CH_REQUIRED)))
        except ApiError as err:
            fails.append(fail_item(item, err.code))
            continue
        dates = []
        for mmdd in ctx.account.recordings(camera, ctx.now).dates(year):
            serial += 1
            dates.append(f"{mmdd}{serial:03d}")
        answer: dict[str, Any] = {k: entry[k] for k in ("qrCode", "mac") if k in entry}
        answer.update(channelId=entry["channelId"], dates=dates)
        found.append(answer)
    return Reply({"deviceVideoInfoList": found}, fails or None)


@route(_BASE + "v2/searchVideo")
async def search_video(ctx: Ctx) -> Reply:
    """1.4.5.7: the day's segments startIdx..endIdx (both inclusive, 0-based)."""
    day = _search_day(ctx)
    start = req_int(ctx.body, "startIdx", 0)
    end = req_int(ctx.body, "endIdx", 0)
    if end < start or end - start > PAGE_SPAN:
        raise ApiError(codes.E_PARAM)
    segments = _recordings(ctx).day(day)[start : end + 1]
    videos = [s.to_json() for s in segments]
    return Reply({"userId": ctx.account.playback_user_id, "videos": videos})


@route(_BASE + "v2/searchHumanDetectionVideo")
async def search_human(ctx: Ctx) -> Reply:
    """1.4.5.8: every human-detection segment of the day, no paging."""
    day = _search_day(ctx)
    videos = [s.to_json() for s in _recordings(ctx).day(day) if s.human]
    return Reply({"userId": ctx.account.playback_user_id, "videos": videos})
