"""Route table and parameter helpers shared by the endpoint modules."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .codes import E_GENERAL, E_PARAM, ApiError
from .media import MediaStore
from .state import ModelInfo, SunmiState

Data = dict[str, Any] | None
Handler = Callable[["Ctx", "Args"], Awaitable[Data]]
_INT = re.compile(r"-?[0-9]{1,18}")


class Auth(Enum):
    """How a route is authenticated."""

    SIGNED = "signed"  # public parameters + secret key; code 5 before activation
    ACTIVATION = "activation"  # public parameters + activation code as the key
    WITHOUT_AUTH = "without_auth"  # no public parameters; only before activation


@dataclass(frozen=True)
class Device:
    """Fixed facts about the simulated IPC."""

    sn: str
    mac: str
    firmware: str
    hardware: str
    model: ModelInfo
    host: str


@dataclass
class Ctx:
    """What endpoint handlers may touch."""

    state: SunmiState
    device: Device
    media: MediaStore
    base_url: str  # https://host[:port], as media URLs carry it
    reboot: Callable[[], None]
    reset: Callable[[], None]
    format_seconds: float
    recording_since: float  # time.time() of the start: the record list begins there


@dataclass(frozen=True)
class Route:
    """One OpenAPI endpoint."""

    handler: Handler
    auth: Auth = Auth.SIGNED
    multipart: bool = False  # the seed's "Content-Type is multipart/form-data" APIs
    feature: str | None = None  # ModelInfo flag the endpoint needs
    unsupported: int = E_GENERAL  # code answered on a model without the feature
    after_activation: int = E_GENERAL  # WITHOUT_AUTH routes after activation


ROUTES: dict[str, Route] = {}


def route(
    path: str,
    *,
    auth: Auth = Auth.SIGNED,
    multipart: bool = False,
    feature: str | None = None,
    unsupported: int = E_GENERAL,
    after_activation: int = E_GENERAL,
) -> Callable[[Handler], Handler]:
    """Register a handler under its seed path ``/openapi/<type>/<action>``."""

    def register(handler: Handler) -> Handler:
        ROUTES[path] = Route(handler, auth, multipart, feature, unsupported, after_activation)
        return handler

    return register


class Args:
    """Request parameters (decoded form values) and uploaded files."""

    def __init__(self, params: dict[str, str], files: dict[str, bytes] | None = None) -> None:
        """Wrap the parsed body."""
        self.params = params
        self.files = files or {}

    def has(self, name: str) -> bool:
        """Whether the parameter was sent."""
        return name in self.params

    def text(
        self, name: str, code: int = E_PARAM, *, max_len: int | None = None, empty: bool = False
    ) -> str:
        """A required string."""
        value = self.params.get(name)
        if value is None or (not value and not empty):
            raise ApiError(code)
        if max_len is not None and len(value) > max_len:
            raise ApiError(code)
        return value

    def integer(self, name: str, code: int = E_PARAM, lo: int = 0, hi: int = 2**31 - 1) -> int:
        """A required integer within [lo, hi]."""
        value = self.params.get(name, "")
        if not _INT.fullmatch(value):
            raise ApiError(code)
        number = int(value)
        if not lo <= number <= hi:
            raise ApiError(code)
        return number

    def optional_integer(
        self, name: str, default: int, code: int = E_PARAM, lo: int = 0, hi: int = 2**31 - 1
    ) -> int:
        """An optional integer within [lo, hi]."""
        if name not in self.params:
            return default
        return self.integer(name, code, lo, hi)

    def string_list(self, name: str, code: int = E_PARAM) -> list[str]:
        """A JSON array of strings, e.g. ``event_list=["dynamic_detect_event"]``."""
        try:
            value = json.loads(self.text(name, code))
        except ValueError as err:
            raise ApiError(code) from err
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ApiError(code)
        return value
