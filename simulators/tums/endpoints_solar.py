"""Solar power devices (``VIDEO.SOLARPOWER``): sources 1.4.3.15 and 1.4.4.19 to 1.4.4.22.

Every endpoint takes [NO-CH] (qrCode/mac only) and needs a licensed device (-88315). A target
that is not a solar device gets -80391 (设备不支持该操作), the code the document uses for an
operation a device does not support (1.4.8.4 example).
"""

from __future__ import annotations

from . import codes
from .routes import CH_NONE, ApiError, Ctx, Reply, opt_str, req_int, req_str, route, target
from .solar import NO_DISCHARGING, SolarState

_BASE = "/evcs/open/chargingDeviceManager/v1/"


def _solar(ctx: Ctx, *, online: bool = True) -> SolarState:
    device = target(ctx, CH_NONE, online=online)
    if device.solar is None:
        raise ApiError(codes.E_NOT_SUPPORTED_OP)
    return device.solar


@route("/tums/open/deviceManager/v1/getSolarPowerDeviceExtendInfo")
async def extend_info(ctx: Ctx) -> Reply:
    """1.4.3.15: the cloud's device record, so it also answers for an offline device."""
    return Reply(_solar(ctx, online=False).extend_info(ctx.now))


@route(_BASE + "querySolarPower")
async def query_power(ctx: Ctx) -> Reply:
    """1.4.4.19: status, battery, temperature and powers, all strings."""
    return Reply(_solar(ctx).power(ctx.now))


@route(_BASE + "querySolarSupplyTime")
async def query_supply_time(ctx: Ctx) -> Reply:
    """1.4.4.20: one schedule per load; supplyLoadNum absent on single-load devices."""
    return Reply({"solarSupplyTimeList": _solar(ctx).schedule_list()})


@route(_BASE + "setSolarSupplyTime")
async def set_supply_time(ctx: Ctx) -> Reply:
    """1.4.4.21: hours and minutes are ints here (strings in 1.4.4.20).

    supplyLoadNum is ignored on a single-load device; on a device with several loads it must
    name one of them (the document marks it optional only because single-load devices have
    no number; without it the cloud could not tell which load is meant).
    """
    solar = _solar(ctx)
    entry = {
        "startTimeHour": str(req_int(ctx.body, "startTimeHour", 0, 23)),
        "startTimeMin": str(req_int(ctx.body, "startTimeMin", 0, 59)),
        "endTimeHour": str(req_int(ctx.body, "endTimeHour", 0, 23)),
        "endTimeMin": str(req_int(ctx.body, "endTimeMin", 0, 59)),
        "status": req_str(ctx.body, "status", ("on", "off")),
    }
    load = 1
    if solar.loads > 1:
        number = opt_str(ctx.body, "supplyLoadNum")
        if number is None or not number.isdigit() or not 1 <= int(number) <= solar.loads:
            raise ApiError(codes.E_PARAM)
        load = int(number)
    solar.schedules[load] = entry
    return Reply()


@route(_BASE + "solarLoadReset")
async def load_reset(ctx: Ctx) -> Reply:
    """1.4.4.22: result "0" restarted, "1" failed; not for single-load devices (-80391).

    The restart fails ("1") while the system may not discharge (states 5 and 7), since the
    load cannot be powered up again then.
    """
    solar = _solar(ctx)
    load = req_int(ctx.body, "loadNum")
    if solar.loads == 1:
        raise ApiError(codes.E_NOT_SUPPORTED_OP)
    if not 1 <= load <= solar.loads:
        raise ApiError(codes.E_PARAM)
    if solar.status in NO_DISCHARGING:
        return Reply("1")
    solar.load_resets.append(load)
    return Reply("0")
