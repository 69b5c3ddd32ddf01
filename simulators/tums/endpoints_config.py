"""Device configuration (source 1.4.4) and the manual alarm output (1.4.8.2)."""

from __future__ import annotations

import re
from typing import Any

from . import codes
from .routes import (
    CH_NONE,
    CH_OPTIONAL,
    CH_REQUIRED,
    ApiError,
    Ctx,
    Reply,
    opt_str,
    req_bool,
    req_int,
    req_str,
    route,
    storage_owner,
    target,
    video_device,
)
from .state import Device, lamp_capability, osd_capability, video_capability

_BASE = "/vms/open/deviceConfig/v1/"
_HHMMSS = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


def _ipc(ctx: Ctx) -> Device:
    """[CH-A] target that must be a camera (an NVR itself has no image/OSD/stream)."""
    device = target(ctx, CH_REQUIRED)
    if not device.is_camera:
        raise ApiError(codes.E_UNSUPPORTED)
    return device


def _video(ctx: Ctx) -> Device:
    """[CH-OPT] target that must be an IPC or NVR (time and reboot settings)."""
    return video_device(target(ctx, CH_OPTIONAL))


def _check_range(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ApiError(codes.E_PARAM)
    return value


def _check_choice(value: Any, choices: list[str] | tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ApiError(codes.E_PARAM)
    return value


def _object(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ApiError(codes.E_PARAM)
    return value


# OSD ------------------------------------------------------------------------------------


@route(_BASE + "getDeviceOsdCapability")
async def osd_cap(ctx: Ctx) -> Reply:
    """1.4.4.1."""
    _ipc(ctx)
    return Reply(osd_capability())


@route(_BASE + "getDeviceOsdInfo")
async def osd_get(ctx: Ctx) -> Reply:
    """1.4.4.2."""
    device = _ipc(ctx)
    osd = device.settings["osd"]
    labels = []
    for label in osd["labelInfoList"]:
        entry = dict(label)
        if device.parent is not None:  # NVR channels: no ifLinkToDev / alignType
            entry.pop("ifLinkToDev", None)
            entry.pop("alignType", None)
        labels.append(entry)
    return Reply(
        {
            "date": dict(osd["date"]),
            "week": dict(osd["week"]),
            "font": dict(osd["font"]),
            "labelInfoList": labels,
        }
    )


@route(_BASE + "modifyDeviceOsdInfo")
async def osd_set(ctx: Ctx) -> Reply:
    """1.4.4.3: partial update; values must be in the capability set."""
    device = _ipc(ctx)
    cap = osd_capability()
    osd = device.settings["osd"]
    updates: dict[str, dict[str, Any]] = {}
    for part in ("date", "week"):
        given = _object(ctx.body, part)
        if given is not None:
            new = dict(osd[part])
            for axis in ("horizontalCoordinate", "verticalCoordinate"):
                if axis in given:
                    new[axis] = _check_range(given[axis], 0, 10000)
            if "ifShow" in given:
                new["ifShow"] = req_bool(given, "ifShow")
            updates[part] = new
    font = _object(ctx.body, "font")
    if font is not None:
        new_font = dict(osd["font"])
        for key, choices in (
            ("colorType", ["auto", "user_defined"]),
            ("display", cap["displayMode"]),
            ("color", cap["fontColor"]),
            ("size", cap["fontSize"]),
        ):
            if key in font:
                new_font[key] = _check_choice(font[key], choices)
        updates["font"] = new_font
    labels = ctx.body.get("labelInfoList")
    new_labels = [dict(label) for label in osd["labelInfoList"]]
    if labels is not None:
        if not isinstance(labels, list):
            raise ApiError(codes.E_PARAM)
        by_name = {label["labelName"]: label for label in new_labels}
        for given in labels:
            if not isinstance(given, dict):
                raise ApiError(codes.E_PARAM)
            label = by_name.get(str(given.get("labelName")))
            if label is None:
                raise ApiError(codes.E_PARAM)
            for axis in ("horizontalCoordinate", "verticalCoordinate"):
                if axis in given:
                    label[axis] = _check_range(given[axis], 0, 10000)
            if "ifShow" in given:
                label["ifShow"] = req_bool(given, "ifShow")
            if "text" in given:
                text = given["text"]
                if not isinstance(text, str) or len(text.encode("gbk", "replace")) > 32:
                    raise ApiError(codes.E_PARAM)
                label["text"] = text
            if "ifLinkToDev" in given:
                if device.parent is not None:
                    raise ApiError(codes.E_PARAM)
                label["ifLinkToDev"] = req_bool(given, "ifLinkToDev")
            if "alignType" in given:
                label["alignType"] = _check_choice(given["alignType"], ("0", "1", "2"))
    osd.update(updates)
    osd["labelInfoList"] = new_labels
    return Reply()


# time -----------------------------------------------------------------------------------


@route(_BASE + "manualTiming")
async def manual_timing(ctx: Ctx) -> Reply:
    """1.4.4.4: switches to manual mode and sets the clock."""
    device = _video(ctx)
    when = req_int(ctx.body, "time", 0)
    device.timing_mode = "manual"
    device.clock_offset = when - ctx.now
    return Reply()


@route(_BASE + "getDeviceTimingInfo")
async def timing_get(ctx: Ctx) -> Reply:
    """1.4.4.14."""
    device = _video(ctx)
    return Reply({"timingMode": device.timing_mode, "serverIp": device.ntp_server})


@route(_BASE + "modifyDeviceTimingInfo")
async def timing_set(ctx: Ctx) -> Reply:
    """1.4.4.15: serverIp is required with ntp."""
    device = _video(ctx)
    mode = req_str(ctx.body, "timingMode", ("manual", "ntp"))
    server = opt_str(ctx.body, "serverIp")
    if mode == "ntp":
        if not server:
            raise ApiError(codes.E_PARAM)
        device.ntp_server = server
        device.clock_offset = 0.0
    device.timing_mode = mode
    return Reply()


@route(_BASE + "getDeviceTimingReboot")
async def timing_reboot_get(ctx: Ctx) -> Reply:
    """1.4.4.5."""
    return Reply(dict(_video(ctx).timing_reboot))


@route(_BASE + "modifyDeviceTimingReboot")
async def timing_reboot_set(ctx: Ctx) -> Reply:
    """1.4.4.6: time and day are required when ifOpen is true."""
    device = _video(ctx)
    if_open = req_bool(ctx.body, "ifOpen")
    config = dict(device.timing_reboot, ifOpen=if_open)
    when, day = ctx.body.get("time"), ctx.body.get("day")
    if if_open and (when is None or day is None):
        raise ApiError(codes.E_PARAM)
    if when is not None:
        if not isinstance(when, str) or not _HHMMSS.fullmatch(when):
            raise ApiError(codes.E_PARAM)
        config["time"] = when
    if day is not None:
        config["day"] = _check_range(day, 0, 7)
    device.timing_reboot = config
    return Reply()


# image ----------------------------------------------------------------------------------


@route(_BASE + "getDeviceSupplementLampCapability")
async def lamp_cap(ctx: Ctx) -> Reply:
    """1.4.4.7 (example spellings: supplementLampTypeList, nightVisonModeRange)."""
    _ipc(ctx)
    return Reply(lamp_capability())


@route(_BASE + "getDeviceImage")
async def image_get(ctx: Ctx) -> Reply:
    """1.4.4.8."""
    image = _ipc(ctx).settings["image"]
    return Reply({k: dict(v) if isinstance(v, dict) else v for k, v in image.items()})


_IMAGE_SUB = {
    "whiteLamp": {
        "smartWhiteLampType": ("auto_wtl", "auto_wtl_ae", "manual"),
        "smartWhiteLampLevel": (1, 5),
        "smartWhiteLampDigitalLevel": (0, 100),
    },
    "infrared": {
        "smartInfraredType": ("auto_ir", "auto_ir_ae", "manual"),
        "smartInfraredLevel": (0, 100),
    },
    "laser": {
        "laserType": ("manual", "zoom_prio", "smart", "off"),
        "laserIntensity": (0, 100),
        "laserAngle": (0, 100),
    },
}


@route(_BASE + "modifyDeviceImage")
async def image_set(ctx: Ctx) -> Reply:
    """1.4.4.9: every field optional; enums and ranges as in 1.4.4.8."""
    device = _ipc(ctx)
    image = dict(device.settings["image"])
    body = ctx.body
    if "flip" in body:
        image["flip"] = _check_choice(
            body["flip"], ("left_and_right", "up_and_down", "center", "off")
        )
    for key in ("luma", "contrast", "saturation", "sharpness"):
        if key in body:
            image[key] = _check_range(body[key], 0, 100)
    if "nightVisionMode" in body:
        image["nightVisionMode"] = _check_choice(
            body["nightVisionMode"], lamp_capability()["nightVisonModeRange"]
        )
    for group, fields in _IMAGE_SUB.items():
        given = _object(body, group)
        if given is None:
            continue
        if group == "laser":  # no laser lamp on the simulated cameras
            raise ApiError(codes.E_UNSUPPORTED)
        new = dict(image.get(group, {}))
        for key, rule in fields.items():
            if key in given:
                if isinstance(rule[0], str):
                    new[key] = _check_choice(given[key], [str(r) for r in rule])
                else:
                    new[key] = _check_range(given[key], int(rule[0]), int(rule[1]))
        image[group] = new
    device.settings["image"] = image
    return Reply()


# storage --------------------------------------------------------------------------------


@route(_BASE + "getDeviceSdCardInfo")
async def sd_info(ctx: Ctx) -> Reply:
    """1.4.4.10 (recordDuration/recordStartTime as numbers, like the example)."""
    owner = storage_owner(target(ctx, CH_REQUIRED))
    return Reply({"cardInfoList": [dict(card) for card in owner.cards]})


@route(_BASE + "formatDeviceSdCard")
async def sd_format(ctx: Ctx) -> Reply:
    """1.4.4.11: on an NVR channel this formats the NVR's disk."""
    owner = storage_owner(target(ctx, CH_REQUIRED))
    index = req_int(ctx.body, "cardIndex")
    for card in owner.cards:
        if card["index"] == index:
            if card["status"] == "none":
                raise ApiError(codes.E_PARAM)
            card.update(status="normal", freeSpace=card["totalSpace"])
            card.update(recordDuration=0, recordStartTime=0)
            ctx.account.clear_recordings(owner)  # they were on this card
            return Reply()
    raise ApiError(codes.E_PARAM)


@route(_BASE + "getDeviceRecordLoopInfo")
async def loop_get(ctx: Ctx) -> Reply:
    """1.4.4.12."""
    return Reply({"ifLoop": storage_owner(target(ctx, CH_REQUIRED)).if_loop})


@route(_BASE + "modifyDeviceRecordLoopInfo")
async def loop_set(ctx: Ctx) -> Reply:
    """1.4.4.13."""
    owner = storage_owner(target(ctx, CH_REQUIRED))
    owner.if_loop = req_bool(ctx.body, "ifLoop")
    return Reply()


# video ----------------------------------------------------------------------------------


@route(_BASE + "getDeviceVideoCapability")
async def video_cap(ctx: Ctx) -> Reply:
    """1.4.4.16 (example spellings bitrates/bitrateTypes)."""
    _ipc(ctx)
    return Reply(video_capability())


@route(_BASE + "getDeviceVideoInfo")
async def video_get(ctx: Ctx) -> Reply:
    """1.4.4.17 (example spellings bitrate/bitrateType, as 1.4.4.18 uses)."""
    streams = _ipc(ctx).settings["streams"]
    return Reply({"streamInfoList": [dict(s) for s in streams]})


@route(_BASE + "modifyDeviceVideoInfo")
async def video_set(ctx: Ctx) -> Reply:
    """1.4.4.18: values must come from the capability set; bitRate/bitRateType also accepted."""
    device = _ipc(ctx)
    given = ctx.body.get("streamInfoList")
    if not isinstance(given, list) or not given:
        raise ApiError(codes.E_PARAM)
    caps = {c["type"]: c for c in video_capability()["streamCapabilityList"]}
    streams = {s["type"]: dict(s) for s in device.settings["streams"]}
    for entry in given:
        if not isinstance(entry, dict):
            raise ApiError(codes.E_PARAM)
        kind = entry.get("type")
        if not isinstance(kind, str) or kind not in streams:
            raise ApiError(codes.E_PARAM)
        cap, stream = caps[kind], streams[kind]
        aliases = {"bitRate": "bitrate", "bitRateType": "bitrateType"}
        values = {aliases.get(k, k): v for k, v in entry.items()}
        if "encodeType" in values:
            stream["encodeType"] = _check_choice(values["encodeType"], cap["encodeTypes"])
        if "resolution" in values:
            stream["resolution"] = _check_choice(values["resolution"], cap["resolutions"])
        if "bitrateType" in values:
            stream["bitrateType"] = _check_choice(values["bitrateType"], cap["bitrateTypes"])
        for key, caps_key in (
            ("frameRate", "frameRates"),
            ("bitrate", "bitrates"),
            ("quality", "qualities"),
        ):
            if key in values:
                value = values[key]
                valid = isinstance(value, int) and not isinstance(value, bool)
                if not valid or str(value) not in cap[caps_key]:
                    raise ApiError(codes.E_PARAM)
                stream[key] = value
        if "digitalQuality" in values:
            low, high = (int(x) for x in cap["digitalQualityRange"])
            stream["digitalQuality"] = _check_range(values["digitalQuality"], low, high)
        for key in ("ifOpenSmartCodec", "virtualFrameNum"):
            if key in values:
                if kind != "main":
                    raise ApiError(codes.E_PARAM)
                if key == "ifOpenSmartCodec":
                    stream[key] = req_bool(values, key)
                else:
                    stream[key] = _check_range(values[key], 0, 9)
    device.settings["streams"] = [streams[s["type"]] for s in device.settings["streams"]]
    return Reply()


# PTZ ------------------------------------------------------------------------------------


@route(_BASE + "getDeviceZoomSupport")
async def zoom_support(ctx: Ctx) -> Reply:
    """1.4.4.25."""
    _ipc(ctx)
    return Reply({"zoomSupport": False})


@route(_BASE + "getPtzDeviceResetSupport")
async def ptz_reset_support(ctx: Ctx) -> Reply:
    """1.4.4.26."""
    return Reply({"positionResetSupport": _ipc(ctx).ptz})


@route(_BASE + "resetPtzDevicePosition")
async def ptz_reset(ctx: Ctx) -> Reply:
    """1.4.4.27: -40106 on a camera without PTZ."""
    device = _ipc(ctx)
    if not device.ptz:
        raise ApiError(codes.E_UNSUPPORTED)
    device.ptz_resets += 1
    return Reply()


# NVR per-channel push -------------------------------------------------------------------


def _nvr(ctx: Ctx) -> Device:
    device = target(ctx, CH_NONE)
    if not device.is_nvr:
        raise ApiError(codes.E_UNSUPPORTED)
    return device


@route(_BASE + "getNvrChannelsMessagePushInfo")
async def nvr_push_get(ctx: Ctx) -> Reply:
    """1.4.4.28."""
    nvr = _nvr(ctx)
    info = [
        {"channelId": channel, "deviceName": child.name, "messagePushEnabled": child.push_enabled}
        for channel, child in sorted(nvr.channels.items())
    ]
    return Reply({"infoList": info})


@route(_BASE + "modifyNvrChannelsMessagePushInfo")
async def nvr_push_set(ctx: Ctx) -> Reply:
    """1.4.4.29: the channel must be one 1.4.4.28 returns."""
    nvr = _nvr(ctx)
    channel = req_int(ctx.body, "channelId", 1)
    enabled = req_bool(ctx.body, "messagePushEnabled")
    child = nvr.channels.get(channel)
    if child is None:
        raise ApiError(codes.E_NO_CHANNEL)
    child.push_enabled = enabled
    return Reply()


# alarm ----------------------------------------------------------------------------------


@route("/tums/open/alarm/v1/triggerManualAlarm")
async def trigger_manual_alarm(ctx: Ctx) -> Reply:
    """1.4.8.2: action is the string "0" (stop) or "1" (start)."""
    device = _ipc(ctx)
    action = req_str(ctx.body, "action", ("0", "1"))
    device.alarm_on = action == "1"
    return Reply()
