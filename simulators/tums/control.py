"""Fault injection and the plain-HTTP control API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .recordings import EVENT_BITS, EVENT_SECONDS, video_type

if TYPE_CHECKING:
    from .server import TumsSimulator

FAULT_KINDS = ("timeout", "http500", "malformed_json", "rate_limit")


@dataclass
class Fault:
    """A pending fault: kind, remaining count, optional path filter."""

    kind: str
    remaining: int
    path: str | None


class Faults:
    """Queue of injected faults, consumed in order by matching requests."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """Queue a fault for the next ``count`` matching requests."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULT_KINDS}")
        if count < 1:
            raise ValueError("count must be >= 1")
        self.pending.append(Fault(kind, count, path))

    def take(self, path: str) -> str | None:
        """The fault to apply to this request, if any."""
        for fault in self.pending:
            if fault.path is None or fault.path == path:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.pending.remove(fault)
                return fault.kind
        return None


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError as err:
        raise web.HTTPBadRequest(text="body must be JSON") from err
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return data


def control_app(sim: TumsSimulator) -> web.Application:
    """POST /clock_skew {seconds}, /fault {kind,count,path}, /licensed {device_id,licensed},
    /online {device_id,online}, /push {kind,device_id[,time]}, /expire_temp,
    /upgrade_seconds {seconds}, /solar {device_id[,status,battery,envTemp,inputWatt,outputWatt,
    drift]}, /recording {device_id,startTime,endTime,videoType | kind};
    GET /state, /alarm_switches?device_id=..[&channel=n], /settings?device_id=.. (the settings
    1.4.4 applies and reads back: image, OSD, streams ...)."""

    async def clock_skew(request: web.Request) -> web.Response:
        sim.set_clock_skew(float((await _json(request))["seconds"]))
        return web.json_response({"ok": True})

    async def fault(request: web.Request) -> web.Response:
        data = await _json(request)
        try:
            sim.inject_fault(str(data["kind"]), int(data.get("count", 1)), data.get("path"))
        except ValueError as err:
            raise web.HTTPBadRequest(text=str(err)) from err
        return web.json_response({"ok": True})

    async def licensed(request: web.Request) -> web.Response:
        data = await _json(request)
        try:
            sim.set_licensed(str(data["device_id"]), bool(data.get("licensed", True)))
        except KeyError as err:
            raise web.HTTPNotFound(text=str(err)) from err
        return web.json_response({"ok": True})

    async def online(request: web.Request) -> web.Response:
        data = await _json(request)
        try:
            sim.set_online(str(data["device_id"]), bool(data.get("online", True)))
        except KeyError as err:
            raise web.HTTPNotFound(text=str(err)) from err
        return web.json_response({"ok": True})

    async def push(request: web.Request) -> web.Response:
        data = await _json(request)
        when = data.get("time")
        try:
            status = await sim.push_message(
                str(data["kind"]), str(data["device_id"]), when=None if when is None else int(when)
            )
        except (KeyError, ValueError) as err:
            raise web.HTTPBadRequest(text=str(err)) from err
        return web.json_response({"status": status})

    async def solar(request: web.Request) -> web.Response:
        """{"ok": true, "reading": <1.4.4.19 result right after the change>}."""
        data = await _json(request)
        names = {
            "status": "status",
            "battery": "battery",
            "envTemp": "env_temp",
            "inputWatt": "input_watt",
            "outputWatt": "output_watt",
        }
        try:
            values: dict[str, Any] = {
                names[k]: str(v) if k == "status" else float(v)
                for k, v in data.items()
                if k in names
            }
            if "drift" in data:
                values["drift"] = bool(data["drift"])
            reading = sim.set_solar(str(data["device_id"]), **values)
        except (KeyError, TypeError, ValueError) as err:
            raise web.HTTPBadRequest(text=str(err)) from err
        return web.json_response({"ok": True, "reading": reading})

    async def recording(request: web.Request) -> web.Response:
        """Add a segment: videoType words, or the kind (msgContentType) whose bit to use."""
        data = await _json(request)
        try:
            start = int(data["startTime"])
            end = int(data.get("endTime", start + EVENT_SECONDS))
            words = data.get("videoType")
            if words is None:
                words = list(video_type(EVENT_BITS[str(data["kind"])]))
            segment = sim.add_recording(str(data["device_id"]), start, end, words)
        except (KeyError, TypeError, ValueError) as err:
            raise web.HTTPBadRequest(text=str(err)) from err
        return web.json_response({"ok": True, "segment": segment.to_json()})

    async def alarm_switches(request: web.Request) -> web.Response:
        """{"qrCode", "mac", "detection": {"2": true, ...}, "alarmInput", "alarmOutput"}."""
        query = request.query
        try:
            channel = query.get("channel")
            state = sim.alarm_switches(
                query["device_id"], None if channel is None else int(channel)
            )
        except (KeyError, ValueError) as err:
            raise web.HTTPNotFound(text=str(err)) from err
        return web.json_response(state)

    async def settings(request: web.Request) -> web.Response:
        try:
            device = sim.state.find(request.query["device_id"])
        except KeyError as err:
            raise web.HTTPBadRequest(text="device_id is required") from err
        if device is None:
            raise web.HTTPNotFound(text=f"no device {request.query['device_id']!r}")
        return web.json_response(sim.state.settings_snapshot(device))

    async def expire_temp(request: web.Request) -> web.Response:
        return web.json_response({"expired": sim.expire_temporary_credentials()})

    async def upgrade_seconds(request: web.Request) -> web.Response:
        sim.state.upgrade_seconds = float((await _json(request))["seconds"])
        return web.json_response({"ok": True})

    async def state(request: web.Request) -> web.Response:
        account = sim.state
        return web.json_response(
            {
                "app_type": account.app_type,
                "devices": [
                    {
                        "qrCode": d.qr_code,
                        "mac": d.mac,
                        "name": d.name,
                        "deviceType": d.device_type,
                        "status": d.status,
                        "licensed": d.licensed,
                    }
                    for d in account.all_devices()
                ],
                "push_config": account.push_config,
                "requests": dict(sim.requests),
                "pushes": len(sim.pushes),
            }
        )

    app = web.Application()
    app.router.add_post("/clock_skew", clock_skew)
    app.router.add_post("/fault", fault)
    app.router.add_post("/licensed", licensed)
    app.router.add_post("/online", online)
    app.router.add_post("/push", push)
    app.router.add_post("/expire_temp", expire_temp)
    app.router.add_post("/upgrade_seconds", upgrade_seconds)
    app.router.add_post("/solar", solar)
    app.router.add_post("/recording", recording)
    app.router.add_get("/state", state)
    app.router.add_get("/alarm_switches", alarm_switches)
    app.router.add_get("/settings", settings)
    return app
