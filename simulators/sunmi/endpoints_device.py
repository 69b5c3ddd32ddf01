"""Device Management (activate, getInfo, reboot, reset) and HTTP hooks (hook/*)."""

from __future__ import annotations

from yarl import URL

from .codes import (
    E_ACTIVATE_MISMATCH,
    E_ALREADY_ACTIVATED,
    E_HOOK_EVENT,
    E_HOOK_UNSUPPORTED,
    E_PARAM,
    ApiError,
)
from .routes import Args, Auth, Ctx, Data, route
from .state import EVENT_FACE, EVENTS, default_groups


@route("/openapi/device/activate", auth=Auth.ACTIVATION)
async def activate(ctx: Ctx, args: Args) -> Data:
    """Signed with the activation code; wipes the face DB and creates the default groups."""
    if args.text("sn") != ctx.device.sn:
        raise ApiError(E_ACTIVATE_MISMATCH)
    if ctx.state.activated:
        raise ApiError(E_ALREADY_ACTIVATED)
    ctx.state.activated = True
    ctx.state.groups = default_groups()
    ctx.state.faces.clear()
    return None


@route("/openapi/device/getInfo")
async def get_info(ctx: Ctx, args: Args) -> Data:
    """Seed "Get Basic Informations"."""
    device = ctx.device
    return {
        "sn": device.sn,
        "model_name": device.model.code,
        "name": ctx.state.ipc_name,
        "software_version": device.firmware,
        "hardware_version": device.hardware,
        "ip": device.host,
        "mac": device.mac,
    }


@route("/openapi/device/reboot")
async def reboot(ctx: Ctx, args: Args) -> Data:
    """Answer, then reboot (channel connections drop, replay cache cleared)."""
    ctx.reboot()
    return None


@route("/openapi/device/reset")
async def reset(ctx: Ctx, args: Args) -> Data:
    """Answer, then restore factory settings (not activated, no hooks, no faces)."""
    ctx.reset()
    return None


def _events(ctx: Ctx, args: Args) -> list[str]:
    events = args.string_list("event_list")
    if not events or any(event not in EVENTS for event in events):
        raise ApiError(E_HOOK_EVENT)
    if EVENT_FACE in events and not ctx.device.model.face:
        raise ApiError(E_HOOK_UNSUPPORTED)
    return events


def callback_url(text: str) -> URL | None:
    """The URL a callback string stands for (no scheme means http, as libcurl does)."""
    try:
        url = URL(text if "://" in text else f"http://{text}")
    except ValueError:
        return None
    if url.scheme not in ("http", "https") or not url.host:
        return None
    return url


@route("/openapi/hook/add")
async def hook_add(ctx: Ctx, args: Args) -> Data:
    """Subscribe ``http_callback`` to the events (duplicates are ignored)."""
    events = _events(ctx, args)
    callback = args.text("http_callback")
    if callback_url(callback) is None:
        raise ApiError(E_PARAM)
    for event in events:
        urls = ctx.state.hooks.setdefault(event, [])
        if callback not in urls:
            urls.append(callback)
    return None


@route("/openapi/hook/delete")
async def hook_delete(ctx: Ctx, args: Args) -> Data:
    """Drop every callback of the events."""
    for event in _events(ctx, args):
        ctx.state.hooks.pop(event, None)
    return None


@route("/openapi/hook/query")
async def hook_query(ctx: Ctx, args: Args) -> Data:
    """Subscriptions; callbacks as they were registered."""
    sub_event = [
        {"event": event, "http_callback": list(urls)}
        for event, urls in ctx.state.hooks.items()
        if urls
    ]
    return {"num": len(sub_event), "sub_event": sub_event}
