"""Basic Configurations (seed section of the same name): /openapi/config/*."""

from __future__ import annotations

import time

from .codes import (
    E_AFTER_ACTIVATION,
    E_AUTO_FOCUS,
    E_DD_AUDIO,
    E_DD_MOTION,
    E_DD_TIME,
    E_DD_WEEKDAY,
    E_FORMAT,
    E_GENERAL,
    E_IR_MODE,
    E_LED,
    E_MANUAL_FOCUS,
    E_NAME,
    E_PARAM,
    E_ROTATION,
    E_SD_CARD,
    E_WIFI_PARAM,
    E_ZOOM,
    ApiError,
)
from .routes import Args, Auth, Ctx, Data, route
from .state import MAX_FOCUS, MAX_ZOOM, SD_UNPLUGGED

AP_LIST = (("SUNMI_OFFICE", "WPA-PSK"), ("SUNMI_GUEST", "WPA-PSK"), ("Shop-Open", "NONE"))
# getZoomFocusConf: the seed's parameter table says focus_x/focus_y, its response example and
# the SUNMI app's CameraConfig say focused_x/focused_y.  The example wins -- ASSUMPTION.
FOCUS_X_KEY, FOCUS_Y_KEY = "focused_x", "focused_y"


# -- Wi-Fi and IP -----------------------------------------------------------------------
def _set_wifi(ctx: Ctx, args: Args) -> None:
    ssid = args.text("ssid")
    password = args.text("password", empty=True)
    if len(ssid) > 32 or len(password) > 64:
        raise ApiError(E_WIFI_PARAM)
    ctx.state.wifi_ssid, ctx.state.wifi_password = ssid, password


@route("/openapi/config/setWifiConf")
async def set_wifi_conf(ctx: Ctx, args: Args) -> Data:
    """Store the SSID/password (nothing is joined)."""
    _set_wifi(ctx, args)
    return None


@route(
    "/openapi/config/setWifiConfWithoutAuth",
    auth=Auth.WITHOUT_AUTH,
    after_activation=E_AFTER_ACTIVATION,
)
async def set_wifi_conf_without_auth(ctx: Ctx, args: Args) -> Data:
    """Before activation only, no public parameters."""
    _set_wifi(ctx, args)
    return None


@route("/openapi/config/getWifiConf")
async def get_wifi_conf(ctx: Ctx, args: Args) -> Data:
    """The stored SSID/password."""
    return {"ssid": ctx.state.wifi_ssid, "password": ctx.state.wifi_password}


def _ap_list() -> Data:
    aps = [{"ssid": ssid, "key_mgmt": mgmt} for ssid, mgmt in AP_LIST]
    return {"num": len(aps), "ap_list": aps}


@route("/openapi/config/getApList")
async def get_ap_list(ctx: Ctx, args: Args) -> Data:
    """A fixed list of access points."""
    return _ap_list()


# Its code list has no 12; after activation it answers 1.
@route("/openapi/config/getApListWithoutAuth", auth=Auth.WITHOUT_AUTH, after_activation=E_GENERAL)
async def get_ap_list_without_auth(ctx: Ctx, args: Args) -> Data:
    """Before activation only."""
    return _ap_list()


@route("/openapi/config/getIpConfiguration")
async def get_ip_configuration(ctx: Ctx, args: Args) -> Data:
    """The simulator's loopback address, as DHCP would have given it."""
    config = {
        "proto": "dhcp",
        "ipaddr": ctx.device.host,
        "netmask": "255.0.0.0",
        "gateway": "127.0.0.1",
        "dns1": "127.0.0.1",
        "dns2": "",
    }
    config.update(ctx.state.ip_config)
    config["ipaddr"] = ctx.device.host  # the simulator never moves
    return config


@route("/openapi/config/setIpConfiguration")
async def set_ip_configuration(ctx: Ctx, args: Args) -> Data:
    """Stored for getIpConfiguration; the listening address does not change."""
    proto = args.text("proto")
    if proto not in ("dhcp", "static"):
        raise ApiError(E_PARAM)
    stored = {"proto": proto}
    for key in ("netmask", "gateway", "dns1", "dns2"):
        if key in args.params:
            stored[key] = args.params[key]
    ctx.state.ip_config = stored
    return None


# -- zoom and focus (FS only) -----------------------------------------------------------
@route("/openapi/config/setZoom", feature="zoom_focus", unsupported=E_ZOOM)
async def set_zoom(ctx: Ctx, args: Args) -> Data:
    """Zoom [0, 500]; the lens then refocuses by itself (focus follows zoom)."""
    zoom = args.integer("zoom", E_ZOOM, 0, MAX_ZOOM)
    ctx.state.zoom = zoom
    ctx.state.focus = zoom * MAX_FOCUS // MAX_ZOOM
    return None


@route("/openapi/config/manualFocus", feature="zoom_focus", unsupported=E_MANUAL_FOCUS)
async def manual_focus(ctx: Ctx, args: Args) -> Data:
    """Focus [0, 780]."""
    ctx.state.focus = args.integer("focus", E_MANUAL_FOCUS, 0, MAX_FOCUS)
    return None


@route("/openapi/config/autoFocus", feature="zoom_focus", unsupported=E_AUTO_FOCUS)
async def auto_focus(ctx: Ctx, args: Args) -> Data:
    """Focus point in percent."""
    ctx.state.focused_x = args.integer("focus_x", E_AUTO_FOCUS, 0, 100)
    ctx.state.focused_y = args.integer("focus_y", E_AUTO_FOCUS, 0, 100)
    return None


@route("/openapi/config/resetZoomFocus", feature="zoom_focus")
async def reset_zoom_focus(ctx: Ctx, args: Args) -> Data:
    """Back to zoom 0, focus 0, centre point."""
    state = ctx.state
    state.zoom, state.focus, state.focused_x, state.focused_y = 0, 0, 50, 50
    return None


@route("/openapi/config/getZoomFocusConf", feature="zoom_focus")
async def get_zoom_focus_conf(ctx: Ctx, args: Args) -> Data:
    """Key order of the seed's example."""
    state = ctx.state
    return {
        "zoom": state.zoom,
        "max_zoom": MAX_ZOOM,
        "max_focus": MAX_FOCUS,
        "focus": state.focus,
        FOCUS_X_KEY: state.focused_x,
        FOCUS_Y_KEY: state.focused_y,
    }


# -- IR, motion detection, name, LED, rotation ------------------------------------------
@route("/openapi/config/setIrMode")
async def set_ir_mode(ctx: Ctx, args: Args) -> Data:
    """0 off, 1 on, 2 auto."""
    ctx.state.irmode = args.integer("irmode", E_IR_MODE, 0, 2)
    return None


@route("/openapi/config/getIrMode")
async def get_ir_mode(ctx: Ctx, args: Args) -> Data:
    """Current IR mode."""
    return {"irmode": ctx.state.irmode}


@route("/openapi/config/setDynamicDetect")
async def set_dynamic_detect(ctx: Ctx, args: Args) -> Data:
    """All five fields are required; each has its own error code."""
    motion = args.integer("motion_level", E_DD_MOTION, 0, 3)
    audio = args.integer("audio_level", E_DD_AUDIO, 0, 3)
    weekday = args.integer("weekday", E_DD_WEEKDAY, 0, 255)
    start = args.integer("start_time", E_DD_TIME, 0, 1440)
    stop = args.integer("stop_time", E_DD_TIME, 0, 1440)
    detect = ctx.state.dynamic_detect
    detect.motion_level, detect.audio_level, detect.weekday = motion, audio, weekday
    detect.start_time, detect.stop_time = start, stop
    return None


@route("/openapi/config/getDynamicDetect")
async def get_dynamic_detect(ctx: Ctx, args: Args) -> Data:
    """Current motion/audio detection settings."""
    detect = ctx.state.dynamic_detect
    return {
        "motion_level": detect.motion_level,
        "audio_level": detect.audio_level,
        "weekday": detect.weekday,
        "start_time": detect.start_time,
        "stop_time": detect.stop_time,
    }


@route("/openapi/config/updateName")
async def update_name(ctx: Ctx, args: Args) -> Data:
    """At most 36 characters."""
    ctx.state.ipc_name = args.text("name", E_NAME, max_len=36)
    return None


@route("/openapi/config/getName")
async def get_name(ctx: Ctx, args: Args) -> Data:
    """The IPC name (also getInfo's ``name``)."""
    return {"name": ctx.state.ipc_name}


@route("/openapi/config/setLedSwitch")
async def set_led_switch(ctx: Ctx, args: Args) -> Data:
    """0 disable, 1 enable."""
    ctx.state.led_switch = args.integer("led_switch", E_LED, 0, 1)
    return None


@route("/openapi/config/getLedSwitch")
async def get_led_switch(ctx: Ctx, args: Args) -> Data:
    """LED setting."""
    return {"led_switch": ctx.state.led_switch}


@route("/openapi/config/setRotation")
async def set_rotation(ctx: Ctx, args: Args) -> Data:
    """One of getRotationAngles."""
    rotation = args.integer("rotation", E_ROTATION, 0, 359)
    if rotation not in ctx.device.model.rotations:
        raise ApiError(E_ROTATION)
    ctx.state.rotation = rotation
    return None


@route("/openapi/config/getRotation")
async def get_rotation(ctx: Ctx, args: Args) -> Data:
    """Image orientation."""
    return {"rotation": ctx.state.rotation}


@route("/openapi/config/getRotationAngles")
async def get_rotation_angles(ctx: Ctx, args: Args) -> Data:
    """Angles as strings, as in the seed's example."""
    return {"angles": [str(angle) for angle in ctx.device.model.rotations]}


# -- SD card ----------------------------------------------------------------------------
@route("/openapi/config/formatMemoryCard")
async def format_memory_card(ctx: Ctx, args: Args) -> Data:
    """Starts a format that runs ``format_seconds``; status reads 3 meanwhile."""
    state = ctx.state
    status = state.sd_card_status
    if status == SD_UNPLUGGED:
        raise ApiError(E_SD_CARD)
    if state.formatting:
        raise ApiError(E_FORMAT)
    state.formatting_until = time.monotonic() + ctx.format_seconds
    state.formats += 1
    return None


@route("/openapi/config/getMemoryCardStatus")
async def get_memory_card_status(ctx: Ctx, args: Args) -> Data:
    """0 unplugged, 1 unformatted, 2 working, 3 unknown (also: formatting)."""
    return {"status": ctx.state.sd_card_status}


# -- face recognition settings (FM020 only) ---------------------------------------------
@route("/openapi/config/getAiFaceConfig", feature="face")
async def get_ai_face_config(ctx: Ctx, args: Args) -> Data:
    """Face optimality analysis time."""
    return {"optimize_seconds": ctx.state.optimize_seconds}


@route("/openapi/config/setAiFaceConfig", feature="face")
async def set_ai_face_config(ctx: Ctx, args: Args) -> Data:
    """[1, 6] seconds; its code list has no 2, so a bad value answers 1."""
    ctx.state.optimize_seconds = args.integer("optimize_seconds", E_GENERAL, 1, 6)
    return {"optimize_seconds": ctx.state.optimize_seconds}
