"""Test-side control: fault injection, event building and the plain-HTTP control API."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .jpeg import channel_jpeg
from .push import BOUNDARY, WRONG_BOUNDARY, Picture, build_body, build_message
from .state import EventServer, NvrState
from .wire import pct

if TYPE_CHECKING:
    from .server import VigiSimulator

FAULT_KINDS = ("timeout", "http500", "malformed_json", "wrong_boundary")
DEVICE_EVENT_KEYS = frozenset(
    ("channel", "channel_name", "port", "disk", "array", "alarm_output", "alarm_input")
)
HANG_CAP_SECONDS = 60.0
MALFORMED_JSON = b'{"error_code": 0, "devices": [{"id": 1, "name": "IPC'


@dataclass
class Fault:
    """A pending fault: applies to the next ``remaining`` matching requests/pushes."""

    kind: str
    remaining: int
    path: str | None = None


class Faults:
    """Queue of injected faults."""

    def __init__(self) -> None:
        """Start with no faults."""
        self.pending: list[Fault] = []

    def add(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """Queue a fault; raises ValueError for an unknown kind or count < 1."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be at least 1")
        self.pending.append(Fault(kind, count, path))

    def take(self, path: str | None, *, push: bool = False) -> str | None:
        """Consume one matching fault (request faults, or push faults when push=True)."""
        for fault in self.pending:
            if (fault.kind == "wrong_boundary") != push:
                continue
            if fault.path is not None and fault.path != path:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self.pending.remove(fault)
            return fault.kind
        return None


def fault_response(kind: str) -> web.Response:
    """The reply for http500 and malformed_json faults."""
    if kind == "http500":
        return web.Response(status=500, text="500 Internal Server Error\n")
    return web.Response(body=MALFORMED_JSON, content_type="application/json")


def event_json(state: NvrState, id_keys: str, message: dict[str, Any]) -> dict[str, Any]:
    """Top-level push JSON: dev_id/dev_name (section 3.2) or device_id/device_name."""
    prefix = "dev" if id_keys == "dev" else "device"
    return {
        f"{prefix}_id": state.device_id,
        f"{prefix}_name": pct(state.device_name),
        "messages": [message],
    }


def push_bodies(
    state: NvrState,
    faults: Faults,
    event: dict[str, Any],
    *,
    picture_channel: int | None,
    when: datetime,
) -> dict[int, bytes]:
    """One multipart body per registered server (pictures only where switched on)."""
    bodies: dict[int, bytes] = {}
    server: EventServer
    for server in sorted(state.event_servers.values(), key=lambda s: s.id):
        picture = None
        if picture_channel is not None and server.picture_switch == "on":
            picture = Picture(picture_channel, when, channel_jpeg(picture_channel))
        boundary = WRONG_BOUNDARY if faults.take(None, push=True) else BOUNDARY
        bodies[server.id] = build_body(event, picture, boundary)
    return bodies


def channel_message(
    state: NvrState, channel: int, event_type: int, sub_types: Sequence[int], when: datetime
) -> dict[str, Any]:
    """A channel event message (carries channel and channel_name)."""
    if channel not in state.channels:
        raise ValueError(f"no channel {channel}")
    extra = {"channel": str(channel), "channel_name": state.channels[channel].name}
    return build_message(event_type, list(sub_types), when, extra)


def device_message(
    event_type: int, sub_types: Sequence[int], when: datetime, fields: dict[str, object]
) -> dict[str, Any]:
    """A device/storage event message with optional port, disk, array, ... strings."""
    unknown = set(fields) - DEVICE_EVENT_KEYS
    if unknown:
        raise ValueError(f"unknown message keys {sorted(unknown)}")
    return build_message(event_type, list(sub_types), when, {k: str(v) for k, v in fields.items()})


# -- plain-HTTP control API -------------------------------------------------------------
def control_app(sim: VigiSimulator) -> web.Application:
    """The control API (no auth, plain HTTP, meant for tests and demos)."""
    routes = web.RouteTableDef()

    async def body(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        try:
            data = json.loads(await request.read())
        except ValueError as err:
            raise web.HTTPBadRequest(text=f"body is not JSON: {err}") from err
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="body must be a JSON object")
        return data

    def bad(err: Exception) -> web.Response:
        return web.json_response({"error": str(err)}, status=400)

    @routes.post("/event")
    async def event(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            delivered = await sim.trigger_event(
                channel=int(data["channel"]),
                type=int(data.get("type", 1)),
                sub_types=[int(s) for s in data.get("sub_type", [2])],
                picture=bool(data.get("picture", True)),
            )
        except (KeyError, TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"delivered": delivered})

    @routes.post("/device_event")
    async def device_event(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            fields = {k: v for k, v in data.items() if k not in ("type", "sub_type")}
            delivered = await sim.trigger_device_event(
                type=int(data.get("type", 2)),
                sub_types=[int(s) for s in data.get("sub_type", [])],
                **fields,
            )
        except (KeyError, TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"delivered": delivered})

    @routes.post("/restart")
    async def restart(request: web.Request) -> web.Response:
        sim.restart()
        return web.json_response({"ok": True})

    @routes.post("/expire_tokens")
    async def expire(request: web.Request) -> web.Response:
        sim.expire_tokens()
        return web.json_response({"ok": True})

    @routes.post("/down")
    async def down(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            await sim.go_down(float(data.get("seconds", 5)), wait=False)
        except (TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"ok": True})

    @routes.post("/fault")
    async def fault(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            sim.inject_fault(str(data["kind"]), int(data.get("count", 1)), data.get("path"))
        except (KeyError, TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"ok": True})

    @routes.post("/channel/{number}/online")
    async def online(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            sim.set_channel_online(int(request.match_info["number"]), bool(data["online"]))
        except (KeyError, TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"ok": True})

    @routes.get("/state")
    async def state(request: web.Request) -> web.Response:
        return web.json_response(sim.summary())

    @routes.get("/requests")
    async def requests(request: web.Request) -> web.Response:
        return web.json_response(dict(sim.requests))

    app = web.Application()
    app.add_routes(routes)
    return app
