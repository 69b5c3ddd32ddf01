"""The simulated VIGI NVR: HTTPS OpenAPI server, token endpoint and test hooks.

HTTP-level choices where the document is silent:
- Unknown paths, a known path with another method, and V1.3/V1.4 paths on older
  firmware all get 404 text/plain with a 26-byte body, before any auth check.
- Auth failures are HTTP 401 with a JSON ``error_code``; every other API error is
  HTTP 200 with a non-zero ``error_code``.
- The Digest challenge has an empty body and status ``challenge_status``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections import Counter
from collections.abc import Coroutine, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from . import endpoints_v10, endpoints_v14
from .auth import AuthState, TokenPair, parse_digest
from .cert import Certificate, load_or_generate
from .control import (
    HANG_CAP_SECONDS,
    Faults,
    channel_message,
    control_app,
    device_message,
    event_json,
    fault_response,
    push_bodies,
)
from .push import deliver
from .routes import ROUTES, Ctx
from .state import NvrState
from .wire import (
    E_AUTH_FAILED,
    E_FORMAT,
    E_MISSING,
    E_PARAM,
    ApiError,
    Args,
    error_reply,
    json_reply,
    not_found,
)

_ENDPOINT_MODULES = (endpoints_v10, endpoints_v14)  # importing them fills ROUTES
TOKEN_PATH = "/openapi/token"


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


class VigiSimulator:
    """A TP-Link VIGI NVR speaking the local OpenAPI over HTTPS."""

    def __init__(
        self,
        host: str = "127.0.0.2",
        port: int = 20443,
        username: str = "admin",
        password: str = "",
        channels: int = 16,
        *,
        control_port: int | None = None,
        token_ttl: int = 1800,
        firmware: str = "1.4",
        poe_ports: int = 8,
        disks: int = 1,
        challenge_status: int = 401,
        max_failures: int = 5,
        lockout_seconds: float = 300,
        digest_algorithm: str = "SHA-256",
        push_id_keys: str = "dev",
        cert_dir: str | Path | None = None,
        device_name: str = "VIGI NVR",
        nonce_ttl: float = 60.0,
        reboot_seconds: float = 2.0,
    ) -> None:
        """Configure the NVR; nothing listens until ``start()``."""
        if not password:
            raise ValueError("a password is required")
        if not 0 <= channels <= 64 or poe_ports < 0 or disks < 0:
            raise ValueError("channels must be 0..64; poe_ports and disks >= 0")
        _version(firmware)  # raises ValueError for a malformed version
        if digest_algorithm not in ("SHA-256", "MD5"):
            raise ValueError("digest_algorithm must be 'SHA-256' or 'MD5'")
        if push_id_keys not in ("dev", "device"):
            raise ValueError("push_id_keys must be 'dev' or 'device'")
        self.host = host
        self.port = port
        self.control_port = control_port
        self.firmware = firmware
        self.challenge_status = challenge_status
        self.push_id_keys = push_id_keys
        self.reboot_seconds = reboot_seconds
        self._hardware = {"channels": channels, "disks": disks, "poe_ports": poe_ports}
        self._device_name = device_name
        self._device_id = (
            hashlib.sha256(f"vigi|{host}|{device_name}".encode()).hexdigest()[:40].upper()
        )
        self.state = self._factory_state()
        self.auth = AuthState(
            username,
            password,
            algorithm=digest_algorithm,
            token_ttl=token_ttl,
            nonce_ttl=nonce_ttl,
            max_failures=max_failures,
            lockout_seconds=lockout_seconds,
        )
        self.requests: Counter[str] = Counter()
        self.faults = Faults()
        self._cert_dir = cert_dir
        self._cert: Certificate | None = None
        self._runner: web.AppRunner | None = None
        self._control_runner: web.AppRunner | None = None
        self._release = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._comeback: asyncio.Task[None] | None = None
        self._up_lock = asyncio.Lock()
        self._started = False

    # -- properties ------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL of the OpenAPI (after ``start()`` the real port)."""
        return f"https://{self.host}:{self.port}"

    @property
    def certificate(self) -> Certificate:
        """The TLS certificate (generated on first use, or loaded from cert_dir)."""
        if self._cert is None:
            self._cert = load_or_generate(self.host, self._cert_dir)
        return self._cert

    @property
    def fingerprint(self) -> str:
        """Lowercase hex SHA-256 of the DER certificate, no colons."""
        return self.certificate.fingerprint

    @property
    def is_up(self) -> bool:
        """Whether the HTTPS port is listening."""
        return self._runner is not None

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on HTTPS (and the control port when configured)."""
        self._release = asyncio.Event()
        self._started = True
        await self._bring_up()
        if self.control_port is not None:
            runner = web.AppRunner(control_app(self), access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            await web.TCPSite(runner, self.host, self.control_port).start()
            if self.control_port == 0:
                self.control_port = int(runner.addresses[0][1])
            self._control_runner = runner

    async def stop(self) -> None:
        """Stop everything this simulator started."""
        self._started = False
        self._release.set()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        await self._take_down()
        if self._control_runner is not None:
            await self._control_runner.cleanup()
            self._control_runner = None

    async def _bring_up(self) -> None:
        async with self._up_lock:
            if self._runner is not None:
                return
            self._release = asyncio.Event()
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handle)
            runner = web.AppRunner(
                app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
            )
            await runner.setup()
            site = web.TCPSite(
                runner, self.host, self.port, ssl_context=self.certificate.server_context()
            )
            try:
                await site.start()
            except OSError:
                await runner.cleanup()
                raise
            self.port = int(runner.addresses[0][1])
            self._runner = runner

    async def _take_down(self) -> None:
        async with self._up_lock:
            self._release.set()
            if self._runner is not None:
                runner, self._runner = self._runner, None
                await runner.cleanup()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- test hooks ------------------------------------------------------------------
    def restart(self) -> None:
        """Void every token, nonce and lockout counter, as after a reboot."""
        self.auth.reboot()

    def expire_tokens(self, *, refresh: bool = False) -> None:
        """Make the access tokens issued so far expired (-40403 from now on)."""
        self.auth.expire_tokens(refresh=refresh)

    async def go_down(self, seconds: float, *, wait: bool = True) -> None:
        """Stop listening for ``seconds`` (connection refused), then return with tokens void.

        With ``wait=False`` this returns as soon as the port is closed and the comeback
        happens in the background (``stop()`` cancels it).  A new call replaces any
        pending comeback, so ``go_down(0)`` brings a downed simulator straight back.
        """
        if self._comeback is not None and self._comeback is not asyncio.current_task():
            self._comeback.cancel()
        self._comeback = None
        await self._take_down()
        self.restart()

        async def comeback() -> None:
            await asyncio.sleep(seconds)
            self.restart()
            if self._started:
                await self._bring_up()

        if wait:
            await comeback()
        else:
            self._comeback = self._spawn(comeback())

    def inject_fault(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """Queue a fault: timeout, http500, malformed_json (requests) or wrong_boundary."""
        self.faults.add(kind, count, path)

    def set_channel_online(self, channel: int, online: bool) -> None:
        """Mark a channel's camera online or offline."""
        if channel not in self.state.channels:
            raise ValueError(f"no channel {channel}")
        self.state.channels[channel].online = online

    async def trigger_event(
        self,
        channel: int,
        type: int = 1,
        sub_types: Sequence[int] = (2,),
        picture: bool = True,
    ) -> int:
        """Push a channel event to every event server; returns how many got a 2xx."""
        when = datetime.now().replace(microsecond=0)
        message = channel_message(self.state, channel, type, sub_types, when)
        online = self.state.channels[channel].online
        return await self._push(message, picture_channel=channel if picture and online else None)

    async def trigger_device_event(
        self, type: int = 2, sub_types: Sequence[int] = (), **fields: object
    ) -> int:
        """Push a device/storage event (keys: port, disk, array, alarm_output, ...)."""
        when = datetime.now().replace(microsecond=0)
        return await self._push(device_message(type, sub_types, when, fields), None)

    async def _push(self, message: dict[str, Any], picture_channel: int | None) -> int:
        if not self.is_up or not self.state.event_servers:
            return 0
        event = event_json(self.state, self.push_id_keys, message)
        when = datetime.now()
        bodies = push_bodies(
            self.state, self.faults, event, picture_channel=picture_channel, when=when
        )
        servers = [self.state.event_servers[i] for i in bodies]
        records = await deliver(servers, self.host, bodies)
        delivered = sum(1 for r in records if r.status is not None and 200 <= r.status < 300)
        self.state.pushes.extend(records)
        self.state.push_delivered += delivered
        self.state.push_failures += len(records) - delivered
        return delivered

    def summary(self) -> dict[str, Any]:
        """JSON summary for the control API."""
        return {
            "url": self.url,
            "up": self.is_up,
            "firmware": self.firmware,
            "fingerprint": self.fingerprint,
            **self.state.summary(),
            "auth": {
                "logins": self.auth.logins,
                "refreshes": self.auth.refreshes,
                "failures": dict(self.auth.failures),
                "locked": [ip for ip in list(self.auth.locked_until) if self.auth.locked(ip)],
            },
        }

    # -- request handling ------------------------------------------------------------
    def _factory_state(self) -> NvrState:
        return NvrState.build(name=self._device_name, device_id=self._device_id, **self._hardware)

    def _reboot(self, reset: bool) -> None:
        """systemctl: tokens void now, the port closes shortly after the reply."""
        if reset:
            self.state = self._factory_state()
        self.restart()

        async def reboot_later() -> None:
            await asyncio.sleep(0.2)
            await self.go_down(self.reboot_seconds)

        self._spawn(reboot_later())

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests[f"{request.method} {request.path}"] += 1
        kind = self.faults.take(request.path)
        if kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._release.wait(), HANG_CAP_SECONDS)
            return web.Response(status=504, text="504 Gateway Timeout\n")
        if kind is not None:
            return fault_response(kind)
        if request.path == TOKEN_PATH and request.method == "GET":
            return self._token(request)
        route = ROUTES.get((request.method, request.path))
        firmware = _version(self.firmware)
        if route is None or firmware < route.since:
            return not_found()
        try:
            self._check_bearer(request)
            args = await self._args(request, route.ignore)
            reply = await route.handler(Ctx(self.state, self._reboot, firmware), args)
        except ApiError as err:
            return error_reply(err.code, err.status)
        return reply if isinstance(reply, web.StreamResponse) else json_reply(reply)

    def _check_bearer(self, request: web.Request) -> None:
        scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(E_AUTH_FAILED, 401)
        self.auth.check(token.strip())

    @staticmethod
    async def _args(request: web.Request, ignore: tuple[str, ...]) -> Args:
        if request.method == "GET":
            return Args(dict(request.query), query=True, ignore=ignore)
        try:
            data = (await request.read()).decode()
            body = json.loads(data)
        except ValueError as err:
            raise ApiError(E_FORMAT) from err
        if not isinstance(body, dict):
            raise ApiError(E_FORMAT)
        return Args(body, query=False, ignore=ignore)

    def _token(self, request: web.Request) -> web.Response:
        query = dict(
            part.partition("=")[::2] for part in request.rel_url.raw_query_string.split("&") if part
        )
        try:
            if query:
                return json_reply(
                    self._refresh(query).as_reply(self.auth.token_ttl), error_code=False
                )
            params = parse_digest(request.headers.get("Authorization", ""))
            if params is None:
                return web.Response(
                    status=self.challenge_status,
                    headers={"WWW-Authenticate": self.auth.challenge()},
                )
            pair = self.auth.digest_login(params, request.remote or "")
            return json_reply(pair.as_reply(self.auth.token_ttl), error_code=False)
        except ApiError as err:
            return error_reply(err.code, err.status)

    def _refresh(self, query: dict[str, str]) -> TokenPair:
        if set(query) - {"grant_type", "refresh_token"}:
            raise ApiError(E_PARAM)
        if "grant_type" not in query or "refresh_token" not in query:
            raise ApiError(E_MISSING)
        if unquote(query["grant_type"]) != "refresh_token":
            raise ApiError(E_PARAM)
        raw = query["refresh_token"]
        # As received (still encoded, as in the document), decoded, or double-encoded.
        candidates = [raw, unquote(raw), unquote(unquote(raw)), unquote(unquote(unquote(raw)))]
        return self.auth.refresh(list(dict.fromkeys(candidates)))
