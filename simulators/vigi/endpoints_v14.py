"""Endpoints added by document V1.3/V1.4 (known from the engineers' reference only)."""

from __future__ import annotations

import time

from aiohttp import web

from .jpeg import channel_jpeg
from .routes import Ctx, Reply, get_channel, route
from .state import DELAY_TIMES
from .wire import E_STRING_LENGTH, E_UNSUPPORTED_COMMAND, ApiError, Args

V13 = (1, 3)
V14 = (1, 4)


@route("GET", "/openapi/module_list", since=V13)
async def module_list(ctx: Ctx, args: Args) -> Reply:
    """Module names and (integer) versions; an NVR without PoE lists no poe module."""
    args.done()
    names = ["channel_management", "video", "time", "audio", "disk", "poe", "event"]
    names += ["recording", "system"]
    if ctx.firmware >= V14:
        names.append("alarm_output")
    if not ctx.state.poe:
        names.remove("poe")
    versions = {"channel_management": 2, "audio": 2 if ctx.firmware >= V14 else 1}
    return {"module_list": [{"name": n, "version": versions.get(n, 1)} for n in names]}


@route("GET", "/openapi/snapshot", since=V13)
async def snapshot(ctx: Ctx, args: Args) -> Reply:
    """A JPEG body; an offline channel gives the JSON error -40110."""
    channel = get_channel(ctx, args)
    args.done()
    return web.Response(body=channel_jpeg(channel.id), content_type="image/jpeg")


@route("GET", "/openapi/audio/channel_capability", since=V14)
async def audio_channel_capability(ctx: Ctx, args: Args) -> Reply:
    """Speaker/microphone of one camera as integers 0/1."""
    channel = get_channel(ctx, args)
    args.done()
    return {"speaker_enable": int(channel.speaker), "microphone_enable": int(channel.microphone)}


@route("GET", "/openapi/audio/capability", since=V14)
async def audio_capability(ctx: Ctx, args: Args) -> Reply:
    """NVR-level audio capability."""
    args.done()
    return {"speaker_enable": 1, "microphone_enable": 1}


@route("GET", "/openapi/alarm_output/batch_get_ipc_alarm", since=V14)
async def batch_ipc_alarm(ctx: Ctx, args: Args) -> Reply:
    """Alarm-output settings of every channel."""
    args.done()
    entries = [
        {
            "channel": ch.id,
            "alarm_name": ch.alarm.alarm_name,
            "delay_time": ch.alarm.delay_time,
            "enabled": ch.alarm.enabled,
            "manual_alarm_out_supported": "1" if ch.alarm.manual_supported else "0",
        }
        for ch in ctx.state.channels.values()
    ]
    return {"alarm_output": entries}


@route("GET", "/openapi/alarm_output/ipc_alarm", since=V14)
async def get_ipc_alarm(ctx: Ctx, args: Args) -> Reply:
    """Alarm-output settings of one channel."""
    alarm = get_channel(ctx, args).alarm
    args.done()
    return {
        "alarm_name": alarm.alarm_name,
        "delay_time": alarm.delay_time,
        "enabled": alarm.enabled,
    }


@route("POST", "/openapi/alarm_output/ipc_alarm", since=V14)
async def set_ipc_alarm(ctx: Ctx, args: Args) -> Reply:
    """Set name, delay ("5".."600" seconds, as strings) and enabled."""
    alarm = get_channel(ctx, args).alarm
    name = args.string("alarm_name", max_len=32)
    delay = args.string("delay_time", DELAY_TIMES)
    enabled = args.string("enabled", ("on", "off"))
    args.done()
    if not name:
        raise ApiError(E_STRING_LENGTH)
    alarm.alarm_name, alarm.delay_time, alarm.enabled = name, delay, enabled
    return {}


@route("POST", "/openapi/alarm_output/ipc_manual_alarm", since=V14)
async def ipc_manual_alarm(ctx: Ctx, args: Args) -> Reply:
    """Start/stop a camera's alarm output; ``timer`` is the seconds it will run.

    A camera without manual alarm output gives -40106 (unsupported command).
    """
    alarm = get_channel(ctx, args).alarm
    action = args.string("action", ("start", "stop"))
    args.done()
    if not alarm.manual_supported:
        raise ApiError(E_UNSUPPORTED_COMMAND)
    if action == "stop":
        alarm.active_until = None
        return {"timer": 0}
    seconds = int(alarm.delay_time)
    alarm.active_until = time.monotonic() + seconds
    return {"timer": seconds}
