"""Route table shared by the endpoint modules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .state import Channel, NvrState
from .wire import E_DEVICE_NOT_FOUND, E_STREAM_TYPE, ApiError, Args

Reply = dict[str, Any] | web.Response
Handler = Callable[["Ctx", Args], Awaitable[Reply]]


@dataclass
class Ctx:
    """What endpoint handlers may touch: the state, the firmware and the reboot hook."""

    state: NvrState
    reboot: Callable[[bool], None]  # argument: factory reset as well
    firmware: tuple[int, int] = (1, 4)


@dataclass(frozen=True)
class Route:
    """An endpoint and the document version that introduced it."""

    handler: Handler
    since: tuple[int, int]
    ignore: tuple[str, ...] = ()


ROUTES: dict[tuple[str, str], Route] = {}


def route(
    method: str, *paths: str, since: tuple[int, int] = (1, 0), ignore: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register a handler for one or more paths."""

    def register(handler: Handler) -> Handler:
        for path in paths:
            ROUTES[(method, path)] = Route(handler, since, ignore)
        return handler

    return register


def get_channel(ctx: Ctx, args: Args, *, online: bool = True) -> Channel:
    """The ``channel`` parameter as a channel.

    A non-integer gives -40209 (parameter error); an integer that names no channel, or
    a channel whose camera is offline (the NVR cannot reach it), gives -40110 (device
    is not found).
    """
    number = args.integer("channel", -(2**31), 2**31 - 1)
    channel = ctx.state.channels.get(number)
    if channel is None or (online and not channel.online):
        raise ApiError(E_DEVICE_NOT_FOUND)
    return channel


def get_stream(args: Args) -> str:
    """The ``stream`` parameter: main or minor, else -70909 (stream_type illegal)."""
    return args.string("stream", ("main", "minor"), code=E_STREAM_TYPE)
