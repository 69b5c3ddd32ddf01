"""Monitoring-point alarm switches (source 1.4.8.3 to 1.4.8.5); write-only in the document.

Each devInfoList item names a camera ([CH-A]: channelId required) that must be licensed and
online. A failed item goes to the top-level failList; when no item succeeded the whole call
answers -80414 (无效的设备) with that failList, as the 1.4.8.4/1.4.8.5 example does. A camera
without the alarm port (capability alarm_in_enable / alarm_out_enable missing) or without the
detection fails with -80391 (设备不支持该操作), the code in that example.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import codes
from .routes import (
    BATCH_LIMIT,
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
    usable,
)
from .state import ALARM_TYPES, Device

_BASE = "/tums/open/alarm/v1/"
# 1.4.8.3 states no devInfoList limit (1.4.8.4/1.4.8.5 state 100); only absurd sizes are refused
DETECTION_LIST_LIMIT = 10_000


def _camera(item: Any, ctx: Ctx, supported: Callable[[Device], bool] | None = None) -> Device:
    """The item's camera: licensed, online, and (when asked) with the alarm port."""
    device = usable(locate(ctx.account, as_item(item), CH_REQUIRED))
    if not device.is_camera or (supported is not None and not supported(device)):
        raise ApiError(codes.E_NOT_SUPPORTED_OP)
    return device


def _reply(fails: list[dict[str, Any]], succeeded: bool) -> Reply:
    if fails and not succeeded:
        return Reply(fail_list=fails, error_code=codes.E_INVALID_DEVICE)
    return Reply(fail_list=fails or None)


def _alarm_types(ctx: Ctx) -> list[int]:
    types = ctx.body.get("alarmTypeList")
    if not isinstance(types, list) or not 1 <= len(types) <= 10:
        raise ApiError(codes.E_PARAM)
    for value in types:
        if isinstance(value, bool) or not isinstance(value, int) or value not in ALARM_TYPES:
            raise ApiError(codes.E_PARAM)
    return types


@route(_BASE + "setEnableByAlarmType")
async def set_detection(ctx: Ctx) -> Reply:
    """1.4.8.3: enable is the int 0/1; failList items name the alarmType that failed.

    A device-level failure (not in the app, unlicensed, offline ...) is one entry without
    alarmType; a detection the camera lacks is one entry per alarmType.
    """
    items = req_list(ctx.body, "devInfoList", DETECTION_LIST_LIMIT)
    types = _alarm_types(ctx)
    enable = req_int(ctx.body, "enable", 0, 1) == 1
    fails: list[dict[str, Any]] = []
    succeeded = False
    for item in items:
        try:
            camera = _camera(item, ctx)
        except ApiError as err:
            fails.append(fail_item(item, err.code))
            continue
        for alarm_type in types:
            if alarm_type in camera.features.alarm_types:
                camera.detection[alarm_type] = enable
                succeeded = True
            else:
                entry = fail_item(item, codes.E_NOT_SUPPORTED_OP)
                fails.append({**entry, "alarmType": alarm_type})
    return _reply(fails, succeeded)


def _port_switch(
    ctx: Ctx, supported: Callable[[Device], bool], apply: Callable[[Device, str], None]
) -> Reply:
    items = req_list(ctx.body, "devInfoList", BATCH_LIMIT)
    enable = req_str(ctx.body, "enable", ("on", "off"))
    fails: list[dict[str, Any]] = []
    succeeded = False
    for item in items:
        try:
            camera = _camera(item, ctx, supported)
        except ApiError as err:
            fails.append(fail_item(item, err.code))
            continue
        apply(camera, enable)
        succeeded = True
    return _reply(fails, succeeded)


def _set_input(camera: Device, value: str) -> None:
    camera.alarm_input = value


def _set_output(camera: Device, value: str) -> None:
    camera.alarm_output = value


@route(_BASE + "setAlarmInputEnable")
async def set_alarm_input(ctx: Ctx) -> Reply:
    """1.4.8.4: enable is the string "on"/"off"; needs alarm_in_enable."""
    return _port_switch(ctx, lambda camera: camera.features.alarm_in, _set_input)


@route(_BASE + "setAlarmOutputEnable")
async def set_alarm_output(ctx: Ctx) -> Reply:
    """1.4.8.5: enable is the string "on"/"off"; needs alarm_out_enable."""
    return _port_switch(ctx, lambda camera: camera.features.alarm_out, _set_output)
