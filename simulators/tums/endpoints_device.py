"""Device management (source 1.4.3): lists, overview, channels, capability, reboot, firmware."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from . import codes
from .routes import (
    CH_NONE,
    CH_OPTIONAL,
    DEVICE,
    PROJECT,
    ApiError,
    Ctx,
    Reply,
    as_item,
    batch,
    fail_item,
    locate,
    opt_int,
    paging,
    req_list,
    req_str,
    route,
    target,
    usable,
    video_device,
)
from .solar import ABNORMAL
from .state import IPC_TYPE, NVR_TYPE, SOLAR_TYPE, Device

DEVICE_PAGE = 100
RESULT_KEEP_SECONDS = 600  # finished upgrade results are kept for 10 minutes (1.4.3.24)


def _type_filter(filter_and: dict[str, Any]) -> set[str] | None:
    types = filter_and.get("deviceTypeList")
    if types is None:
        return None
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ApiError(codes.E_PARAM)
    return set(types)


def _filter_object(ctx: Ctx, key: str) -> dict[str, Any]:
    value = ctx.body.get(key) or {}
    if not isinstance(value, dict):
        raise ApiError(codes.E_PARAM)
    return value


@route("/tums/open/deviceManager/v1/getDeviceListInDeviceApplication", DEVICE)
async def device_list_device_app(ctx: Ctx) -> Reply:
    """1.4.3.10: hasChild 0 (default) = without channel devices, 1 = with them."""
    start, limit = paging(ctx.body, DEVICE_PAGE)
    filter_and = _filter_object(ctx, "filterAnd")
    with_children = opt_int(filter_and, "hasChild", 0, 1) == 1
    types = _type_filter(filter_and)
    devices = ctx.account.all_devices() if with_children else list(ctx.account.devices)
    if types is not None:
        devices = [d for d in devices if d.device_type in types]
    return Reply(
        {"total": len(devices), "list": [d.list_item() for d in devices[start : start + limit]]}
    )


_SORTABLE = ("deviceType", "deviceStatus", "ip", "mac", "deviceName")


def _project_item(ctx: Ctx, device: Device) -> dict[str, Any]:
    item = device.list_item()
    region = ctx.account.regions.get(device.region_id)
    item["regionId"] = device.region_id
    item["regionName"] = region.name if region else ""
    return item


def _sort_key(key: str) -> Callable[[Device], str]:
    def value(device: Device) -> str:
        item = device.list_item()[key]
        return f"{item:08d}" if isinstance(item, int) else str(item)

    return value


@route("/tums/open/deviceManager/v1/getDeviceListInProjectApplication", PROJECT)
async def device_list_project_app(ctx: Ctx) -> Reply:
    """1.4.3.11; hasChild as this section writes it: 0 (default) = include, 1 = exclude."""
    start, limit = paging(ctx.body, DEVICE_PAGE)
    filter_and = _filter_object(ctx, "filterAnd")
    filter_or = _filter_object(ctx, "filterOr")
    exclude_children = opt_int(filter_and, "hasChild", 0, 1) == 1
    devices = list(ctx.account.devices) if exclude_children else ctx.account.all_devices()
    region_id = filter_and.get("regionId")
    if region_id is not None:
        if not isinstance(region_id, str):
            raise ApiError(codes.E_PARAM)
        devices = [d for d in devices if d.region_id == region_id]
    status = opt_int(filter_and, "deviceStatus", 0, 6)
    if status is not None:
        devices = [d for d in devices if d.status == status]
    types = _type_filter(filter_and)
    if types is not None:
        devices = [d for d in devices if d.device_type in types]
    likes = {k: v for k, v in filter_or.items() if isinstance(v, str) and v}
    if likes:
        items = [_project_item(ctx, d) for d in devices]
        fields = {
            "deviceNameLike": "deviceName",
            "deviceModelLike": "deviceModel",
            "ipLike": "ip",
            "macLike": "mac",
            "regionNameLike": "regionName",
        }
        devices = [
            d
            for d, item in zip(devices, items, strict=True)
            if any(
                key in fields and value.lower() in str(item[fields[key]]).lower()
                for key, value in likes.items()
            )
        ]
    sort = ctx.body.get("sort") or []
    if not isinstance(sort, list):
        raise ApiError(codes.E_PARAM)
    for rule in reversed(sort):
        if not isinstance(rule, dict) or len(rule) != 1:
            raise ApiError(codes.E_PARAM)
        ((key, direction),) = rule.items()
        if key not in _SORTABLE or direction not in ("asc", "desc"):
            raise ApiError(codes.E_PARAM)
        devices.sort(key=_sort_key(key), reverse=direction == "desc")
    page = [_project_item(ctx, d) for d in devices[start : start + limit]]
    return Reply({"total": len(devices), "list": page})


def _abnormal(device: Device) -> bool:
    """异常: a solar system in state 4-7 (table 1.4.3.1-5); cameras and NVRs never are."""
    return device.solar is not None and device.solar.status in ABNORMAL


_OVERVIEW_NAMES = {IPC_TYPE: "Ipc", NVR_TYPE: "Nvr", SOLAR_TYPE: "SolarPower"}


@route("/tums/open/deviceManager/v1/getApplicationOverview")
async def overview(ctx: Ctx) -> Reply:
    """1.4.3.12: only the device types present (IPC, NVR and solar power here); one pass."""
    result: dict[str, int] = {}
    now = time.time()
    for device in ctx.account.all_devices():
        name = _OVERVIEW_NAMES[device.device_type]
        if f"all{name}Num" not in result:
            result.update({f"all{name}Num": 0, f"online{name}Num": 0, f"error{name}Num": 0})
        result[f"all{name}Num"] += 1
        result[f"online{name}Num"] += device.status_at(now) != 0
        result[f"error{name}Num"] += _abnormal(device)
    return Reply(result)


@route("/tums/open/deviceManager/v1/getChannelDeviceList")
async def channel_device_list(ctx: Ctx) -> Reply:
    """1.4.3.13: the key is ``channel``, not ``channelId``."""
    nvr = target(ctx, CH_NONE, online=False)
    if not nvr.is_nvr:
        raise ApiError(codes.E_UNSUPPORTED)
    channel_list = []
    for channel, child in sorted(nvr.channels.items()):
        channel_list.append(
            {
                "qrCode": child.qr_code,
                "deviceName": child.name,
                "deviceType": child.device_type,
                "deviceStatus": child.status,
                "deviceModel": child.model,
                "openStatus": child.open_status,
                "ip": child.ip,
                "mac": child.mac,
                "channel": channel,
            }
        )
    connected = sum(1 for c in nvr.channels.values() if c.status != 0)
    return Reply(
        {
            "channelNum": nvr.channel_num,
            "connectedChannelNum": connected,
            "channelList": channel_list,
        }
    )


@route("/vms/open/deviceManager/v1/getNvrChannelQrCode")
async def nvr_channel_qr_code(ctx: Ctx) -> Reply:
    """1.4.3.14."""
    if opt_int(ctx.body, "channelId", 1) is None:
        raise ApiError(codes.E_PARAM)
    child = target(ctx)
    if child.parent is None:
        raise ApiError(codes.E_UNSUPPORTED)
    return Reply({"qrCode": child.qr_code})


@route("/vms/open/deviceManager/v1/getDeviceCapability")
async def device_capability(ctx: Ctx) -> Reply:
    """1.4.3.16: IPC/NVR only."""
    return Reply({"capability": video_device(target(ctx, CH_OPTIONAL)).capability()})


@route("/tums/open/deviceManager/v1/modifyDeviceName")
async def modify_device_name(ctx: Ctx) -> Reply:
    """1.4.3.20: 32 characters at most (10 Chinese)."""
    name = req_str(ctx.body, "deviceName")
    weight = sum(3 if ord(ch) > 0x7F else 1 for ch in name)
    if weight > 32:
        raise ApiError(codes.E_DEVICE_NAME)
    target(ctx).name = name
    return Reply()


@route("/tums/open/deviceManager/v1/moveDeviceListToRegion", PROJECT)
async def move_devices(ctx: Ctx) -> Reply:
    """1.4.3.19."""
    region_id = req_str(ctx.body, "regionId")
    if region_id not in ctx.account.regions:
        raise ApiError(codes.E_REGION_MISSING)

    def move(device: Device) -> None:
        device.region_id = region_id

    return batch(ctx, move, online=False)


@route("/tums/open/deviceManager/v1/rebootDeviceList")
async def reboot_devices(ctx: Ctx) -> Reply:
    """1.4.3.21: no channelId; the device shows deviceStatus 2 for a few seconds."""

    def reboot(device: Device) -> None:
        device.reboots += 1
        device.rebooting_until = ctx.now + 5

    return batch(ctx, reboot, channel_rule=CH_NONE)


@route("/tums/open/deviceManager/v1/checkDeviceNewestFwVer")
async def check_firmware(ctx: Ctx) -> Reply:
    """1.4.3.22: no data here; the result shows up as newFwInfo in 1.4.3.24."""

    def check(device: Device) -> None:
        device.fw_checked = True

    return batch(ctx, check)


@route("/tums/open/deviceManager/v1/upgradeDeviceOnline")
async def upgrade_online(ctx: Ctx) -> Reply:
    """1.4.3.23: download then install over ``upgrade_seconds``; no new version -> status -1."""

    def upgrade(device: Device) -> None:
        if device.upgrade_started is not None:
            raise ApiError(codes.E_UPGRADING)
        if device.new_firmware is None:
            device.upgrade_result = -1
            device.upgrade_finished = ctx.now
            return
        ctx.account.start_upgrade(device, ctx.now)

    return batch(ctx, upgrade)


def _upgrade_item(ctx: Ctx, device: Device) -> dict[str, Any]:
    item: dict[str, Any] = {
        "curFirmwareVer": device.firmware,
        "qrCode": device.qr_code,
        "mac": device.mac,
        "deviceName": device.name,
        "downloadProgress": 0,
        "upgradeProgress": 0,
        "upgradeStatus": 0,
    }
    if device.fw_checked and device.new_firmware:
        item["newFwInfo"] = {
            "fwVersion": device.new_firmware,
            "releaseDate": "2024-01-01",
            "releaseLog": "Bug fixes and stability improvements.",
            "releaseLogUrl": "https://www.tp-link.com.cn/",
        }
    started = device.upgrade_started
    if started is not None:
        fraction = min(max((ctx.now - started) / max(ctx.account.upgrade_seconds, 1e-6), 0.0), 1.0)
        if fraction < 0.5:
            item.update(upgradeStatus=5, downloadProgress=int(fraction * 200))
        else:
            item.update(
                upgradeStatus=1, downloadProgress=100, upgradeProgress=int((fraction - 0.5) * 200)
            )
    elif device.upgrade_result and ctx.now - device.upgrade_finished < RESULT_KEEP_SECONDS:
        item["upgradeStatus"] = device.upgrade_result
        if device.upgrade_result == 4:
            item.update(downloadProgress=100, upgradeProgress=100)
    return item


@route("/tums/open/deviceManager/v1/getDeviceUpgradeInfo")
async def upgrade_info(ctx: Ctx) -> Reply:
    """1.4.3.24: result.list plus a top-level failList."""
    reset = opt_int(ctx.body, "resetUpgradeResult", 0, 1) == 1
    items: list[dict[str, Any]] = []
    fails: list[dict[str, Any]] = []
    for entry in req_list(ctx.body, "devList"):
        try:
            device = usable(locate(ctx.account, as_item(entry)), online=False)
        except ApiError as err:
            fails.append(fail_item(entry, err.code))
            continue
        if reset and device.upgrade_started is None:
            device.upgrade_result = 0
        items.append(_upgrade_item(ctx, device))
    return Reply({"list": items}, fails or None)


@route("/vms/open/deviceManager/v1/syncDevInfo")
async def sync_dev_info(ctx: Ctx) -> Reply:
    """1.4.3.17 (IPC/NVR): the simulated cloud is always in sync, so this only validates."""
    return batch(ctx, video_device)


@route("/vms/open/deviceManager/v1/syncDevInfoStatus")
async def sync_dev_info_status(ctx: Ctx) -> Reply:
    """1.4.3.18: percent 100 plus a top-level failList (no online requirement)."""
    reply = batch(ctx, video_device, online=False)
    return Reply({"percent": 100}, reply.fail_list)
