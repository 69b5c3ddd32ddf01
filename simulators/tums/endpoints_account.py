"""Temporary AK/SK (1.4.1), groups/regions (1.4.2) and push subscription (1.4.6)."""

from __future__ import annotations

import secrets
from typing import Any

from . import codes
from .routes import (
    PROJECT,
    ApiError,
    Ctx,
    Reply,
    opt_int,
    paging,
    req_int,
    req_list,
    req_str,
    route,
)
from .state import Device, Region

TEMP_LIMIT = 10_000  # "每个应用下最多存在10000个临时AK/SK"
REGION_DEPTH = 4
REGION_PAGE = 50


@route("/tums/open/credentialManager/v1/createTempApplicationApiCredential")
async def create_temp_credential(ctx: Ctx) -> Reply:
    """1.4.1.1: only the long-term AK/SK may create a temporary pair (-82401)."""
    if ctx.temporary:
        raise ApiError(codes.E_PERMISSION)
    lifetime = opt_int(ctx.body, "expireTime", 1, 86400) or 1800
    store = ctx.account.temp_credentials
    for key in [k for k, (_, expiry) in store.items() if expiry <= ctx.now]:
        del store[key]
    if len(store) >= TEMP_LIMIT:
        raise ApiError(codes.E_TEMP_LIMIT)
    temp_ak = secrets.token_urlsafe(21)
    temp_sk = secrets.token_hex(16)
    created = int(ctx.now)
    store[temp_ak] = (temp_sk, created + lifetime)
    return Reply(
        {
            "tempAk": temp_ak,
            "tempSk": temp_sk,
            "createTime": created,
            "expireTime": created + lifetime,
        }
    )


# regions --------------------------------------------------------------------------------


def _region_info(region: Region) -> dict[str, Any]:
    return {
        "regionId": region.region_id,
        "regionName": region.name,
        "order": region.order,
        "regionLevel": region.level,
        "parentId": region.parent_id,
    }


def _service(device: Device) -> str:
    return "evcs" if device.solar is not None else "vms"


def _counts(devices: list[Device]) -> dict[str, int]:
    online = sum(1 for d in devices if d.status != 0)
    return {"totalDevNum": len(devices), "totalDevOnlineNum": online}


def _region_item(ctx: Ctx, region: Region, need_dev_num: bool) -> dict[str, Any]:
    item = _region_info(region)
    item["hasChildren"] = 1 if ctx.account.children(region.region_id) else 0
    item["regionType"] = region.region_type
    if need_dev_num:
        ids = ctx.account.descendants(region.region_id)
        devices = [d for d in ctx.account.all_devices() if d.region_id in ids]
        item["totalDevNum"] = len(devices)
        item["totalDevOnlineNum"] = sum(1 for d in devices if d.status != 0)
        # solar power devices belong to the evcs service (their API is /evcs/...)
        item["devNumMap"] = {
            service: _counts([d for d in devices if _service(d) == service])
            for service in ("vms", "nms", "nbs", "evcs", "parking")
        }
    return item


def _region_page(ctx: Ctx, regions: list[Region]) -> Reply:
    start, limit = paging(ctx.body, REGION_PAGE)
    need = opt_int(ctx.body, "needDevNum", 0, 1) == 1
    page = [_region_item(ctx, r, need) for r in regions[start : start + limit]]
    return Reply({"list": page, "total": len(regions)})


def _region(ctx: Ctx, key: str = "regionId") -> Region:
    region = ctx.account.regions.get(req_str(ctx.body, key))
    if region is None:
        raise ApiError(codes.E_REGION_MISSING)
    return region


@route("/tums/open/resource/v1/addRegion", PROJECT)
async def add_region(ctx: Ctx) -> Reply:
    """1.4.2.1."""
    name = req_str(ctx.body, "regionName")
    if len(name) > 32:
        raise ApiError(codes.E_PARAM)
    parent_id = req_str(ctx.body, "parentId")
    order = opt_int(ctx.body, "order", 1, 10000)
    if parent_id != "0":
        parent = ctx.account.regions.get(parent_id)
        if parent is None:
            raise ApiError(codes.E_REGION_PARENT)
        if parent.level >= REGION_DEPTH:
            raise ApiError(codes.E_REGION_DEPTH)
    if any(r.name == name for r in ctx.account.regions.values()):
        raise ApiError(codes.E_REGION_NAME)
    region = ctx.account.add_region(name, parent_id, order)
    return Reply({"regionId": region.region_id, "regionLevel": region.level, "order": region.order})


@route("/tums/open/resource/v1/editRegion", PROJECT)
async def edit_region(ctx: Ctx) -> Reply:
    """1.4.2.2."""
    region = _region(ctx)
    name = req_str(ctx.body, "regionName")
    if len(name) > 32:
        raise ApiError(codes.E_PARAM)
    region.name = name
    return Reply()


def _delete(ctx: Ctx, region: Region) -> None:
    account = ctx.account
    doomed = account.descendants(region.region_id)
    for region_id in doomed:
        del account.regions[region_id]
    for device in account.all_devices():
        if device.region_id in doomed:
            device.region_id = next(
                r.region_id for r in account.regions.values() if r.region_type == 1
            )


@route("/tums/open/resource/v1/deleteRegion", PROJECT)
async def delete_region(ctx: Ctx) -> Reply:
    """1.4.2.3: the default group cannot be deleted; devices move into it."""
    region = _region(ctx)
    if region.region_type == 1:
        raise ApiError(codes.E_PARAM)
    _delete(ctx, region)
    return Reply()


@route("/tums/open/resource/v1/deleteAllRegion", PROJECT)
async def delete_all_regions(ctx: Ctx) -> Reply:
    """1.4.2.4."""
    for region in [r for r in ctx.account.children("0") if r.region_type == 0]:
        _delete(ctx, region)
    return Reply()


@route("/tums/open/resource/v1/switchRegionOrder", PROJECT)
async def switch_region_order(ctx: Ctx) -> Reply:
    """1.4.2.5: siblings only (-80206 otherwise)."""
    first, second = _region(ctx, "firstRegion"), _region(ctx, "secondRegion")
    if first.parent_id != second.parent_id:
        raise ApiError(codes.E_REGION_ORDER)
    first.order, second.order = second.order, first.order
    return Reply()


@route("/tums/open/resource/v1/getRegionAncestor", PROJECT)
async def region_ancestor(ctx: Ctx) -> Reply:
    """1.4.2.6."""
    region = _region(ctx)
    return Reply(
        {"regionAncestors": [_region_info(r) for r in ctx.account.ancestors(region.region_id)]}
    )


@route("/tums/open/resource/v1/batchGetRegionAncestor", PROJECT)
async def batch_region_ancestor(ctx: Ctx) -> Reply:
    """1.4.2.7: a map regionId -> chain (unknown ids are left out)."""
    result: dict[str, Any] = {}
    for region_id in req_list(ctx.body, "regionIds", 50):
        if not isinstance(region_id, str):
            raise ApiError(codes.E_PARAM)
        if region_id in ctx.account.regions:
            result[region_id] = [_region_info(r) for r in ctx.account.ancestors(region_id)]
    return Reply(result)


@route("/tums/open/resource/v1/getPagedRootRegions", PROJECT)
async def root_regions(ctx: Ctx) -> Reply:
    """1.4.2.8."""
    return _region_page(ctx, ctx.account.children("0"))


@route("/tums/open/resource/v1/getPagedRegionChildren", PROJECT)
async def region_children(ctx: Ctx) -> Reply:
    """1.4.2.9."""
    region = _region(ctx)
    return _region_page(ctx, ctx.account.children(region.region_id))


@route("/tums/open/resource/v1/getRegionByNameLike", PROJECT)
async def region_by_name(ctx: Ctx) -> Reply:
    """1.4.2.10: case-insensitive substring match."""
    needle = req_str(ctx.body, "regionNameLike").lower()
    found = sorted(
        (r for r in ctx.account.regions.values() if needle in r.name.lower()),
        key=lambda r: (r.level, r.parent_id, r.order),
    )
    return _region_page(ctx, found)


# push subscription ------------------------------------------------------------------------


@route("/tums/open/msgTranspond/v1/setAppMsgPushConfig")
async def set_push_config(ctx: Ctx) -> Reply:
    """1.4.6.1: create or replace the application's single subscription."""
    server_url = req_str(ctx.body, "serverUrl")
    if not server_url.startswith(("http://", "https://")):
        raise ApiError(codes.E_PARAM)
    transport = req_int(ctx.body, "openMsgTransport", 0, 1)
    kinds = ctx.body.get("msgContentType")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ApiError(codes.E_PARAM)
    ctx.account.push_config = {
        "appId": ctx.account.app_id,
        "serverUrl": server_url,
        "openMsgTransport": transport,
        "msgContentType": list(kinds),
    }
    return Reply()


@route("/tums/open/msgTranspond/v1/getAppMsgPushConfig")
async def get_push_config(ctx: Ctx) -> Reply:
    """1.4.6.2 (before any 1.4.6.1: push off, empty URL; the document is silent)."""
    config = ctx.account.push_config or {
        "appId": ctx.account.app_id,
        "serverUrl": "",
        "openMsgTransport": 0,
        "msgContentType": [],
    }
    return Reply(dict(config))
