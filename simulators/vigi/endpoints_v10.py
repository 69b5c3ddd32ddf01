"""Control endpoints of document V1.0 (section 4.2 - 4.10); the token is in server.py.

Shapes follow the document's examples exactly.  Every request key the document lists
is required (-40211 when absent), except ``quality`` for a CBR bitrate.
"""

from __future__ import annotations

import ipaddress
import time
from datetime import date, datetime

from .routes import Ctx, Reply, get_channel, get_stream, route
from .state import (
    LINK_MODES,
    MAIN_BITRATES,
    MAIN_RESOLUTIONS,
    MINOR_BITRATES,
    MINOR_RESOLUTIONS,
    QUALITIES,
    Disk,
    EventServer,
    PoePort,
    recording_days,
    recording_segments,
)
from .wire import (
    E_BITRATE_RANGE,
    E_BITRATE_TYPE,
    E_DEVICE_NOT_FOUND,
    E_ENTRY_EXISTS,
    E_ENTRY_MISSING,
    E_ILLEGAL_ID,
    E_IP_FORMAT,
    E_OPERATION_PROHIBITED,
    E_PARAM,
    E_QUALITY_RANGE,
    E_RESOLUTION_FORMAT,
    E_RESOLUTION_RANGE,
    E_UNSUPPORTED_COMMAND,
    ApiError,
    Args,
)

ON_OFF = ("on", "off")


# -- channel management -----------------------------------------------------------------
@route("GET", "/openapi/added_devices")
async def added_devices(ctx: Ctx, args: Args) -> Reply:
    """Section 4.2.1."""
    args.done()
    devices = [
        {
            "id": ch.id,
            "name": ch.name,
            "alias": ch.alias,
            "online": "1" if ch.online else "0",
            "ip": ch.ip,
            "mac": ch.mac,
        }
        for ch in ctx.state.channels.values()
    ]
    return {"devices": devices}


# -- video ------------------------------------------------------------------------------
def _resolutions(stream: str) -> tuple[str, ...]:
    return MAIN_RESOLUTIONS if stream == "main" else MINOR_RESOLUTIONS


def _bitrates(stream: str) -> tuple[str, ...]:
    return MAIN_BITRATES if stream == "main" else MINOR_BITRATES


@route("GET", "/openapi/resolution")
async def get_resolution(ctx: Ctx, args: Args) -> Reply:
    """Section 4.3.1."""
    channel, stream = get_channel(ctx, args), get_stream(args)
    args.done()
    return {"resolution": channel.stream(stream).resolution}


@route("GET", "/openapi/valid_resolutions")
async def valid_resolutions(ctx: Ctx, args: Args) -> Reply:
    """Section 4.3.2."""
    get_channel(ctx, args)
    stream = get_stream(args)
    args.done()
    return {"resolutions": [{"resolution": r} for r in _resolutions(stream)]}


@route("POST", "/openapi/resolution")
async def set_resolution(ctx: Ctx, args: Args) -> Reply:
    """Section 4.3.3: the value must come from valid_resolutions (-70907/-70908)."""
    channel, stream = get_channel(ctx, args), get_stream(args)
    resolution = args.string("resolution")
    args.done()
    width, star, height = resolution.partition("*")
    if not (star and width.isdigit() and height.isdigit()):
        raise ApiError(E_RESOLUTION_FORMAT)
    if resolution not in _resolutions(stream):
        raise ApiError(E_RESOLUTION_RANGE)
    channel.stream(stream).resolution = resolution
    return {}


@route("GET", "/openapi/bitrate")
async def get_bitrate(ctx: Ctx, args: Args) -> Reply:
    """Section 4.3.4 (the key really is spelled maximun_bitrate)."""
    channel, stream = get_channel(ctx, args), get_stream(args)
    args.done()
    settings = channel.stream(stream)
    return {"maximun_bitrate": settings.bitrate, "type": settings.type, "quality": settings.quality}


@route("GET", "/openapi/bitrate_capability")
async def bitrate_capability(ctx: Ctx, args: Args) -> Reply:
    """Section 4.3.5 (valid_qualitys, sic)."""
    get_channel(ctx, args)
    stream = get_stream(args)
    args.done()
    return {"valid_bitrates": list(_bitrates(stream)), "valid_qualitys": list(QUALITIES)}


@route("POST", "/openapi/bitrate")
async def set_bitrate(ctx: Ctx, args: Args) -> Reply:
    """Section 4.3.6: -70906 bitrate, -70910 type, -70904 quality out of range."""
    channel, stream = get_channel(ctx, args), get_stream(args)
    bitrate = args.string("maximun_bitrate", _bitrates(stream), code=E_BITRATE_RANGE)
    kind = args.string("type", ("cbr", "vbr"), code=E_BITRATE_TYPE)
    settings = channel.stream(stream)
    quality = settings.quality
    if kind == "vbr" or args.has("quality"):
        quality = args.string("quality", QUALITIES, code=E_QUALITY_RANGE)
    args.done()
    settings.bitrate, settings.type, settings.quality = bitrate, kind, quality
    return {"sub_code": 0}


# -- time -------------------------------------------------------------------------------
@route("GET", "/openapi/timing_mode")
async def get_timing_mode(ctx: Ctx, args: Args) -> Reply:
    """Section 4.4.1."""
    args.done()
    return {"mode": ctx.state.timing_mode}


@route("PUT", "/openapi/timing_mode")
async def set_timing_mode(ctx: Ctx, args: Args) -> Reply:
    """Section 4.4.2."""
    ctx.state.timing_mode = args.string("mode", ("ntp", "manual"))
    args.done()
    return {}


@route("GET", "/openapi/ntp")
async def get_ntp(ctx: Ctx, args: Args) -> Reply:
    """Section 4.4.3."""
    args.done()
    return {"server": ctx.state.ntp_server, "port": ctx.state.ntp_port}


# The document's PUT example carries "error_code": 0 in the request; tolerate it.
@route("PUT", "/openapi/ntp", ignore=("error_code",))
async def set_ntp(ctx: Ctx, args: Args) -> Reply:
    """Section 4.4.4: a malformed IPv4 address gives -40303 (invalid IP format)."""
    server = args.string("server")
    port = args.integer("port", 1, 65535)
    args.done()
    try:
        ipaddress.IPv4Address(server)
    except ValueError as err:
        raise ApiError(E_IP_FORMAT) from err
    ctx.state.ntp_server, ctx.state.ntp_port = server, port
    return {}


# -- audio ------------------------------------------------------------------------------
# system_volume is the NVR's own volume: one value shared by every channel.
@route("GET", "/openapi/audio/output/sound")
async def get_output_sound(ctx: Ctx, args: Args) -> Reply:
    """Section 4.5.1."""
    channel = get_channel(ctx, args)
    args.done()
    out = channel.audio_out
    return {"mute": out.mute, "volume": out.volume, "system_volume": ctx.state.system_volume}


@route("GET", "/openapi/audio/input/sound")
async def get_input_sound(ctx: Ctx, args: Args) -> Reply:
    """Section 4.5.2."""
    channel = get_channel(ctx, args)
    args.done()
    inp = channel.audio_in
    return {"mute": inp.mute, "volume": inp.volume, "noise_cancelling": inp.noise_cancelling}


@route("POST", "/openapi/audio/output/sound")
async def set_output_sound(ctx: Ctx, args: Args) -> Reply:
    """Section 4.5.3."""
    channel = get_channel(ctx, args)
    mute = args.string("mute", ON_OFF)
    volume = args.integer("volume", 0, 100)
    system_volume = args.integer("system_volume", 0, 100)
    args.done()
    channel.audio_out.mute, channel.audio_out.volume = mute, volume
    ctx.state.system_volume = system_volume
    return {"sub_code": 0}


@route("POST", "/openapi/audio/input/sound")
async def set_input_sound(ctx: Ctx, args: Args) -> Reply:
    """Section 4.5.4."""
    channel = get_channel(ctx, args)
    mute = args.string("mute", ON_OFF)
    volume = args.integer("volume", 0, 100)
    noise = args.string("noise_cancelling", ON_OFF)
    args.done()
    channel.audio_in.mute, channel.audio_in.volume = mute, volume
    channel.audio_in.noise_cancelling = noise
    return {"sub_code": 0}


# -- disks ------------------------------------------------------------------------------
def _disk_json(disk: Disk, *, slot: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "total_space": f"{disk.total_gb} GB",
        "free_space": f"{disk.free_gb} GB",
        "status": disk.status,
    }
    if slot:
        entry["slot"] = disk.slot
    entry.update(id=disk.id, rw_attr=disk.rw_attr)
    return entry


@route("GET", "/openapi/disks")
async def disks(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.1."""
    args.done()
    return {"disks": [_disk_json(d, slot=True) for d in ctx.state.disks]}


@route("GET", "/openapi/esata_disks")
async def esata_disks(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.2 (the example has no slot)."""
    args.done()
    return {"disks": [_disk_json(d, slot=False) for d in ctx.state.esata_disks]}


@route("POST", "/openapi/smartctl_process")
async def smartctl_process(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.3."""
    ctx.state.smartctl_running = args.string("action", ("start", "stop")) == "start"
    args.done()
    return {}


def _smart_disk(ctx: Ctx, args: Args) -> Disk:
    """The ``disk`` parameter; -40107 (operation prohibited) before smartctl starts."""
    number = args.integer("disk", -(2**31), 2**31 - 1)
    args.done()
    if not ctx.state.smartctl_running:
        raise ApiError(E_OPERATION_PROHIBITED)
    for disk in ctx.state.disks:
        if disk.id == number:
            return disk
    raise ApiError(E_DEVICE_NOT_FOUND)


@route("GET", "/openapi/smartctl_process/capability")
async def smart_capability(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.4."""
    _smart_disk(ctx, args)
    return {"short": "on", "extend": "on", "conveyance": "off"}


@route("POST", "/openapi/smartctl_process/test")
async def smart_test(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.5: conveyance is not supported by the simulated disk (-40106)."""
    kind = args.string("type", ("short", "extended", "conveyance"))
    disk = _smart_disk(ctx, args)
    if kind == "conveyance":
        raise ApiError(E_UNSUPPORTED_COMMAND)
    disk.smart_test, disk.smart_test_started = kind, time.monotonic()
    return {}


@route("GET", "/openapi/smartctl_process/schedule")
async def smart_schedule(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.6: test progress, 10 % per second after a test starts."""
    disk = _smart_disk(ctx, args)
    progress = 0
    if disk.smart_test is not None:
        progress = min(100, int((time.monotonic() - disk.smart_test_started) * 10))
    return {"schedule": f"{progress}%"}


@route("GET", "/openapi/smartctl_process/attribute")
async def smart_attribute(ctx: Ctx, args: Args) -> Reply:
    """Section 4.6.7: the document leaves the object's contents open."""
    disk = _smart_disk(ctx, args)
    return {
        "smart": {
            "model": "WDC WD10PURZ",
            "health": "PASSED",
            "temperature": "36",
            "power_on_hours": str(1200 + disk.id),
            "reallocated_sector_count": "0",
        }
    }


# -- PoE --------------------------------------------------------------------------------
def _poe_ports(ctx: Ctx) -> list[PoePort]:
    if not ctx.state.poe:
        raise ApiError(E_UNSUPPORTED_COMMAND)  # an NVR without PoE
    return ctx.state.poe


def _poe_port(ctx: Ctx, args: Args) -> PoePort:
    ports = _poe_ports(ctx)
    return ports[args.integer("port", 1, len(ports)) - 1]


@route("GET", "/openapi/poe/info")
async def poe_info(ctx: Ctx, args: Args) -> Reply:
    """Section 4.7.1."""
    args.done()
    info = [
        {
            "port": p.port,
            "enable": p.enable,
            "priority": p.priority,
            "max_port_power": p.max_port_power,
        }
        for p in _poe_ports(ctx)
    ]
    return {"info": info}


@route("POST", "/openapi/poe/info")
async def set_poe_info(ctx: Ctx, args: Args) -> Reply:
    """Section 4.7.2: the request table allows priority "0" or "1" only."""
    port = _poe_port(ctx, args)
    enable = args.string("enable", ON_OFF)
    priority = args.string("priority", ("0", "1"))
    power = args.integer("max_port_power", 0, 300)
    args.done()
    port.enable, port.priority, port.max_port_power = enable, priority, power
    if enable == "off":
        port.cost, port.status = 0, 2 if port.linked else 0
    elif port.linked:
        port.cost, port.status = 35 + port.port, 1
    return {}


@route("GET", "/openapi/poe/link_mode")
async def poe_link_mode(ctx: Ctx, args: Args) -> Reply:
    """Section 4.7.3."""
    args.done()
    return {"link_mode": [{"port": p.port, "link_mode": p.link_mode} for p in _poe_ports(ctx)]}


@route("POST", "/openapi/poe/link_mode")
async def set_poe_link_mode(ctx: Ctx, args: Args) -> Reply:
    """Section 4.7.4."""
    port = _poe_port(ctx, args)
    port.link_mode = args.string("link_mode", LINK_MODES)
    args.done()
    return {}


@route("GET", "/openapi/poe/status")
async def poe_status(ctx: Ctx, args: Args) -> Reply:
    """Section 4.7.5: one-key objects, global first."""
    args.done()
    ports = _poe_ports(ctx)
    status: list[dict[str, object]] = [
        {"global": {"sys_power": ctx.state.sys_power, "cost_power": sum(p.cost for p in ports)}}
    ]
    status += [{f"port{p.port}": {"cost": p.cost, "status": p.status}} for p in ports]
    return {"status": status}


@route("GET", "/openapi/poe/link_status")
async def poe_link_status(ctx: Ctx, args: Args) -> Reply:
    """Section 4.7.6: one character per port."""
    args.done()
    return {"link_status": "".join("1" if p.linked else "0" for p in _poe_ports(ctx))}


# -- event servers ----------------------------------------------------------------------
@route("GET", "/openapi/event_server")
async def event_servers(ctx: Ctx, args: Args) -> Reply:
    """Section 4.8.1."""
    args.done()
    servers = sorted(ctx.state.event_servers.values(), key=lambda s: s.id)
    return {"event_server": [s.as_json() for s in servers]}


# The method table says /openapi/event_server, the example /openapi/event_server/new_server.
@route("POST", "/openapi/event_server", "/openapi/event_server/new_server")
async def add_event_server(ctx: Ctx, args: Args) -> Reply:
    """Section 4.8.2: id 1..3 (else -76209); an occupied id gives -40203."""
    server_id = args.integer_or_digits("id", 1, 3, code=E_ILLEGAL_ID)
    server = EventServer(
        id=server_id,
        ip_or_domain=args.string("ip_or_domain", max_len=253),
        port=args.integer("port", 1, 65535),
        url=args.string("url"),
        protocol=args.string("protocol", ("HTTP", "HTTPS")),
        picture_switch=args.string("picture_switch", ON_OFF),
    )
    args.done()
    if not server.ip_or_domain:
        raise ApiError(E_PARAM)
    if server_id in ctx.state.event_servers:
        raise ApiError(E_ENTRY_EXISTS)
    ctx.state.event_servers[server_id] = server
    return {}


@route("POST", "/openapi/event_server/delete_server")
async def delete_event_server(ctx: Ctx, args: Args) -> Reply:
    """Section 4.8.3: an id with no server gives -40205."""
    server_id = args.integer_or_digits("id", 1, 3, code=E_ILLEGAL_ID)
    args.done()
    if ctx.state.event_servers.pop(server_id, None) is None:
        raise ApiError(E_ENTRY_MISSING)
    return {}


# -- recording --------------------------------------------------------------------------
def _month(args: Args, key: str) -> date:
    text = args.string(key)
    try:
        return datetime.strptime(text, "%Y%m").date() if len(text) == 6 else date.min
    except ValueError:
        return date.min


def _day(args: Args) -> date:
    text = args.string("day")
    try:
        if len(text) != 8:
            raise ApiError(E_PARAM)
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as err:
        raise ApiError(E_PARAM) from err


@route("GET", "/openapi/record/days")
async def record_days(ctx: Ctx, args: Args) -> Reply:
    """Section 4.9.1: months as %Y%m; start after end gives -40209."""
    channel = get_channel(ctx, args, online=False)
    first, last = _month(args, "start"), _month(args, "end")
    args.done()
    if date.min in (first, last) or first > last:
        raise ApiError(E_PARAM)
    end_year, end_month = divmod(last.year * 12 + last.month, 12)
    month_after = date(end_year, end_month + 1, 1)
    days = recording_days(channel.id, first, date.fromordinal(month_after.toordinal() - 1))
    return {"days": [{"day": d.strftime("%Y%m%d")} for d in days]}


@route("GET", "/openapi/record/search/free_process")
async def free_process(ctx: Ctx, args: Args) -> Reply:
    """Section 4.9.2."""
    args.done()
    return {"process": ctx.state.allocate_process()}


@route("GET", "/openapi/record/search/results")
async def search_results(ctx: Ctx, args: Args) -> Reply:
    """Section 4.9.3: an unallocated process gives -40209; >100 results give none."""
    channel = get_channel(ctx, args, online=False)
    process = args.integer("process", 0, 2**31 - 1)
    day = _day(args)
    start = args.integer("start_index", 0, 2**31 - 1)
    end = args.integer("end_index", 0, 2**31 - 1)
    args.done()
    if process not in ctx.state.processes or end < start:
        raise ApiError(E_PARAM)
    segments = recording_segments(channel.id, day)
    if len(segments) > 100:
        segments = []
    return {
        "results": [
            {"start_time": str(begin), "end_time": str(finish)}
            for begin, finish in segments[start : end + 1]
        ]
    }


# -- system -----------------------------------------------------------------------------
@route("POST", "/openapi/systemctl")
async def systemctl(ctx: Ctx, args: Args) -> Reply:
    """Section 4.10.1: both actions reboot (reset also restores factory state)."""
    action = args.string("action", ("reboot", "reset"))
    args.done()
    ctx.reboot(action == "reset")
    return {}
