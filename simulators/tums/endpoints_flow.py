"""Passenger-flow statistics (source 1.4.7), project-type applications only."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from typing import Any

from . import codes
from .routes import (
    CH_REQUIRED,
    PROJECT,
    ApiError,
    Ctx,
    Reply,
    locate,
    paging,
    req_int,
    req_list,
    req_str,
    route,
    usable,
)
from .state import Device, Region

_BEIJING = datetime.timezone(datetime.timedelta(hours=8))
_ACCURACY = ("day", "week", "month", "year")
FLOW_PAGE = 1000


def _flow_devices(ctx: Ctx, region_id: str) -> list[Device]:
    ids = ctx.account.descendants(region_id)
    return [d for d in ctx.account.devices if d.flow and d.region_id in ids]


def _region(ctx: Ctx, region_id: Any) -> Region:
    if not isinstance(region_id, str):
        raise ApiError(codes.E_PARAM)
    region = ctx.account.regions.get(region_id)
    if region is None:
        raise ApiError(codes.E_REGION_MISSING)
    return region


def _next(start: datetime.datetime, accuracy: str) -> datetime.datetime:
    if accuracy == "day":
        return start + datetime.timedelta(days=1)
    if accuracy == "week":
        return start + datetime.timedelta(days=7)
    if accuracy == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def _floor(moment: datetime.datetime, accuracy: str) -> datetime.datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if accuracy == "week":
        return day - datetime.timedelta(days=day.weekday())
    if accuracy == "month":
        return day.replace(day=1)
    if accuracy == "year":
        return day.replace(month=1, day=1)
    return day


def buckets(start: int, end: int, accuracy: str) -> Iterator[tuple[int, int]]:
    """(first, last second) of each bucket covering [start, end], aligned to Beijing time."""
    if start > end:
        raise ApiError(codes.E_FLOW_TIME)
    current = _floor(datetime.datetime.fromtimestamp(start, _BEIJING), accuracy)
    last = datetime.datetime.fromtimestamp(end, _BEIJING)
    while current <= last:
        following = _next(current, accuracy)
        yield int(current.timestamp()), int(following.timestamp()) - 1
        current = following


def _day_counts(device: Device, day_start: int) -> tuple[int, int, int]:
    digest = hashlib.sha256(f"{device.mac}/{day_start}".encode()).digest()
    inflow = 20 + digest[0] % 80
    outflow = max(inflow - digest[1] % 10, 0)
    return inflow, outflow, inflow + outflow + digest[2] % 40


def counts(devices: list[Device], start: int, end: int) -> tuple[int, int, int]:
    """People in/out/passing for devices over [start, end] (sum of deterministic daily counts)."""
    total = [0, 0, 0]
    for day_start, _ in buckets(start, end, "day"):
        for device in devices:
            for i, value in enumerate(_day_counts(device, day_start)):
                total[i] += value
    return total[0], total[1], total[2]


def _accuracy(body: dict[str, Any]) -> str:
    return req_str(body, "accuracy", _ACCURACY)


def _flow_device(ctx: Ctx, item: Any) -> Device:
    if not isinstance(item, dict):
        raise ApiError(codes.E_PARAM)
    device = usable(locate(ctx.account, item, CH_REQUIRED), online=False)
    if not device.flow or device.parent is not None:
        raise ApiError(codes.E_NO_FLOW)
    return device


@route("/tums/open/passengerFlow/v1/getFlowDeviceInRegion", PROJECT)
async def flow_devices(ctx: Ctx) -> Reply:
    """1.4.7.1 (example spelling parentQrcode)."""
    region = _region(ctx, ctx.body.get("regionId"))
    info = [
        {
            "qrCode": d.qr_code,
            "mac": d.mac,
            "channelId": 1,
            "devName": d.name,
            "parentQrcode": None,
            "parentMac": None,
            "deviceStatus": 1 if d.status else 0,
        }
        for d in _flow_devices(ctx, region.region_id)
    ]
    return Reply({"deviceInfoList": info})


@route("/tums/open/passengerFlow/v1/getFlowDeviceNumInRegionList", PROJECT)
async def flow_device_num(ctx: Ctx) -> Reply:
    """1.4.7.2."""
    found: set[str] = set()
    for region_id in req_list(ctx.body, "regionIdList"):
        found |= {d.mac for d in _flow_devices(ctx, _region(ctx, region_id).region_id)}
    return Reply({"flowIpcNum": len(found)})


def _period_totals(devices: list[Device], start: int, end: int, accuracy: str) -> dict[str, int]:
    first = next(buckets(start, start, accuracy))[0]
    previous = next(buckets(first - 1, first - 1, accuracy))
    last_in, last_out, last_pass = counts(devices, previous[0], previous[1])
    cur_in, cur_out, cur_pass = counts(devices, start, end)
    return {
        "lastTotalInFlow": last_in,
        "lastTotalOutFlow": last_out,
        "lastTotalPassFlow": last_pass,
        "currentTotalInFlow": cur_in,
        "currentTotalOutFlow": cur_out,
        "currentTotalPassFlow": cur_pass,
    }


@route("/tums/open/passengerFlow/v1/queryRegionSingleFlow", PROJECT)
async def region_single_flow(ctx: Ctx) -> Reply:
    """1.4.7.4."""
    region = _region(ctx, ctx.body.get("regionId"))
    accuracy = _accuracy(ctx.body)
    start, end = req_int(ctx.body, "startTime", 0), req_int(ctx.body, "endTime", 0)
    return Reply(_period_totals(_flow_devices(ctx, region.region_id), start, end, accuracy))


@route("/tums/open/passengerFlow/v1/queryDeviceSingleFlow", PROJECT)
async def device_single_flow(ctx: Ctx) -> Reply:
    """1.4.7.5: a directly bound IPC, channelId 1, licensed."""
    device = _flow_device(ctx, ctx.body)
    accuracy = _accuracy(ctx.body)
    start, end = req_int(ctx.body, "startTime", 0), req_int(ctx.body, "endTime", 0)
    return Reply(_period_totals([device], start, end, accuracy))


@route("/tums/open/passengerFlow/v1/queryFlow", PROJECT)
async def query_flow(ctx: Ctx) -> Reply:
    """1.4.7.3: one row per bucket and per group and/or device."""
    start, limit = paging(ctx.body, FLOW_PAGE)
    filter_and = ctx.body.get("filterAnd")
    if not isinstance(filter_and, dict):
        raise ApiError(codes.E_PARAM)
    category = req_str(filter_and, "queryCategory", ("region", "device", "all"))
    accuracy = _accuracy(filter_and)
    accumulate = filter_and.get("regionAccumulate") == 1
    times = req_list(filter_and, "timeList")
    regions: list[Region] = []
    devices: list[Device] = []
    if category in ("region", "all"):
        regions = [_region(ctx, r) for r in req_list(filter_and, "regionIdList")]
    if category in ("device", "all"):
        devices = [_flow_device(ctx, item) for item in req_list(filter_and, "devInfoList")]
    rows: list[dict[str, Any]] = []
    for span in times:
        if not isinstance(span, dict):
            raise ApiError(codes.E_PARAM)
        first, last = req_int(span, "startTime", 0), req_int(span, "endTime", 0)
        for low, high in buckets(first, last, accuracy):
            base = {"accuracy": accuracy, "startTime": low, "endTime": high}
            if regions and accumulate:
                union = {d.mac: d for r in regions for d in _flow_devices(ctx, r.region_id)}
                inflow, outflow, passflow = counts(list(union.values()), low, high)
                rows.append({**base, "inFlow": inflow, "outFlow": outflow, "passFlow": passflow})
            else:
                for region in regions:
                    members = _flow_devices(ctx, region.region_id)
                    inflow, outflow, passflow = counts(members, low, high)
                    rows.append(
                        {
                            **base,
                            "inFlow": inflow,
                            "outFlow": outflow,
                            "passFlow": passflow,
                            "regionId": region.region_id,
                            "regionName": region.name,
                        }
                    )
            for device in devices:
                inflow, outflow, passflow = counts([device], low, high)
                related = ctx.account.regions.get(device.region_id)
                rows.append(
                    {
                        **base,
                        "inFlow": inflow,
                        "outFlow": outflow,
                        "passFlow": passflow,
                        "qrCode": device.qr_code,
                        "mac": device.mac,
                        "channelId": 1,
                        "deviceName": device.name,
                        "relatedRegionId": int(device.region_id),  # a long here, a string elsewhere
                        "relatedRegionName": related.name if related else "",
                    }
                )
    page = rows[start : start + limit]
    return Reply({"total": len(rows), "lastUpdateTime": int(ctx.now) - 5, "list": page})


@route("/tums/open/passengerFlow/v1/getFlowSyncStatus", PROJECT)
async def flow_sync_status(ctx: Ctx) -> Reply:
    """1.4.7.6: data here is always fresh, so the sync has finished."""
    return Reply({"status": 0})
