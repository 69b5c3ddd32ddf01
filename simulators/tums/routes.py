"""Endpoint registry, request context and the shared argument/locator rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from . import codes
from .state import Account, Device

PROJECT = "project"
DEVICE = "device"
BOTH = "both"
BATCH_LIMIT = 100  # "请求参数中devList的长度限制不超过100"


class ApiError(Exception):
    """A business error answered as ``{"error_code": code, "msg": ...}``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Reply:
    """A reply: result (None = absent) and an optional top-level failList.

    error_code is non-zero only for a batch whose every item failed, answered with msg and
    failList beside it (the 1.4.8.4/1.4.8.5 example: -80414 plus the failList).
    """

    result: Any = None
    fail_list: list[dict[str, Any]] | None = None
    error_code: int = 0


@dataclass
class Ctx:
    """What a handler sees."""

    account: Account
    body: dict[str, Any]
    path: str
    temporary: bool  # signed with a temporary AK/SK
    now: float
    sim: Any = field(default=None)


Handler = Callable[[Ctx], Awaitable[Reply]]


@dataclass(frozen=True)
class Route:
    """One endpoint: handler plus the application type it allows."""

    handler: Handler
    app: str


ROUTES: dict[str, Route] = {}


def route(path: str, app: str = BOTH) -> Callable[[Handler], Handler]:
    """Register a handler for a path."""

    def register(handler: Handler) -> Handler:
        ROUTES[path] = Route(handler, app)
        return handler

    return register


# argument helpers -----------------------------------------------------------------------


def opt_str(body: dict[str, Any], key: str) -> str | None:
    """An optional string (-82400 when present with another type)."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(codes.E_PARAM)
    return value


def req_str(body: dict[str, Any], key: str, choices: tuple[str, ...] | None = None) -> str:
    """A mandatory non-empty string."""
    value = opt_str(body, key)
    if not value or (choices is not None and value not in choices):
        raise ApiError(codes.E_PARAM)
    return value


def opt_int(
    body: dict[str, Any], key: str, low: int | None = None, high: int | None = None
) -> int | None:
    """An optional int (numbers only; bools rejected) with an optional range."""
    value: object = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(codes.E_PARAM)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ApiError(codes.E_PARAM)
    return value


def req_int(body: dict[str, Any], key: str, low: int | None = None, high: int | None = None) -> int:
    """A mandatory int."""
    value = opt_int(body, key, low, high)
    if value is None:
        raise ApiError(codes.E_PARAM)
    return value


def req_bool(body: dict[str, Any], key: str) -> bool:
    """A mandatory boolean."""
    value = body.get(key)
    if not isinstance(value, bool):
        raise ApiError(codes.E_PARAM)
    return value


def req_list(body: dict[str, Any], key: str, high: int = BATCH_LIMIT) -> list[Any]:
    """A mandatory non-empty list of at most ``high`` items."""
    value = body.get(key)
    if not isinstance(value, list) or not value or len(value) > high:
        raise ApiError(codes.E_PARAM)
    return value


def paging(body: dict[str, Any], high: int) -> tuple[int, int]:
    """start (0-based offset, -80328) and limit ([1, high], -80329)."""
    start, limit = body.get("start"), body.get("limit")
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise ApiError(codes.E_BAD_START)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= high:
        raise ApiError(codes.E_BAD_LIMIT)
    return start, limit


# device locators (source 1.4.3 conventions) ---------------------------------------------

CH_NONE = "none"  # [NO-CH]: qrCode/mac only
CH_OPTIONAL = "optional"  # [CH-OPT]
CH_REQUIRED = "required"  # [CH-A]/[CH-B]


def locate(account: Account, item: dict[str, Any], channel_rule: str = CH_OPTIONAL) -> Device:
    """The target of a locator: qrCode wins over mac; channelId selects the child.

    -82400 when neither qrCode nor mac is given (or channelId is missing where required),
    -88316 when the device is not in the application, -81100 for a channel that does not
    exist and -80528 for an NVR channel without a bound IPC.
    """
    qr_code, mac = opt_str(item, "qrCode"), opt_str(item, "mac")
    if not qr_code and not mac:
        raise ApiError(codes.E_PARAM)
    channel = None if channel_rule == CH_NONE else opt_int(item, "channelId", 1)
    if channel is None and channel_rule == CH_REQUIRED:
        raise ApiError(codes.E_PARAM)
    device = account.find_top(qr_code, mac.strip().upper() if mac else None)
    if device is None:
        raise ApiError(codes.E_NOT_IN_APP)
    if channel is None:
        return device
    if device.is_nvr:
        if channel > device.channel_num:
            raise ApiError(codes.E_NO_CHANNEL)
        child = device.channels.get(channel)
        if child is None:
            raise ApiError(codes.E_CHANNEL_UNCONNECTED)
        return child
    if channel != 1:  # a directly bound single-lens IPC only has channel 1
        raise ApiError(codes.E_NO_CHANNEL)
    return device


def usable(device: Device, *, online: bool = True) -> Device:
    """Licence (-88315) and, when asked, online (-20571) checks for a target."""
    owners = [device] if device.parent is None else [device.parent, device]
    if any(not d.licensed for d in owners):
        raise ApiError(codes.E_UNLICENSED)
    if online and device.status == 0:
        raise ApiError(codes.E_OFFLINE)
    return device


def target(ctx: Ctx, channel_rule: str = CH_OPTIONAL, *, online: bool = True) -> Device:
    """Locate + licence + online for a single-device endpoint."""
    return usable(locate(ctx.account, ctx.body, channel_rule), online=online)


def video_device(device: Device) -> Device:
    """-40106 (设备不支持该命令) for a solar power device on an IPC/NVR endpoint."""
    if device.solar is not None:
        raise ApiError(codes.E_UNSUPPORTED)
    return device


def storage_owner(device: Device) -> Device:
    """An NVR channel reports and changes its NVR's storage (1.4.4.10 to 1.4.4.13)."""
    video_device(device)
    return device.parent if device.parent is not None else device


def as_item(item: object) -> dict[str, Any]:
    """A devList entry must be an object (-82400)."""
    if not isinstance(item, dict):
        raise ApiError(codes.E_PARAM)
    return item


def fail_item(item: Any, code: int) -> dict[str, Any]:
    """A standard failList entry echoing the locator fields."""
    entry: dict[str, Any] = {}
    if isinstance(item, dict):
        for key in ("qrCode", "mac", "channelId", "childMac"):
            if key in item:
                entry[key] = item[key]
    entry["error_code"] = code
    return entry


def batch(
    ctx: Ctx,
    action: Callable[[Device], object],
    *,
    channel_rule: str = CH_OPTIONAL,
    online: bool = True,
) -> Reply:
    """Run action on each devList item; failures go to the top-level failList."""
    fails: list[dict[str, Any]] = []
    for item in req_list(ctx.body, "devList"):
        try:
            action(usable(locate(ctx.account, as_item(item), channel_rule), online=online))
        except ApiError as err:
            fails.append(fail_item(item, err.code))
    return Reply(fail_list=fails or None)
