"""Customer Flow Statistics (seed section of the same name): /openapi/peopleFlow/*.

Counters live per half hour (``state.flow``).  A statistics answer steps from start_time by
the period (1 half hour, 2 one hour, 3 one day), the last bucket ending at end_time; a
bucket counts the half-hour slots that begin inside it.  No people at all in the range
answers 280 ("Error will be returned if no record is found").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .codes import (
    E_DOOR_LINE,
    E_FLOW_NO_RECORD,
    E_FLOW_PERIOD,
    E_FLOW_RANGE,
    E_FLOW_START,
    E_FLOW_UNSUPPORTED,
    E_PARAM,
    E_SD_CARD,
    ApiError,
)
from .routes import Args, Ctx, Data, Handler, route
from .state import SD_UNPLUGGED, FlowSlot

PERIODS = {1: 1800, 2: 3600, 3: 86400}
MAX_BUCKETS = 2000
RESOLUTIONS = {0: (1920, 1080), 1: (1280, 720)}


def _flow_route(path: str) -> Callable[[Handler], Handler]:
    return route(path, feature="people_flow", unsupported=E_FLOW_UNSUPPORTED)


@_flow_route("/openapi/peopleFlow/setDoorLine")
async def set_door_line(ctx: Ctx, args: Args) -> Data:
    """Missing fields answer 2; values outside the resolution answer 278."""
    values = {
        key: args.integer(key, E_PARAM, -(2**31), 2**31 - 1)
        for key in ("resolution", "start_x", "start_y", "end_x", "end_y")
    }
    size = RESOLUTIONS.get(values["resolution"])
    if size is None:
        raise ApiError(E_DOOR_LINE)
    width, height = size
    if not (0 <= values["start_x"] <= width and 0 <= values["end_x"] <= width):
        raise ApiError(E_DOOR_LINE)
    if not (0 <= values["start_y"] <= height and 0 <= values["end_y"] <= height):
        raise ApiError(E_DOOR_LINE)
    line = ctx.state.door_line
    line.resolution = values["resolution"]
    line.start_x, line.start_y = values["start_x"], values["start_y"]
    line.end_x, line.end_y = values["end_x"], values["end_y"]
    return None


@_flow_route("/openapi/peopleFlow/getDoorLine")
async def get_door_line(ctx: Ctx, args: Args) -> Data:
    """The door threshold."""
    line = ctx.state.door_line
    return {
        "resolution": line.resolution,
        "start_x": line.start_x,
        "start_y": line.start_y,
        "end_x": line.end_x,
        "end_y": line.end_y,
    }


# getConfig/setConfig list no 277: on SS they answer 1.
@route("/openapi/peopleFlow/getConfig", feature="people_flow")
async def get_config(ctx: Ctx, args: Args) -> Data:
    """Deduplication interval and counting mode."""
    return {
        "facerecog_interval": ctx.state.facerecog_interval,
        "customer_judgemode": ctx.state.customer_judgemode,
    }


@route("/openapi/peopleFlow/setConfig", feature="people_flow")
async def set_config(ctx: Ctx, args: Args) -> Data:
    """Both fields required."""
    interval = args.integer("facerecog_interval", E_PARAM, 0, 86400)
    mode = args.integer("customer_judgemode", E_PARAM, 0, 1)
    ctx.state.facerecog_interval, ctx.state.customer_judgemode = interval, mode
    return None


def _buckets(args: Args) -> list[tuple[int, int]]:
    start = args.integer("start_time", E_PARAM, -(2**62), 2**62)
    end = args.integer("end_time", E_PARAM, -(2**62), 2**62)
    period = args.integer("period", E_PARAM, -(2**31), 2**31 - 1)
    if period not in PERIODS:
        raise ApiError(E_FLOW_PERIOD)
    if start < 0:
        raise ApiError(E_FLOW_START)
    step = PERIODS[period]
    if end <= start or (end - start + step - 1) // step > MAX_BUCKETS:
        raise ApiError(E_FLOW_RANGE)
    return [(begin, min(begin + step, end)) for begin in range(start, end, step)]


def _slots(ctx: Ctx, begin: int, end: int) -> list[FlowSlot]:
    return [slot for when, slot in ctx.state.flow.items() if begin <= when < end]


def _statistics(ctx: Ctx, args: Args, kind: str) -> Data:
    buckets = _buckets(args)
    if ctx.state.sd_card_status == SD_UNPLUGGED:
        raise ApiError(E_SD_CARD)
    stat_list: list[dict[str, Any]] = []
    for begin, end in buckets:
        slots = _slots(ctx, begin, end)
        entry: dict[str, Any] = {
            "start_time": begin,
            "end_time": end,
            "total": sum(getattr(slot, kind) for slot in slots),
        }
        if kind == "entered":
            entry["male_num_stat"] = [sum(s.male[i] for s in slots) for i in range(8)]
            entry["female_num_stat"] = [sum(s.female[i] for s in slots) for i in range(8)]
        stat_list.append(entry)
    total = sum(entry["total"] for entry in stat_list)
    if total == 0:
        raise ApiError(E_FLOW_NO_RECORD)
    return {"total": total, "stat_list": stat_list}


@_flow_route("/openapi/peopleFlow/getPeopleStat")
async def get_people_stat(ctx: Ctx, args: Args) -> Data:
    """Inflow, with male/female counts per age range."""
    return _statistics(ctx, args, "entered")


@_flow_route("/openapi/peopleFlow/getPeopleStatPass")
async def get_people_stat_pass(ctx: Ctx, args: Args) -> Data:
    """Pass-by."""
    return _statistics(ctx, args, "passed")


@_flow_route("/openapi/peopleFlow/getPeopleStatOut")
async def get_people_stat_out(ctx: Ctx, args: Args) -> Data:
    """Outflow."""
    return _statistics(ctx, args, "exited")
