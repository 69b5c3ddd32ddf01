"""The simulated SUNMI IPC: HTTPS OpenAPI, message channel, UDP discovery, callbacks.

HTTP-level choices where the seed is silent:
- Only ``/openapi/<type>/<action>`` paths of the seed exist; others answer 404, a known path
  with another method than POST 405.  API results are HTTP 200 with ``{"code": N}`` (plus
  ``"data"`` on success when the API returns data), printed cJSON-style (tabs).
- The body is read as application/x-www-form-urlencoded whatever the Content-Type says
  (the seed's getCurVideos example sends a form body labelled application/json), except
  multipart/form-data, which only the seed's face-picture APIs accept (code 2 elsewhere).
- Before activation every signed API answers 5 before any parameter check: the device has
  no secret to check a signature with yet.
- Files the IPC links to (snapshots, face pictures, clips) are served by GET on the same
  HTTPS server (client certificate required too) with their ``auth_key``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import tempfile
import time
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from . import endpoints_config, endpoints_device, endpoints_face, endpoints_flow, endpoints_media
from .cert import CertBundle, load_or_create
from .channel import ChannelServer, connect_code
from .codes import (
    ACTIVATION_AUTH,
    E_NOT_ACTIVATED,
    E_PARAM,
    REQUEST_AUTH,
    ApiError,
)
from .control import control_app
from .discovery import DiscoveryProtocol
from .media import FLV_BYTES, MediaStore, jpeg
from .push import PushRecord, deliver, face_payload, motion_payload
from .routes import ROUTES, Args, Auth, Ctx, Device, Route
from .signing import ReplayCache, check_public
from .state import EVENT_FACE, EVENT_MOTION, MODELS, SunmiState, default_groups

_ENDPOINT_MODULES = (
    endpoints_config,
    endpoints_device,
    endpoints_face,
    endpoints_flow,
    endpoints_media,
)  # importing them fills ROUTES
MEDIA_PREFIXES = ("/tmp/", "/mnt/sd-card/")  # noqa: S108 - URL paths, as on the device
MAX_BODY = 4 * 1024 * 1024  # face pictures are up to 1 MB
MAX_PUSH_RECORDS = 200
REBOOT_ANSWER_DELAY = 0.2  # the API answers before the device goes down


def cjson(data: dict[str, Any]) -> str:
    """JSON the way the device's cJSON_Print writes it (tabs, ``"key":\\tvalue``)."""
    return json.dumps(data, indent="\t", separators=(",", ":\t"), ensure_ascii=False)


def _default_mac(sn: str) -> str:
    digest = hashlib.md5(sn.encode(), usedforsecurity=False).hexdigest().upper()
    return ":".join(["04", "12", "24", digest[0:2], digest[2:4], digest[4:6]])


class SunmiSimulator:
    """A SUNMI IPC (FS = FM020 with face recognition, SS = FM010) on a 127.x address."""

    def __init__(
        self,
        host: str = "127.0.0.3",
        app_id: str = "",
        secret_key: str = "",
        activation_code: str = "",
        model: str = "FS",
        sn: str = "FS101D8BS00106",
        *,
        activated: bool = False,
        cert_dir: str | Path | None = None,
        cert_password: str | None = None,
        https_port: int = 443,
        channel_port: int = 10021,
        discovery_port: int = 10001,
        discovery_bind: str | None = None,
        control_port: int | None = None,
        mac: str | None = None,
        firmware: str = "1.2.3",
        hardware: str = "1.0.0",
        name: str = "SUNMI",
        ipc_name: str | None = None,
        discovery_model: str | None = None,
        format_seconds: float = 3.0,
        reboot_seconds: float = 0.0,
        keep_alive_unit: float = 1.0,
        heartbeat_periods: float = 3,
        resend_seconds: float = 5.0,
        in_netns: bool = False,
    ) -> None:
        """Configure the IPC; nothing listens until ``start()``.

        ``in_netns``: the caller checked that this runs inside a test's own network namespace,
        where another address than 127.0.0.0/8 is allowed.
        """
        self._in_netns = in_netns
        if not host.startswith("127.") and not in_netns:
            raise ValueError("the simulator only listens on 127.0.0.0/8")
        if model not in MODELS:
            raise ValueError(f"model must be one of {sorted(MODELS)}")
        if not app_id or not secret_key or not activation_code:
            raise ValueError("app_id, secret_key and activation_code are required")
        self.host = host
        self.app_id = app_id
        self.secret_key = secret_key
        self.activation_code = activation_code
        self.model = MODELS[model]
        self.sn = sn
        self.name = name
        self.discovery_model = discovery_model or self.model.discovery_model
        self.device = Device(
            sn=sn,
            mac=mac or _default_mac(sn),
            firmware=firmware,
            hardware=hardware,
            model=self.model,
            host=host,
        )
        self._ipc_name = ipc_name or f"SUNMI {model} {sn[-4:]}"
        self.state = self._factory_state(activated)
        self.https_port = https_port
        self.discovery_port = discovery_port
        # A real camera hears broadcasts on 0.0.0.0; loopback tests bind each camera's own IP.
        self.discovery_bind = discovery_bind or host
        self.control_port = control_port
        self.format_seconds = format_seconds
        self.reboot_seconds = reboot_seconds
        self.p12_password = cert_password or secrets.token_urlsafe(12)
        self.requests: Counter[str] = Counter()
        self.pushes: list[PushRecord] = []
        self.media = MediaStore()
        self._replay = ReplayCache()
        self._cert_dir = cert_dir
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._certs: CertBundle | None = None
        self.channel = ChannelServer(
            host=host,
            port=channel_port,
            ssl_context=lambda: self.certs.server_context(),
            authenticate=self._connect_code,
            face=self.model.face,
            keep_alive_unit=keep_alive_unit,
            heartbeat_periods=heartbeat_periods,
            resend_seconds=resend_seconds,
        )
        self.discovery: DiscoveryProtocol | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._runner: web.AppRunner | None = None
        self._control_runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = False
        self._recording_since = time.time()

    def _factory_state(self, activated: bool) -> SunmiState:
        state = SunmiState(activated=False, ipc_name=self._ipc_name)
        if activated:
            state.activated = True
            state.groups = default_groups()
        return state

    # -- properties ------------------------------------------------------------------
    @property
    def certs(self) -> CertBundle:
        """CA, server and client certificates (created on first use)."""
        if self._certs is None:
            directory = self._cert_dir
            if directory is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="sunmi-sim-")
                directory = self._tmp.name
            self._certs = load_or_create(directory, self.host, self.p12_password)
        return self._certs

    @property
    def p12_path(self) -> Path:
        """``openapi.p12``: the client certificate the IPC demands."""
        return self.certs.p12_path

    @property
    def server_fingerprint(self) -> str:
        """Lowercase hex SHA-256 of the server's DER certificate."""
        return self.certs.server_fingerprint

    @property
    def channel_port(self) -> int:
        """Message channel port (the real one after ``start()``)."""
        return self.channel.port

    @property
    def url(self) -> str:
        """``https://host:port``."""
        return f"https://{self.host}:{self.https_port}"

    @property
    def base_url(self) -> str:
        """The prefix of media URLs (no port when it is 443, as on the device)."""
        port = "" if self.https_port == 443 else f":{self.https_port}"
        return f"https://{self.host}{port}"

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on HTTPS, the channel, discovery (and the control port when set)."""
        self._started = True
        self._recording_since = time.time()
        await self._up()
        if self.control_port is not None:
            runner = web.AppRunner(control_app(self), access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            await web.TCPSite(runner, self.host, self.control_port).start()
            self.control_port = int(runner.addresses[0][1])
            self._control_runner = runner

    async def stop(self) -> None:
        """Stop everything this simulator started."""
        self._started = False
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        await self._down()
        if self._control_runner is not None:
            await self._control_runner.cleanup()
            self._control_runner = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self._certs = None

    async def _up(self) -> None:
        certs = self.certs
        if self._runner is None:
            app = web.Application(client_max_size=MAX_BODY)
            app.router.add_route("*", "/{tail:.*}", self._handle)
            runner = web.AppRunner(
                app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
            )
            await runner.setup()
            site = web.TCPSite(
                runner, self.host, self.https_port, ssl_context=certs.server_context()
            )
            try:
                await site.start()
            except OSError:
                await runner.cleanup()
                raise
            self.https_port = int(runner.addresses[0][1])
            self._runner = runner
        await self.channel.start()
        if self._udp is None:
            loop = asyncio.get_running_loop()
            protocol = DiscoveryProtocol(self.discovery_info, any_sender=self._in_netns)
            transport, _ = await loop.create_datagram_endpoint(
                lambda: protocol, local_addr=(self.discovery_bind, self.discovery_port)
            )
            self._udp, self.discovery = transport, protocol
            self.discovery_port = int(transport.get_extra_info("sockname")[1])

    async def _down(self) -> None:
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        await self.channel.stop()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- test hooks ------------------------------------------------------------------
    def restart(self) -> None:
        """As after a reboot: channel connections dropped, replay cache and event ids reset."""
        self.channel.drop_all()
        self._replay.clear()
        self.state.next_event_id = 1

    def drop_channel(self) -> int:
        """Abort every channel connection; returns how many."""
        return self.channel.drop_all()

    def send_corrupt(self, kind: str) -> int:
        """Corrupt the next frame to each channel client (see ``frames.CORRUPT_KINDS``)."""
        return self.channel.arm_corrupt(kind)

    def people_flow_add(
        self,
        entered: int = 0,
        exited: int = 0,
        passed: int = 0,
        *,
        when: float | None = None,
        gender: int | None = None,
        age_range: int = 5,
    ) -> None:
        """Count people into the current half hour (or the one holding ``when``)."""
        self.state.add_flow(
            entered=entered,
            exited=exited,
            passed=passed,
            when=when,
            gender=gender,
            age_range=age_range,
        )

    async def publish_motion(self, detect_type: int = 1) -> int:
        """A dynamic_detect_event to subscribed channel clients and hooks; deliveries made."""
        if not 0 <= detect_type <= 3:
            raise ValueError("detect_type must be 0..3")
        now = int(time.time())
        path = f"/mnt/sd-card/sunmi_video/video_detect/{now - 4}.flv"
        link = self.media.add(path, FLV_BYTES, "video/x-flv", created=now)
        event_id = self.state.take_event_id()
        payload = motion_payload(event_id, self.sn, detect_type, self.base_url + link, now)
        return await self._publish(EVENT_MOTION, event_id, payload)

    async def publish_face(
        self,
        faceid: str = "358526",
        group_name: str = "vip",
        age_range: int = 5,
        gender: int = 2,
        name: str | None = None,
        pic: bool = True,
        *,
        age: int = 0,
        cloud_faceid: str = "",
    ) -> int:
        """A face_recog_event (FS only; an SS publishes nothing and 0 is returned).

        A faceid in the face DB uses its record (and counts an arrival); ``name`` becomes
        the user-defined attribute ``item1``.
        """
        if not self.model.face:
            return 0
        if not 1 <= age_range <= 8 or gender not in (0, 1, 2):
            raise ValueError("age_range must be 1..8 and gender 0..2")
        now = int(time.time())
        face: dict[str, Any] = {
            "faceid": faceid,
            "cloud_faceid": cloud_faceid,
            "group_name": group_name,
            "age": age,
            "age_range": age_range,
            "gender": gender,
            "arrive_times": 1,
        }
        record = self.state.faces.get(faceid)
        if record is not None:
            record.arrive_count += 1
            record.arrive_time = now
            face.update(
                group_name=record.group_name,
                age=record.age,
                age_range=record.age_range,
                gender=record.gender,
                arrive_times=record.arrive_count,
            )
        if name is not None:
            face["item1"] = name
        event_id = self.state.take_event_id()
        pic_url = ""
        if pic:
            millis = int(time.time() * 1000)
            path = f"/mnt/sd-card/sunmi_image/snap/{millis}_{event_id % 10}.jpg"
            picture = jpeg([f"face {faceid}", str(face["group_name"])], size=(320, 320))
            pic_url = self.base_url + self.media.add(path, picture, "image/jpeg", created=now)
        payload = face_payload(event_id, self.sn, now, face, pic_url)
        return await self._publish(EVENT_FACE, event_id, payload)

    async def _publish(self, event_type: str, event_id: int, payload: dict[str, Any]) -> int:
        delivered = self.channel.publish(event_type, event_id, payload)
        callbacks = list(self.state.hooks.get(event_type, []))
        records = await deliver(
            callbacks, self.host, event_type, self.app_id, self.secret_key, payload
        )
        self.pushes.extend(records)
        del self.pushes[:-MAX_PUSH_RECORDS]
        return delivered + sum(1 for r in records if r.status is not None and r.status < 300)

    def discovery_info(self) -> dict[str, Any]:
        """The discovery reply JSON."""
        return {
            "ip": self.host,
            "mac": self.device.mac,
            "firmware": self.device.firmware,
            "name": self.name,
            "model": self.discovery_model,
            "type": "IPC",
            "network": "LAN",
            "deviceid": self.sn,
        }

    def summary(self) -> dict[str, Any]:
        """JSON summary for the control API."""
        return {
            "url": self.url,
            "sn": self.sn,
            "model": self.model.code,
            "https_port": self.https_port,
            "channel_port": self.channel_port,
            "discovery_port": self.discovery_port,
            "fingerprint": self.server_fingerprint,
            **self.state.summary(),
            "channel": [
                {
                    "peer": str(c.peer),
                    "connected": c.connected,
                    "keep_alive": c.keep_alive,
                    "subscriptions": sorted(c.subscriptions),
                    "unacked": sorted(c.unacked),
                }
                for c in self.channel.connections
            ],
            "channel_disconnects": dict(self.channel.disconnects),
            "pushes": [vars(record) for record in self.pushes[-20:]],
            "discovery": {
                "answered": self.discovery.answered if self.discovery else 0,
                "dropped": self.discovery.dropped if self.discovery else 0,
            },
            "requests": dict(self.requests),
        }

    # -- reboot / reset --------------------------------------------------------------
    def _reboot(self) -> None:
        self.state.reboots += 1
        self._spawn(self._go_down(reset=False))

    def _reset(self) -> None:
        self._spawn(self._go_down(reset=True))

    async def _go_down(self, *, reset: bool) -> None:
        await asyncio.sleep(REBOOT_ANSWER_DELAY)
        if reset:
            resets = self.state.resets + 1
            self.state = self._factory_state(False)
            self.state.resets = resets
            self.media.clear()
        self.restart()
        if self.reboot_seconds > 0:
            await self._down()
            await asyncio.sleep(self.reboot_seconds)
            self.restart()
            if self._started:
                await self._up()

    # -- HTTP --------------------------------------------------------------------------
    def _connect_code(self, payload: bytes) -> tuple[int, int]:
        return connect_code(
            payload,
            activated=self.state.activated,
            app_id=self.app_id,
            key=self.secret_key,
            replay=self._replay,
        )

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if request.method == "GET" and path.startswith(MEDIA_PREFIXES):
            return self._media(request)
        route = ROUTES.get(path)
        if route is None:
            return web.Response(status=404, text="404 Not Found\n")
        if request.method != "POST":
            return web.Response(status=405, headers={"Allow": "POST"}, text="405\n")
        self.requests[path] += 1
        try:
            args = await self._args(request, route)
            data = await self._dispatch(route, args)
        except ApiError as err:
            return self._reply({"code": err.code})
        return self._reply({"code": 0} if data is None else {"code": 0, "data": data})

    @staticmethod
    def _reply(body: dict[str, Any]) -> web.Response:
        return web.Response(text=cjson(body), content_type="application/json")

    def _media(self, request: web.Request) -> web.Response:
        found = self.media.get(request.path, request.query.get("auth_key", ""))
        if isinstance(found, int):
            return web.Response(status=found)
        return web.Response(body=found.data, content_type=found.content_type)

    @staticmethod
    async def _args(request: web.Request, route: Route) -> Args:
        if request.content_type == "multipart/form-data":
            if not route.multipart:
                raise ApiError(E_PARAM)
            params: dict[str, str] = {}
            files: dict[str, bytes] = {}
            try:
                form = await request.post()
            except ValueError as err:
                raise ApiError(E_PARAM) from err
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files.setdefault(key, value.file.read())
                elif isinstance(value, str):
                    params.setdefault(key, value)
            return Args(params, files)
        try:
            text = (await request.read()).decode()
        except UnicodeDecodeError as err:
            raise ApiError(E_PARAM) from err
        params = {}
        for key, value in parse_qsl(text, keep_blank_values=True):
            params.setdefault(key, value)
        return Args(params)

    async def _dispatch(self, route: Route, args: Args) -> dict[str, Any] | None:
        if route.auth is Auth.WITHOUT_AUTH:
            if self.state.activated:
                raise ApiError(route.after_activation)
        elif route.auth is Auth.ACTIVATION:
            check_public(
                args.params,
                app_id=self.app_id,
                key=self.activation_code,
                replay=self._replay,
                codes=ACTIVATION_AUTH,
            )
        else:
            if not self.state.activated:
                raise ApiError(E_NOT_ACTIVATED)
            check_public(
                args.params,
                app_id=self.app_id,
                key=self.secret_key,
                replay=self._replay,
                codes=REQUEST_AUTH,
            )
        if route.feature is not None and not getattr(self.model, route.feature):
            raise ApiError(route.unsupported)
        ctx = Ctx(
            state=self.state,
            device=self.device,
            media=self.media,
            base_url=self.base_url,
            reboot=self._reboot,
            reset=self._reset,
            format_seconds=self.format_seconds,
            recording_since=self._recording_since,
        )
        return await route.handler(ctx, args)
