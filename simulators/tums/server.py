"""The simulated TUMS cloud: HTTPS OpenAPI server, signature checks and test hooks.

HTTP-level choices where the document is silent:
- Unknown paths get 404 and other methods 405 (text/plain), before any signature check.
- Every API answer, errors included, is HTTP 200 with the §1.3.3 envelope:
  ``{"error_code": 0, "result": ...}`` (result left out when an endpoint returns nothing;
  a top-level ``failList`` only when a batch item failed) or ``{"error_code": n, "msg": "..."}``
  with the document's own (Chinese) message from §1.5.
- Check order: X-Authorization syntax (-10303), timestamp window (-10302), AccessKey (-10304),
  signature (-10301), nonce reuse (-10303); then JSON body (-10100), application type
  (-88311/-88312), parameters and devices.
- The HTTP Date header follows the cloud's clock, clock skew included, so a client can
  measure the skew from any answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import json
import os
import tempfile
import time
from collections import Counter, deque
from email.utils import formatdate
from pathlib import Path
from typing import Any

from aiohttp import web

from . import (
    codes,
    endpoints_account,
    endpoints_alarm,
    endpoints_config,
    endpoints_device,
    endpoints_flow,
    endpoints_playback,
    endpoints_solar,
)
from .cert import server_context
from .control import Faults, control_app
from .push import check_loopback, deliver, msg_type_for
from .recordings import Segment
from .routes import DEVICE, PROJECT, ROUTES, ApiError, Ctx, Reply
from .signing import parse_header, signature
from .state import Account, Device

_ENDPOINT_MODULES = (
    endpoints_account,
    endpoints_alarm,
    endpoints_config,
    endpoints_device,
    endpoints_flow,
    endpoints_playback,
    endpoints_solar,
)
TIME_WINDOW = 300  # ±5 minutes (1.2.2.2)
NONCE_WINDOW = 300  # a Nonce may not repeat within 5 minutes
FIRST_MSG_ID = 576620008413343087  # 64-bit sized, sent as a string


class TumsSimulator:
    """The TP-Link TUMS business-cloud OpenAPI for one application."""

    def __init__(
        self,
        host: str = "127.0.0.5",
        port: int = 443,
        access_key: str = "AK",
        secret_key: str = "",
        devices: int = 500,
        app_type: str = "device",
        *,
        cert_dir: str | Path | None = None,
        control_port: int | None = None,
        hang_seconds: float = 60.0,
        rate_limit: int | None = None,
        solar: int = 0,
        recording_days: int = 2,
    ) -> None:
        """``solar`` adds that many solar power devices after the ``devices`` IPCs/NVRs;
        every camera starts with ``recording_days`` days of recordings before today."""
        if not host.startswith("127."):
            raise ValueError("the simulator only listens on 127.0.0.0/8")
        if not secret_key:
            raise ValueError("a secret key is required")
        self.host = host
        self.port = port
        self.access_key = access_key
        self.secret_key = secret_key
        self.control_port = control_port
        self.hang_seconds = hang_seconds
        self.rate_limit = rate_limit  # requests per AccessKey per second; None = unlimited
        self._recent: dict[str, list[float]] = {}
        self.state = Account(devices, app_type, solar=solar, recording_days=recording_days)
        self.requests: Counter[str] = Counter()
        self.pushes: list[dict[str, Any]] = []
        self.faults = Faults()
        self.clock_skew = 0.0
        self.disabled = False  # long-term AK disabled -> -10305
        self._nonces: dict[str, float] = {}  # nonce -> when it was used
        self._nonce_order: deque[tuple[float, str]] = deque()  # (used at, nonce), oldest first
        self._msg_ids = itertools.count(FIRST_MSG_ID)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if cert_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="tums-sim-")
            cert_dir = self._tmp.name
        self.cert_dir = Path(cert_dir)
        self.ca_path = self.cert_dir / "tums-ca.pem"
        self._runners: list[web.AppRunner] = []
        self._stopping = asyncio.Event()

    # lifecycle -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL of the API."""
        return f"https://{self.host}:{self.port}"

    def now(self) -> float:
        """The cloud's clock (real time plus the configured skew)."""
        return time.time() + self.clock_skew

    async def start(self) -> None:
        """Start the HTTPS API (and the control API when control_port is set)."""
        context, self.ca_path = server_context(self.host, self.cert_dir)
        app = web.Application(client_max_size=1024**2)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, ssl_context=context)
        await site.start()
        self._runners.append(runner)
        server = site._server  # the bound port when port=0
        if server is not None and self.port == 0:
            sockets = getattr(server, "sockets", None) or []
            self.port = sockets[0].getsockname()[1]
        if self.control_port is not None:
            control = web.AppRunner(control_app(self), access_log=None)
            await control.setup()
            control_site = web.TCPSite(control, self.host, self.control_port)
            await control_site.start()
            self._runners.append(control)
            control_server = control_site._server
            if control_server is not None and self.control_port == 0:
                self.control_port = control_server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop all servers (hanging requests are released first)."""
        self._stopping.set()
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # control hooks -------------------------------------------------------------------------

    def set_clock_skew(self, seconds: float) -> None:
        """Move the cloud's clock by seconds relative to real time."""
        self.clock_skew = seconds

    def inject_fault(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """timeout | http500 | malformed_json | rate_limit for the next count matching requests."""
        self.faults.add(kind, count, path)

    def _device(self, device_id: str) -> Device:
        device = self.state.find(device_id)
        if device is None:
            raise KeyError(f"no device {device_id!r} (use a qrCode or MAC)")
        return device

    def set_licensed(self, device_id: str, licensed: bool) -> None:
        """openStatus 2 (paid) or 0 (restricted/closed -> -88315) for a qrCode or MAC."""
        self._device(device_id).licensed = licensed

    def set_online(self, device_id: str, online: bool) -> None:
        """Online state for a qrCode or MAC (an offline NVR takes its channels with it)."""
        self._device(device_id).online = online

    def set_solar(self, device_id: str, **values: Any) -> dict[str, str]:
        """Set status/battery/env_temp/input_watt/output_watt/drift of a solar device.

        Returns the 1.4.4.19 reading right after; ValueError for a bad value or a non-solar
        device.
        """
        device = self._device(device_id)
        if device.solar is None:
            raise ValueError(f"{device_id!r} is not a solar power device")
        device.solar.rebase(self.now(), **values)
        return device.solar.power(self.now())

    def alarm_switches(self, device_id: str, channel: int | None = None) -> dict[str, Any]:
        """The alarm-switch state 1.4.8.3-1.4.8.5 wrote (the API has no read endpoint).

        device_id is the camera's own qrCode/MAC, or the NVR's with ``channel``.
        """
        device = self._device(device_id)
        if channel is not None:
            child = device.channels.get(channel)
            if child is None:
                raise KeyError(f"{device_id!r} has no camera on channel {channel}")
            device = child
        if not device.is_camera:
            raise KeyError(f"{device_id!r} is not a camera")
        return {"qrCode": device.qr_code, "mac": device.mac, **device.alarm_switches()}

    def add_recording(self, device_id: str, start: int, end: int, video_type: list[int]) -> Segment:
        """Store a recording segment for a camera (qrCode or MAC of the camera itself)."""
        device = self._device(device_id)
        if not device.is_camera:
            raise ValueError(f"{device_id!r} is not a camera")
        if not video_type or not all(
            isinstance(w, int) and -(2**31) <= w < 2**31 for w in video_type
        ):
            raise ValueError("videoType must be a non-empty list of int32 words")
        return self.state.recordings(device, self.now()).add(start, end, tuple(video_type))

    def expire_temporary_credentials(self) -> int:
        """Expire every temporary AK/SK now; how many there were."""
        store = self.state.temp_credentials
        for key, (secret, _) in list(store.items()):
            store[key] = (secret, 0.0)
        return len(store)

    async def push_message(
        self,
        kind: str,
        device_id: str,
        *,
        msg_type: str | None = None,
        msg_id: str | None = None,
        when: int | None = None,
    ) -> int:
        """POST a 1.4.6.3 message about a device to the subscribed serverUrl.

        Returns the receiver's HTTP status, or 0 when nothing was sent: no subscription,
        openMsgTransport 0, kind filtered out by msgContentType, or push switched off for
        the NVR channel (1.4.4.29). A camera event is also recorded (recordings.EVENT_BITS),
        pushed or not, so 1.4.5.7/1.4.5.8 show what a subscriber is told.
        """
        device = self._device(device_id)
        kind_type = msg_type or msg_type_for(kind)
        moment = when if when is not None else int(self.now())
        if device.is_camera:  # the camera records the event whether or not it is pushed
            self.state.recordings(device, self.now()).add_event(kind, moment)
        config = self.state.push_config
        if not config or config["openMsgTransport"] != 1:
            return 0
        if config["msgContentType"] and kind not in config["msgContentType"]:
            return 0
        if device.parent is not None and not device.push_enabled:
            return 0
        check_loopback(config["serverUrl"])
        body: dict[str, Any] = {
            "qrcode": device.qr_code,
            "mac": device.mac,
            "deviceName": device.name,
            "msgId": msg_id or str(next(self._msg_ids)),
            "time": str(moment),
            "msgType": kind_type,
            "msgContentType": [kind],
        }
        status = await deliver(config["serverUrl"], body)
        self.pushes.append(body)
        return status

    # request handling ----------------------------------------------------------------------

    @staticmethod
    def _envelope(code: int, reply: Reply | None = None) -> web.Response:
        if reply is not None and reply.error_code:
            code = reply.error_code  # a batch that failed as a whole, failList kept
        data: dict[str, Any] = {"error_code": code}
        if code:
            data["msg"] = codes.message(code)
        if reply is not None:
            if reply.result is not None and not code:
                data["result"] = reply.result
            if reply.fail_list:
                data["failList"] = reply.fail_list
        return web.Response(
            body=json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
            content_type="application/json",
            charset="UTF-8",
        )

    def _authenticate(
        self, header: str | None, path: str, method: str, body: bytes, now: float
    ) -> bool:
        """Check X-Authorization; True when signed with a temporary AK/SK."""
        auth = parse_header(header)
        if auth is None:
            raise ApiError(codes.E_SIGN_PARAM)
        if abs(int(auth.timestamp) - now) > TIME_WINDOW:
            raise ApiError(codes.E_EXPIRED)
        temporary = False
        if auth.access_key == self.access_key:
            if self.disabled:
                raise ApiError(codes.E_ACCESS_DENIED)
            secret = self.secret_key
        else:
            entry = self.state.temp_credentials.get(auth.access_key)
            if entry is None or entry[1] <= now:
                raise ApiError(codes.E_BAD_AK)
            secret, temporary = entry[0], True
        expected = signature(secret, auth.timestamp, method, path, body)
        if not hmac.compare_digest(expected, auth.signature.lower()):
            raise ApiError(codes.E_SIGNATURE)
        self._throttle(auth.access_key, now)
        self._use_nonce(auth.nonce, now)
        return temporary

    def _use_nonce(self, nonce: str, now: float) -> None:
        """-10303 for a Nonce seen within the last NONCE_WINDOW seconds; O(1) amortised.

        Expired nonces are dropped from the oldest end of the queue; the lookup checks the age
        too, because a clock skew change can make the queue's order differ from the age order.
        """
        order = self._nonce_order
        while order and now - order[0][0] > NONCE_WINDOW:
            seen, old = order.popleft()
            if self._nonces.get(old) == seen:
                del self._nonces[old]
        seen_at = self._nonces.get(nonce)
        if seen_at is not None and now - seen_at <= NONCE_WINDOW:
            raise ApiError(codes.E_SIGN_PARAM)
        self._nonces[nonce] = now
        order.append((now, nonce))

    def _throttle(self, access_key: str, now: float) -> None:
        """-10201 (该用户请求次数过多) beyond rate_limit requests in one second.

        The document names the code but states no number, so the limit is opt-in.
        """
        if self.rate_limit is None:
            return
        recent = [t for t in self._recent.get(access_key, []) if now - t < 1.0]
        if len(recent) >= self.rate_limit:
            self._recent[access_key] = recent
            raise ApiError(codes.E_RATE_LIMIT_USER)
        recent.append(now)
        self._recent[access_key] = recent

    def _check_app_type(self, app: str) -> None:
        """-88312 for a project-only API in a device app, -88311 the other way round."""
        if app == PROJECT and self.state.app_type != "project":
            raise ApiError(codes.E_NOT_PROJECT_APP)
        if app == DEVICE and self.state.app_type != "device":
            raise ApiError(codes.E_NOT_DEVICE_APP)

    async def _fault(self, kind: str) -> web.Response:
        if kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.hang_seconds)
            return web.Response(status=504, text="gateway timeout")
        if kind == "http500":
            return web.Response(status=500, text="Internal Server Error")
        if kind == "malformed_json":
            return web.Response(body=b'{"error_code":0,"result":{', content_type="application/json")
        return self._envelope(codes.E_RATE_LIMIT_USER)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        response = await self._answer(request)
        # aiohttp only fills Date when it is unset: this one carries the cloud's (skewed) clock
        response.headers["Date"] = formatdate(self.now(), usegmt=True)
        return response

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        path = request.rel_url.raw_path
        self.requests[path] += 1
        route = ROUTES.get(path)
        if route is None:
            return web.Response(status=404, text="404: Not Found")
        if request.method != "POST":
            return web.Response(status=405, text="405: Method Not Allowed")
        fault = self.faults.take(path)
        if fault is not None:
            return await self._fault(fault)
        raw = await request.read()
        now = self.now()
        try:
            temporary = self._authenticate(
                request.headers.get("X-Authorization"), path, request.method, raw, now
            )
            body = _json_body(raw)
            self._check_app_type(route.app)
            self.state.tick(now)
            reply = await route.handler(Ctx(self.state, body, path, temporary, now, self))
        except ApiError as err:
            return self._envelope(err.code)
        return self._envelope(codes.OK, reply)


def _json_body(raw: bytes) -> dict[str, Any]:
    """The request object: {} for an empty body, -10100 when it is not a JSON object."""
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError as err:
        raise ApiError(codes.E_MALFORMED_JSON) from err
    if not isinstance(body, dict):
        raise ApiError(codes.E_MALFORMED_JSON)
    return body


def secret_from_env() -> str | None:
    """TUMS_SIM_SECRET_KEY, if set."""
    return os.environ.get("TUMS_SIM_SECRET_KEY")
