"""The plain-HTTP control API (no auth; for tests and the demo).

POST /motion {"detect_type": 1}            -> {"delivered": N}
POST /face {"faceid": ..., "group_name": ..., "age_range": ..., "gender": ..., "name": ...,
            "pic": true}                    -> {"delivered": N}
POST /people_flow {"entered": 3, "exited": 1, "passed": 5}
POST /restart, POST /drop, POST /corrupt {"kind": "bad_crc"}
POST /sd_card {"status": 0}                 (0 unplugged, 1 unformatted, 2 working)
GET /state, GET /requests
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .server import SunmiSimulator


def control_app(sim: SunmiSimulator) -> web.Application:
    """Build the control application."""
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

    @routes.post("/motion")
    async def motion(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            delivered = await sim.publish_motion(detect_type=int(data.get("detect_type", 1)))
        except (TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"delivered": delivered})

    @routes.post("/face")
    async def face(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            name = data.get("name")
            delivered = await sim.publish_face(
                faceid=str(data.get("faceid", "358526")),
                group_name=str(data.get("group_name", "vip")),
                age_range=int(data.get("age_range", 5)),
                gender=int(data.get("gender", 2)),
                name=None if name is None else str(name),
                pic=bool(data.get("pic", True)),
            )
        except (TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"delivered": delivered})

    @routes.post("/people_flow")
    async def people_flow(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            sim.people_flow_add(
                entered=int(data.get("entered", 0)),
                exited=int(data.get("exited", 0)),
                passed=int(data.get("passed", 0)),
            )
        except (TypeError, ValueError) as err:
            return bad(err)
        return web.json_response({"ok": True})

    @routes.post("/sd_card")
    async def sd_card(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            status = int(data["status"])
        except (KeyError, TypeError, ValueError) as err:
            return bad(err)
        if status not in (0, 1, 2):
            return bad(ValueError("status must be 0, 1 or 2"))
        sim.state.sd_status = status
        sim.state.formatting_until = None
        return web.json_response({"ok": True})

    @routes.post("/restart")
    async def restart(request: web.Request) -> web.Response:
        sim.restart()
        return web.json_response({"ok": True})

    @routes.post("/drop")
    async def drop(request: web.Request) -> web.Response:
        return web.json_response({"dropped": sim.drop_channel()})

    @routes.post("/corrupt")
    async def corrupt(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            armed = sim.send_corrupt(str(data["kind"]))
        except (KeyError, ValueError) as err:
            return bad(err)
        return web.json_response({"armed": armed})

    @routes.get("/state")
    async def state(request: web.Request) -> web.Response:
        return web.json_response(sim.summary())

    @routes.get("/requests")
    async def requests(request: web.Request) -> web.Response:
        return web.json_response(dict(sim.requests))

    app = web.Application()
    app.add_routes(routes)
    return app
