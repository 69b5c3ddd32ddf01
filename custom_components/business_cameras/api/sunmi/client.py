"""HTTPS client of the SUNMI IPC OpenAPI: signed form posts over mutual TLS, typed endpoints.

Every call is ``POST https://<ip>/openapi/<apiType>/<action>`` with a form-urlencoded body of
the public parameters (app_id, timestamp, random, sign) and the call's private ones; the answer
is JSON ``{"code": N, "data": {...}}``. The TLS context carries the vendor's client
certificate and the camera's pinned fingerprint (see ``tls.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any, Final

import aiohttp
from yarl import URL

from ..errors import ApiError, AuthError, ConnectError, ProtocolError, UnsupportedError
from ..model import PeopleFlow
from . import auth, codes, tls
from .errors import NotActivatedError
from .parsers import (
    IR_MODES,
    DeviceInfo,
    DynamicDetect,
    FlowStat,
    HookSubscription,
    LiveStream,
    MemoryCard,
    PeopleFlowConfig,
    ZoomFocus,
    parse_angles,
    parse_dynamic_detect,
    parse_flow_stat,
    parse_hooks,
    parse_info,
    parse_live_stream,
    parse_memory_card,
    parse_people_flow_config,
    parse_zoom_focus,
    to_int,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_PORT: Final = 443
MAX_JSON_BYTES: Final = 1024 * 1024
MAX_MEDIA_BYTES: Final = 16 * 1024 * 1024
JPEG_MAGIC: Final = b"\xff\xd8"
RECENT_RANDOMS: Final = 1024

# peopleFlow/getPeopleStat*: "Error will be returned if no record is found" - which code is not
# documented. ASSUMPTION: 280, listed on every statistics, visitor and visit-detail query (the
# calls that can find nothing), unlike 265-267 (statistics only). Read as a count of 0.
NO_RECORD_CODES: Final = frozenset({280})
PERIOD_DAY: Final = 3

ZOOM_RANGE: Final = (0, 500)
FOCUS_RANGE: Final = (0, 780)
FACE_OPTIMIZE_RANGE: Final = (1, 6)


def _describe(err: BaseException) -> str:
    """Describe an error briefly, without URLs (media URLs carry an auth_key)."""
    os_error = getattr(err, "os_error", None)
    if isinstance(os_error, OSError) and os_error.strerror:
        return f"{type(err).__name__}: {os_error.strerror}"
    if isinstance(err, aiohttp.ClientConnectorCertificateError):
        return f"certificate not accepted ({tls.describe_tls_error(err.certificate_error)})"
    if isinstance(err, aiohttp.ClientResponseError):
        return f"{type(err).__name__}: HTTP {err.status}"
    return tls.describe_tls_error(err)


class SunmiClient:
    """One camera's OpenAPI over HTTPS with mutual TLS and the camera's certificate pinned.

    ``fingerprint`` is pinned on ``ssl_context`` for ``host``. ``None`` pins nothing: a
    context from ``tls.build_ssl_context`` then refuses the camera (CertificateNotPinnedError
    carrying the fingerprint it saw), it never connects unverified.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        *,
        app_id: str,
        secret_key: str,
        ssl_context: ssl.SSLContext,
        fingerprint: str | None,
        port: int = DEFAULT_PORT,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Create the client; nothing is sent before the first call."""
        self._session = session
        self._host = host
        self._port = port
        self._app_id = app_id
        self._secret_key = secret_key
        self._ssl_context = ssl_context
        self._fingerprint = tls.normalise_fingerprint(fingerprint) if fingerprint else None
        tls.pin_fingerprint(ssl_context, host, self._fingerprint)
        self._timeout = timeout
        self._clock = clock
        self._base = URL.build(scheme="https", host=host, port=port)
        self._recent: deque[str] = deque(maxlen=RECENT_RANDOMS)
        self._recent_set: set[str] = set()

    # --- properties ------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The camera's host name or IP address."""
        return self._host

    @property
    def port(self) -> int:
        """The OpenAPI HTTPS port."""
        return self._port

    @property
    def app_id(self) -> str:
        """The OpenAPI app id."""
        return self._app_id

    @property
    def secret_key(self) -> str:
        """The signing key (for the message channel and push verification; never logged)."""
        return self._secret_key

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """The mutual-TLS context (shared with the message channel)."""
        return self._ssl_context

    @property
    def fingerprint(self) -> str | None:
        """The pinned certificate fingerprint (lowercase hex), if any."""
        return self._fingerprint

    @property
    def timeout(self) -> float:
        """The bound of every request, in seconds."""
        return self._timeout

    # --- transport -----------------------------------------------------------------------

    def _fresh_random(self) -> str:
        """A random never used in this client's recent requests (replay protection)."""
        while True:
            value = auth.random_string()
            if value not in self._recent_set:
                break
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(value)
        self._recent_set.add(value)
        return value

    def signed_params(
        self, private: Mapping[str, object] | None = None, *, secret_key: str | None = None
    ) -> dict[str, str]:
        """The full form of a request: public parameters, private ones and the signature."""
        return auth.public_params(
            self._app_id,
            self._secret_key if secret_key is None else secret_key,
            private,
            now=self._clock(),
            random=self._fresh_random(),
        )

    async def _post(self, url: URL, form: Mapping[str, str] | None, where: str) -> bytes:
        return await self._fetch("POST", url, form, where, MAX_JSON_BYTES, self._timeout)

    async def _fetch(
        self,
        method: str,
        url: URL,
        form: Mapping[str, str] | None,
        where: str,
        max_bytes: int,
        timeout: float,  # noqa: ASYNC109 - one bound for connect + answer
        expect_jpeg: bool = False,
    ) -> bytes:
        try:
            async with (
                asyncio.timeout(timeout),
                self._session.request(
                    method,
                    url,
                    data=dict(form) if form is not None else None,
                    headers={"Accept": "application/json, image/jpeg, */*"},
                    ssl=self._ssl_context,
                    allow_redirects=False,
                ) as response,
            ):
                body = await _read_limited(response, max_bytes, where)
                status = response.status
                content_type = response.content_type.lower()
        except TimeoutError:
            raise ConnectError(f"{where}: no answer within {timeout} s") from None
        except (aiohttp.ClientError, OSError) as err:
            pin = tls.pin_error_of(err)
            if pin is not None:
                raise pin.as_camera_error() from None
            raise ConnectError(f"{where}: {_describe(err)}") from None
        if expect_jpeg and status == 200 and body.startswith(JPEG_MAGIC):
            return body
        if status != 200 or expect_jpeg:
            data = _peek_json(body)
            if data is not None and "code" in data:
                self._check(data, where)
            _LOGGER.debug(
                "%s: HTTP %s, %s, %d bytes, starts %r",
                where,
                status,
                content_type,
                len(body),
                body[:8],
            )
            if status == 404 and not expect_jpeg:
                raise UnsupportedError(f"{where}: not offered by this firmware (HTTP 404)")
            raise ProtocolError(
                f"{where}: HTTP {status}"
                + (f", not a JPEG ({content_type or 'untyped'})" if expect_jpeg else "")
            )
        return body

    def _check(self, data: Mapping[str, Any], endpoint: str) -> None:
        code = to_int(data.get("code"), endpoint, "code")
        if code != codes.SUCCESS:
            _LOGGER.debug("%s answered code %s", endpoint, code)
            raise codes.error_for(code, endpoint)

    async def call(
        self,
        endpoint: str,
        private: Mapping[str, object] | None = None,
        *,
        secret_key: str | None = None,
    ) -> dict[str, Any]:
        """Sign and post ``private`` to ``/openapi/<endpoint>``; return the answer's ``data``.

        ``endpoint`` is ``<apiType>/<action>``, e.g. ``device/getInfo``.
        """
        form = self.signed_params(private, secret_key=secret_key)
        url = self._base.with_path(f"/openapi/{endpoint}")
        body = await self._post(url, form, endpoint)
        data = _peek_json(body)
        if data is None:
            _LOGGER.debug("%s answered %d bytes of non-JSON: %r", endpoint, len(body), body[:80])
            raise ProtocolError(f"{endpoint}: answer is not a JSON object")
        if "code" not in data:
            raise ProtocolError(f"{endpoint}: answer has no code")
        self._check(data, endpoint)
        payload = data.get("data")
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise ProtocolError(f"{endpoint}: data is not an object")
        return payload

    async def fetch_url(
        self,
        url: str,
        *,
        max_bytes: int = MAX_MEDIA_BYTES,
        timeout: float | None = None,  # noqa: ASYNC109 - shorter for event pictures
        expect_jpeg: bool = False,
    ) -> bytes:
        """GET a file the camera named (snapshot_url, pic_url) over the same pinned mTLS link.

        Only the path and query of ``url`` are used: the file is always fetched from this
        client's host, so a pushed URL cannot send the request elsewhere.
        """
        target = URL(url)
        if target.scheme != "https" or not target.path.startswith("/"):
            raise ProtocolError("media URL is not an https URL on the camera")
        if target.host and target.host.lower() != self._host.lower():
            _LOGGER.debug("media URL names host %s; fetching from %s", target.host, self._host)
        port = target.port if target.explicit_port else self._port
        fetched = URL.build(
            scheme="https",
            host=self._host,
            port=port,
            path=target.raw_path,
            query_string=target.raw_query_string,
            encoded=True,
        )
        where = f"media {target.path}"
        return await self._fetch(
            "GET",
            fetched,
            None,
            where,
            max_bytes,
            self._timeout if timeout is None else timeout,
            expect_jpeg=expect_jpeg,
        )

    # --- device management -------------------------------------------------------------------

    async def activate(self, activation_code: str, sn: str) -> None:
        """``device/activate``: signed with the activation code in place of the secret key."""
        await self.call("device/activate", {"sn": sn}, secret_key=activation_code)

    async def get_info(self) -> DeviceInfo:
        """``device/getInfo``: SN, model, name, versions, IP, MAC."""
        return parse_info(await self.call("device/getInfo"))

    async def reboot(self) -> None:
        """``device/reboot``."""
        await self.call("device/reboot")

    async def factory_reset(self) -> None:
        """``device/reset``: restore factory settings."""
        await self.call("device/reset")

    # --- media ---------------------------------------------------------------------------

    async def get_live_stream(self) -> LiveStream:
        """``media/getLiveStream``: RTSP URLs."""
        return parse_live_stream(await self.call("media/getLiveStream"))

    async def get_snapshot_url(self) -> str:
        """``media/getSnapshot``: the URL of a fresh JPEG on the camera."""
        endpoint = "media/getSnapshot"
        data = await self.call(endpoint)
        url = data.get("snapshot_url")
        if not isinstance(url, str) or not url:
            raise ProtocolError(f"{endpoint}: answer lacks snapshot_url")
        return url

    async def snapshot(self) -> bytes:
        """A current JPEG: ``media/getSnapshot`` and then the file it names."""
        return await self.fetch_url(await self.get_snapshot_url(), expect_jpeg=True)

    # --- basic configuration ---------------------------------------------------------------------

    async def get_led(self) -> bool:
        """``config/getLedSwitch``."""
        endpoint = "config/getLedSwitch"
        data = await self.call(endpoint)
        return to_int(data.get("led_switch"), endpoint, "led_switch") != 0

    async def set_led(self, on: bool) -> None:
        """``config/setLedSwitch``."""
        await self.call("config/setLedSwitch", {"led_switch": 1 if on else 0})

    async def get_dynamic_detect(self) -> DynamicDetect:
        """``config/getDynamicDetect``."""
        return parse_dynamic_detect(await self.call("config/getDynamicDetect"))

    async def set_dynamic_detect(self, config: DynamicDetect) -> None:
        """``config/setDynamicDetect`` (every field is required)."""
        for name in ("motion_level", "audio_level"):
            if not 0 <= getattr(config, name) <= 3:
                raise ValueError(f"{name} is 0..3")
        await self.call(
            "config/setDynamicDetect",
            {
                "motion_level": config.motion_level,
                "audio_level": config.audio_level,
                "weekday": config.weekday,
                "start_time": config.start_time,
                "stop_time": config.stop_time,
            },
        )

    async def get_ir_mode(self) -> int:
        """``config/getIrMode``: 0 off, 1 on, 2 auto."""
        endpoint = "config/getIrMode"
        data = await self.call(endpoint)
        return to_int(data.get("irmode"), endpoint, "irmode")

    async def set_ir_mode(self, mode: int) -> None:
        """``config/setIrMode``."""
        if mode not in IR_MODES:
            raise ValueError("irmode is 0 (off), 1 (on) or 2 (auto)")
        await self.call("config/setIrMode", {"irmode": mode})

    async def get_rotation(self) -> int:
        """``config/getRotation``: degrees."""
        endpoint = "config/getRotation"
        data = await self.call(endpoint)
        return to_int(data.get("rotation"), endpoint, "rotation")

    async def set_rotation(self, degrees: int) -> None:
        """``config/setRotation``."""
        await self.call("config/setRotation", {"rotation": degrees})

    async def get_rotation_angles(self) -> list[int]:
        """``config/getRotationAngles``: supported angles, sorted."""
        return parse_angles(await self.call("config/getRotationAngles"))

    async def set_zoom(self, zoom: int) -> None:
        """``config/setZoom`` (0..500)."""
        _check_range(zoom, ZOOM_RANGE, "zoom")
        await self.call("config/setZoom", {"zoom": zoom})

    async def manual_focus(self, focus: int) -> None:
        """``config/manualFocus`` (0..780)."""
        _check_range(focus, FOCUS_RANGE, "focus")
        await self.call("config/manualFocus", {"focus": focus})

    async def auto_focus(self, focus_x: int = 50, focus_y: int = 50) -> None:
        """``config/autoFocus`` on a point given in percent of the image."""
        _check_range(focus_x, (0, 100), "focus_x")
        _check_range(focus_y, (0, 100), "focus_y")
        await self.call("config/autoFocus", {"focus_x": focus_x, "focus_y": focus_y})

    async def reset_zoom_focus(self) -> None:
        """``config/resetZoomFocus``."""
        await self.call("config/resetZoomFocus")

    async def get_zoom_focus(self) -> ZoomFocus:
        """``config/getZoomFocusConf``."""
        return parse_zoom_focus(await self.call("config/getZoomFocusConf"))

    async def get_memory_card(self) -> MemoryCard:
        """``config/getMemoryCardStatus``."""
        return parse_memory_card(await self.call("config/getMemoryCardStatus"))

    async def format_memory_card(self) -> None:
        """``config/formatMemoryCard``."""
        await self.call("config/formatMemoryCard")

    async def get_face_config(self) -> int:
        """``config/getAiFaceConfig`` (FM020 only): optimize_seconds."""
        endpoint = "config/getAiFaceConfig"
        data = await self.call(endpoint)
        return to_int(data.get("optimize_seconds"), endpoint, "optimize_seconds")

    async def set_face_config(self, optimize_seconds: int) -> None:
        """``config/setAiFaceConfig`` (FM020 only; 1..6 s)."""
        _check_range(optimize_seconds, FACE_OPTIMIZE_RANGE, "optimize_seconds")
        await self.call("config/setAiFaceConfig", {"optimize_seconds": optimize_seconds})

    async def get_name(self) -> str:
        """``config/getName``."""
        data = await self.call("config/getName")
        name = data.get("name")
        return "" if name is None else str(name)

    async def set_name(self, name: str) -> None:
        """``config/updateName`` (up to 36 characters)."""
        if not name or len(name) > 36:
            raise ValueError("the name is 1 to 36 characters")
        await self.call("config/updateName", {"name": name})

    # --- people flow -----------------------------------------------------------------------

    async def get_people_flow_config(self) -> PeopleFlowConfig:
        """``peopleFlow/getConfig``."""
        return parse_people_flow_config(await self.call("peopleFlow/getConfig"))

    async def _stat(self, action: str, start: int, end: int, period: int) -> FlowStat:
        endpoint = f"peopleFlow/{action}"
        params = {"start_time": start, "end_time": end, "period": period}
        return parse_flow_stat(await self.call(endpoint, params), endpoint)

    async def people_in(self, start: int, end: int, period: int = PERIOD_DAY) -> FlowStat:
        """``peopleFlow/getPeopleStat``: customers who came in."""
        return await self._stat("getPeopleStat", start, end, period)

    async def people_out(self, start: int, end: int, period: int = PERIOD_DAY) -> FlowStat:
        """``peopleFlow/getPeopleStatOut``: customers who went out."""
        return await self._stat("getPeopleStatOut", start, end, period)

    async def people_passed(self, start: int, end: int, period: int = PERIOD_DAY) -> FlowStat:
        """``peopleFlow/getPeopleStatPass``: people who passed by."""
        return await self._stat("getPeopleStatPass", start, end, period)

    async def people_flow_today(
        self, tz: tzinfo | None = None, now: datetime | None = None
    ) -> PeopleFlow:
        """Today's counts since local midnight (``tz``; default the host's zone).

        "No record" answers (``NO_RECORD_CODES``) count as 0; a count whose call fails
        otherwise is ``None``, unless every call fails, which raises the first error.
        """
        current = (now or datetime.now(tz)).astimezone(tz)
        midnight = current.replace(hour=0, minute=0, second=0, microsecond=0)
        start, end = int(midnight.timestamp()), int(current.timestamp())
        counts: list[int | None] = []
        errors: list[ApiError | ProtocolError] = []
        for call in (self.people_in, self.people_out, self.people_passed):
            try:
                counts.append((await call(start, end, PERIOD_DAY)).total)
            except (AuthError, NotActivatedError):
                raise  # credentials / activation: not a per-call problem
            except ApiError as err:
                if err.code in NO_RECORD_CODES:
                    counts.append(0)
                    continue
                errors.append(err)
                counts.append(None)
            except ProtocolError as err:
                errors.append(err)
                counts.append(None)
        if errors and all(count is None for count in counts):
            raise errors[0]
        return PeopleFlow(entered=counts[0], exited=counts[1], passed=counts[2])

    # --- event subscriptions (HTTP callback) ---------------------------------------------------

    async def hook_add(self, events: Sequence[str], callback: str) -> None:
        """``hook/add``: the camera POSTs ``events`` to ``callback``."""
        await self.call("hook/add", {"event_list": list(events), "http_callback": callback})

    async def hook_delete(self, events: Sequence[str]) -> None:
        """``hook/delete``: stop posting ``events`` (to every callback)."""
        await self.call("hook/delete", {"event_list": list(events)})

    async def hook_query(self) -> list[HookSubscription]:
        """``hook/query``: the subscribed events and their callback URLs."""
        return parse_hooks(await self.call("hook/query"))


def _check_range(value: int, bounds: tuple[int, int], name: str) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} is an integer in {low}..{high}")


async def _read_limited(response: aiohttp.ClientResponse, limit: int, where: str) -> bytes:
    length = response.content_length
    if length is not None and length > limit:
        raise ProtocolError(f"{where}: answer of {length} bytes exceeds {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise ProtocolError(f"{where}: answer exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _peek_json(body: bytes) -> dict[str, Any] | None:
    """The body as a JSON object, or ``None`` if it is not one."""
    if body.lstrip()[:1] != b"{":
        return None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def ir_mode_name(value: int) -> str:
    """``off``/``on``/``auto`` for a getIrMode value (``mode N`` for undocumented ones)."""
    return IR_MODES.get(value, f"mode {value}")
