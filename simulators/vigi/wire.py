"""Wire conventions of the VIGI OpenAPI: percent-encoding, errors, parameter checks.

The document (section 4, notice 2) says every JSON *string* value is percent-encoded in
both directions.  Its examples leave ``*`` unencoded ("640*480") while encoding spaces
("IPC%20OSD") and ``%`` ("30%25"); that matches JavaScript's encodeURIComponent, so we
use the same safe set.  Hex digits are lowercase like the document's tokens ("%2f").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote

from aiohttp import web

SAFE_CHARS = "!~*'()"
_HEX_ESCAPE = re.compile(r"%[0-9A-F]{2}")

# Error codes (document appendix I) used by the simulator.
OK = 0
E_OPERATION_PROHIBITED = -40107
E_DEVICE_NOT_FOUND = -40110
E_UNSUPPORTED_COMMAND = -40106
E_ENTRY_EXISTS = -40203
E_ENTRY_MISSING = -40205
E_PARAM = -40209
E_FORMAT = -40210
E_MISSING = -40211
E_STRING_LENGTH = -40213
E_IP_FORMAT = -40303
E_AUTH_FAILED = -40401
E_SESSION_TIMEOUT = -40403
E_CLIENT_LOCKED = -40404
E_NO_SUCH_USER = -70302
E_QUALITY_RANGE = -70904
E_BITRATE_RANGE = -70906
E_RESOLUTION_FORMAT = -70907
E_RESOLUTION_RANGE = -70908
E_STREAM_TYPE = -70909
E_BITRATE_TYPE = -70910
E_ILLEGAL_ID = -76209

# The engineers' reference records a 26-byte text/plain body for unknown paths.
NOT_FOUND_BODY = b"Error 404: Page not found\n"
assert len(NOT_FOUND_BODY) == 26


class ApiError(Exception):
    """An OpenAPI failure reply: ``{"error_code": code}`` with an HTTP status."""

    def __init__(self, code: int, status: int = 200) -> None:
        """Store the error code and HTTP status."""
        super().__init__(code)
        self.code = code
        self.status = status


def pct(value: str) -> str:
    """Percent-encode one string the way the NVR does (lowercase hex)."""
    return _HEX_ESCAPE.sub(lambda m: m.group(0).lower(), quote(value, safe=SAFE_CHARS))


def encode_strings(value: Any) -> Any:
    """Percent-encode every string value (not keys) in a JSON-like structure."""
    if isinstance(value, str):
        return pct(value)
    if isinstance(value, dict):
        return {key: encode_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encode_strings(item) for item in value]
    return value


def json_reply(
    payload: Mapping[str, Any], status: int = 200, *, error_code: bool = True
) -> web.Response:
    """Reply with the payload's strings percent-encoded and ``error_code`` last.

    The token reply is the one body the document shows without ``error_code``.
    """
    body = dict(encode_strings(dict(payload)))
    code = body.pop("error_code", OK)
    if error_code:
        body["error_code"] = code
    return web.Response(
        status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json"
    )


def error_reply(code: int, status: int = 200) -> web.Response:
    """Reply with only an error code."""
    return json_reply({"error_code": code}, status)


def not_found() -> web.Response:
    """Reply like the NVR does to a path it does not serve."""
    return web.Response(status=404, body=NOT_FOUND_BODY, content_type="text/plain")


def _in_range(raw: object, low: int, high: int, code: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ApiError(E_PARAM)
    if not low <= raw <= high:
        raise ApiError(code)
    return raw


class Args:
    """Typed, strict access to query parameters or a decoded JSON body.

    Missing keys give -40211, wrong types and out-of-range values -40209 (unless the
    caller names a more specific documented code), and unknown keys -40209 in ``done()``.
    Query values are strings on the wire, so numbers are parsed there; in bodies numbers
    must be JSON numbers.  Body strings are percent-decoded (raw strings pass unchanged).
    """

    def __init__(self, data: Mapping[str, Any], *, query: bool, ignore: Iterable[str] = ()) -> None:
        """Wrap the request data."""
        self._data = data
        self._query = query
        self._used: set[str] = set(ignore)

    def has(self, key: str) -> bool:
        """Whether the key is present."""
        return key in self._data

    def _raw(self, key: str) -> Any:
        self._used.add(key)
        if key not in self._data:
            raise ApiError(E_MISSING)
        return self._data[key]

    def integer(self, key: str, low: int, high: int, *, code: int = E_PARAM) -> int:
        """An integer within [low, high]."""
        raw: object = self._raw(key)
        if self._query and isinstance(raw, str) and re.fullmatch(r"-?\d{1,9}", raw):
            raw = int(raw)
        return _in_range(raw, low, high, code)

    def integer_or_digits(self, key: str, low: int, high: int, *, code: int = E_PARAM) -> int:
        """An integer that may also arrive as a numeric string (event server ``id``)."""
        raw: object = self._raw(key)
        if isinstance(raw, str) and re.fullmatch(r"-?\d{1,9}", unquote(raw)):
            raw = int(unquote(raw))
        return _in_range(raw, low, high, code)

    def string(
        self,
        key: str,
        choices: Iterable[str] | None = None,
        *,
        code: int = E_PARAM,
        max_len: int = 255,
    ) -> str:
        """A string, percent-decoded, optionally restricted to choices."""
        raw = self._raw(key)
        if not isinstance(raw, str):
            raise ApiError(E_PARAM)
        value = raw if self._query else unquote(raw)
        if choices is not None and value not in set(choices):
            raise ApiError(code)
        if len(value) > max_len:
            raise ApiError(E_STRING_LENGTH)
        return value

    def done(self) -> None:
        """Reject keys the endpoint does not define."""
        if set(self._data) - self._used:
            raise ApiError(E_PARAM)
