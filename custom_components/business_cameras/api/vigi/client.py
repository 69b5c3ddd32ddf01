"""HTTPS client of the VIGI NVR OpenAPI: pinned TLS, Digest-to-bearer tokens, typed endpoints."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NoReturn
from urllib.parse import quote

import aiohttp
from yarl import URL

from ..errors import (
    ApiError,
    AuthError,
    CertificateMismatchError,
    ConnectError,
    LockedError,
    ProtocolError,
    UnsupportedError,
)
from ..model import AudioSettings, Disk, EventServer
from . import codes
from .auth import DIGEST_URI, TokenHolder, authorization_header, parse_challenge
from .parsers import (
    AudioCapability,
    Bitrate,
    BitrateCapability,
    Channel,
    IpcAlarm,
    Module,
    NtpConfig,
    PoeInfo,
    PoeStatus,
    decode_strings,
    encode_strings,
    parse_added_devices,
    parse_audio_capability,
    parse_audio_input,
    parse_audio_output,
    parse_batch_ipc_alarm,
    parse_bitrate,
    parse_bitrate_capability,
    parse_disks,
    parse_event_servers,
    parse_module_list,
    parse_ntp,
    parse_poe_info,
    parse_poe_link_mode,
    parse_poe_link_status,
    parse_poe_status,
    parse_resolution,
    parse_timer,
    parse_timing_mode,
    parse_valid_resolutions,
    to_int,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_PORT: Final = 20443
# Refresh this long before the access token expires, so no call races the expiry.
REFRESH_MARGIN: Final = 60.0
MAX_JSON_BYTES: Final = 1024 * 1024
MAX_SNAPSHOT_BYTES: Final = 16 * 1024 * 1024
STREAMS: Final = ("main", "minor")
JPEG_TYPES: Final = ("image/jpeg", "image/jpg")
EVENT_SERVER_PATHS: Final = ("/openapi/event_server", "/openapi/event_server/new_server")


def normalise_fingerprint(value: str) -> str:
    """``AA:BB:..`` or ``aabb..`` -> 64 lowercase hex digits; ValueError otherwise."""
    digits = value.replace(":", "").replace(" ", "").strip().lower()
    if len(digits) != 64 or any(char not in "0123456789abcdef" for char in digits):
        raise ValueError("a certificate fingerprint is 32 bytes of hex (SHA-256)")
    return digits


async def fetch_certificate_fingerprint(
    host: str,
    port: int = DEFAULT_PORT,
    timeout: float = 10.0,  # noqa: ASYNC109 - the config flow passes it explicitly
) -> str:
    """Connect once without verification, only to read the certificate: its SHA-256 in hex.

    Used at configuration time, so the user can compare it with the NVR before it is pinned.
    """
    # PROTOCOL_TLS_CLIENT loads no CA bundle, so this does no blocking file I/O.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, port, ssl=context)
            ssl_object = writer.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
    except TimeoutError:
        raise ConnectError(f"{host}:{port}: no TLS handshake within {timeout} s") from None
    except (OSError, ssl.SSLError) as err:
        raise ConnectError(f"{host}:{port}: {_describe(err)}") from None
    finally:
        if writer is not None:
            writer.close()
            try:
                async with asyncio.timeout(1):
                    await writer.wait_closed()
            except (OSError, ssl.SSLError, TimeoutError):
                pass
    if not der:
        raise ProtocolError(f"{host}:{port}: the server presented no certificate")
    return hashlib.sha256(der).hexdigest()


def _describe(err: BaseException) -> str:
    """Describe an error briefly, without URLs (a refresh URL carries a token in its query)."""
    os_error = getattr(err, "os_error", None)
    if isinstance(os_error, OSError) and os_error.strerror:
        return f"{type(err).__name__}: {os_error.strerror}"
    if isinstance(err, OSError) and err.strerror:
        return f"{type(err).__name__}: {err.strerror}"
    if isinstance(err, aiohttp.ClientConnectorCertificateError):
        return "certificate not trusted (pin its fingerprint)"
    reason = getattr(err, "reason", None)
    if isinstance(err, ssl.SSLError) and isinstance(reason, str):
        return f"{type(err).__name__}: {reason}"
    return type(err).__name__


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    content_type: str
    www_authenticate: str | None
    body: bytes


class VigiClient:
    """One NVR's OpenAPI over HTTPS with the certificate pinned by its SHA-256 fingerprint.

    ``fingerprint=None`` means ordinary CA verification (never "no verification"); a
    self-signed NVR then fails with ConnectError until a fingerprint is pinned.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        username: str,
        password: str,
        fingerprint: str | None,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create the client; nothing is sent before the first call."""
        self._session = session
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._fingerprint = normalise_fingerprint(fingerprint) if fingerprint else None
        self._ssl: aiohttp.Fingerprint | bool = (
            aiohttp.Fingerprint(bytes.fromhex(self._fingerprint)) if self._fingerprint else True
        )
        self._timeout = timeout
        self._clock = clock
        self._base = URL.build(scheme="https", host=host, port=port)
        self._tokens = TokenHolder()
        self._login_lock = asyncio.Lock()
        self._locked_until = 0.0
        self._locked_code = -40404
        self._event_server_path: str | None = None

    @property
    def host(self) -> str:
        """The NVR's host name or IP address."""
        return self._host

    @property
    def port(self) -> int:
        """The OpenAPI HTTPS port."""
        return self._port

    @property
    def fingerprint(self) -> str | None:
        """The pinned certificate fingerprint (lowercase hex), if any."""
        return self._fingerprint

    # --- transport -----------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        raw_query: str | None = None,
        body: Mapping[str, Any] | None = None,
        authorization: str | None = None,
        max_bytes: int = MAX_JSON_BYTES,
    ) -> _Reply:
        url = self._base.with_path(path)
        if raw_query is not None:
            # Already percent-encoded; yarl must not encode the '%' again.
            url = URL(f"{url}?{raw_query}", encoded=True)
        elif params:
            url = url.with_query(params)
        headers = {"Accept": "application/json, image/jpeg"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(encode_strings(dict(body))).encode()
        if authorization is not None:
            headers["Authorization"] = authorization
        where = f"{self._host}:{self._port}{path}"
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method, url, data=data, headers=headers, ssl=self._ssl, allow_redirects=False
                ) as response,
            ):
                payload = await _read_limited(response, max_bytes, where)
                return _Reply(
                    status=response.status,
                    content_type=response.content_type.lower(),
                    www_authenticate=response.headers.get("WWW-Authenticate"),
                    body=payload,
                )
        except aiohttp.ServerFingerprintMismatch as err:
            raise CertificateMismatchError(err.expected.hex(), err.got.hex()) from None
        except TimeoutError:
            raise ConnectError(f"{where}: no answer within {self._timeout} s") from None
        except (aiohttp.ClientError, OSError) as err:
            raise ConnectError(f"{where}: {_describe(err)}") from None

    # --- tokens ----------------------------------------------------------------------------

    def forget_tokens(self) -> None:
        """Drop the tokens; the next call logs in again."""
        self._tokens.clear()

    async def login(self) -> None:
        """Run a full Digest login now (raises AuthError, LockedError, ConnectError)."""
        async with self._login_lock:
            await self._digest_login()

    def _check_lockout(self) -> None:
        remaining = self._locked_until - self._clock()
        if remaining > 0:
            code = self._locked_code
            raise LockedError(
                code, codes.message_for(code), "token", retry_after=round(remaining, 1)
            )

    def _raise_code(self, code: int, endpoint: str) -> NoReturn:
        error = codes.error_for(code, endpoint)
        if isinstance(error, LockedError):
            self._locked_until = self._clock() + error.retry_after
            self._locked_code = code
            _LOGGER.debug(
                "%s: device reports lockout %s; no login for %s s",
                endpoint,
                code,
                error.retry_after,
            )
        raise error

    async def _ensure_token(self) -> int:
        """Get a usable access token (refreshing or logging in as needed); return its generation."""
        if self._tokens.valid(self._clock(), REFRESH_MARGIN):
            return self._tokens.generation
        async with self._login_lock:
            if self._tokens.valid(self._clock(), REFRESH_MARGIN):
                return self._tokens.generation
            self._check_lockout()
            if self._tokens.refresh_token is not None:
                try:
                    await self._refresh()
                except LockedError:
                    raise
                except (ApiError, ProtocolError) as err:  # a rejected refresh is no auth problem
                    # Refresh is reported broken on real firmware; a full login always works.
                    _LOGGER.debug("token refresh failed (%s); logging in again", err)
                else:
                    return self._tokens.generation
            await self._digest_login()
            return self._tokens.generation

    async def _relogin(self, generation: int) -> None:
        """Log in afresh, unless another caller already replaced the rejected token."""
        async with self._login_lock:
            if self._tokens.generation != generation and self._tokens.valid(self._clock()):
                return
            self._tokens.clear()
            await self._digest_login()

    async def _refresh(self) -> None:
        refresh = self._tokens.refresh_token
        assert refresh is not None
        # Sent exactly as received (the document's example keeps the %2f escapes); only
        # characters a query cannot carry are escaped.
        query = "grant_type=refresh_token&refresh_token=" + _query_safe(refresh)
        bearer = None
        if self._tokens.access_token and self._tokens.valid(self._clock()):
            bearer = f"Bearer {self._tokens.access_token}"  # V1.4 shows it on refresh
        reply = await self._send("GET", DIGEST_URI, raw_query=query, authorization=bearer)
        self._store_token(reply, "token refresh")
        _LOGGER.debug("access token refreshed")

    async def _digest_login(self) -> None:
        self._check_lockout()
        reply = await self._send("GET", DIGEST_URI)
        if not reply.www_authenticate:
            # No challenge: maybe a vendor error (e.g. locked); otherwise a protocol violation.
            self._token_error(reply, "token challenge")
            raise ProtocolError(f"token challenge: HTTP {reply.status} without WWW-Authenticate")
        challenge = parse_challenge(reply.www_authenticate)
        header = authorization_header(self._username, self._password, challenge)
        reply = await self._send("GET", DIGEST_URI, authorization=header)
        self._store_token(reply, "token")
        _LOGGER.debug("logged in to %s:%s (%s digest)", self._host, self._port, challenge.algorithm)

    def _token_error(self, reply: _Reply, endpoint: str) -> None:
        """Raise the vendor error carried by a token answer, if it carries one."""
        data = _peek_json(reply.body)
        if data is not None:
            code = _error_code(data, endpoint)
            if code:
                self._raise_code(code, endpoint)

    def _store_token(self, reply: _Reply, endpoint: str) -> None:
        self._token_error(reply, endpoint)
        data = _peek_json(reply.body)
        if reply.status == 401:
            raise AuthError(-40401, codes.message_for(-40401), endpoint)
        if reply.status != 200 or data is None:
            # Never log a token answer's body: it may hold tokens.
            _LOGGER.debug(
                "%s: HTTP %s, %s, %d bytes",
                endpoint,
                reply.status,
                reply.content_type,
                len(reply.body),
            )
            raise ProtocolError(f"{endpoint}: HTTP {reply.status} without a token")
        self._tokens.update(data, self._clock())

    # --- calls -----------------------------------------------------------------------------

    async def _authed(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
        max_bytes: int = MAX_JSON_BYTES,
    ) -> _Reply:
        """Send with the bearer token; one fresh login and one retry if it is rejected."""
        for attempt in range(2):
            generation = await self._ensure_token()
            reply = await self._send(
                method,
                path,
                params=params,
                body=body,
                authorization=f"Bearer {self._tokens.access_token}",
                max_bytes=max_bytes,
            )
            if attempt == 0 and _token_rejected(reply):
                _LOGGER.debug(
                    "%s rejected the token (HTTP %s); logging in again", path, reply.status
                )
                await self._relogin(generation)
                continue
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, reply: _Reply, endpoint: str) -> dict[str, Any]:
        """Return the decoded JSON of a successful answer; raise typed errors otherwise."""
        if reply.status == 404:
            raise UnsupportedError(f"{endpoint}: not offered by this firmware (HTTP 404)")
        data = _peek_json(reply.body)
        if data is None:
            _log_odd(endpoint, reply)
            if reply.status == 401:
                raise AuthError(-40401, codes.message_for(-40401), endpoint)
            raise ProtocolError(f"{endpoint}: answer is not a JSON object (HTTP {reply.status})")
        code = _error_code(data, endpoint)
        if code:
            _log_odd(endpoint, reply)
            self._raise_code(code, endpoint)
        if reply.status == 401:
            raise AuthError(-40401, codes.message_for(-40401), endpoint)
        if not 200 <= reply.status < 300:
            _log_odd(endpoint, reply)
            raise ProtocolError(f"{endpoint}: HTTP {reply.status}")
        decoded: dict[str, Any] = decode_strings(data)
        return decoded

    async def _get(self, path: str, **params: str | int) -> dict[str, Any]:
        reply = await self._authed("GET", path, params=params or None)
        return self._check(reply, path.removeprefix("/openapi/"))

    async def _write(self, method: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        reply = await self._authed(method, path, body=body)
        data = self._check(reply, path.removeprefix("/openapi/"))
        if data.get("sub_code") not in (None, 0, "0"):
            _LOGGER.debug("%s: sub_code %s", path, data.get("sub_code"))
        return data

    # --- channels ----------------------------------------------------------------------------

    async def added_devices(self) -> list[Channel]:
        """List the cameras added to the NVR (``id`` is the channel number)."""
        return parse_added_devices(await self._get("/openapi/added_devices"))

    async def module_list(self) -> list[Module] | None:
        """List the firmware's modules (V1.3+); ``None`` when the call is not available."""
        try:
            return parse_module_list(await self._get("/openapi/module_list"))
        except (AuthError, LockedError):
            raise
        except (UnsupportedError, ApiError) as err:
            _LOGGER.debug("module_list not available (%s); assuming V1.0 firmware", err)
            return None

    async def snapshot(self, channel: int) -> bytes:
        """Fetch a current JPEG of ``channel`` (V1.3+)."""
        reply = await self._authed(
            "GET", "/openapi/snapshot", params={"channel": channel}, max_bytes=MAX_SNAPSHOT_BYTES
        )
        if (
            reply.status == 200
            and reply.content_type in JPEG_TYPES
            and reply.body.startswith(b"\xff\xd8")
        ):
            return reply.body
        if reply.status == 404 or _peek_json(reply.body) is not None:
            self._check(reply, "snapshot")  # raises the typed error the answer carries
        _LOGGER.debug(
            "snapshot: HTTP %s, %s, %d bytes, starts %r",
            reply.status,
            reply.content_type,
            len(reply.body),
            reply.body[:4],
        )
        raise ProtocolError(f"snapshot: answer is not a JPEG ({reply.content_type or 'untyped'})")

    def live_url(self, channel: int, stream: int = 1, rtsp_port: int = 554) -> str:
        """Build a channel's RTSP live URL (stream 1 main, 2 minor), credentials embedded."""
        user = quote(self._username, safe="")
        password = quote(self._password, safe="")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"rtsp://{user}:{password}@{host}:{rtsp_port}/live/{channel}/{stream}/avm"

    # --- video -----------------------------------------------------------------------------

    async def resolution(self, channel: int, stream: str = "main") -> str:
        """Read the resolution ``W*H`` of a stream (``main`` or ``minor``)."""
        return parse_resolution(
            await self._get("/openapi/resolution", channel=channel, stream=_stream(stream))
        )

    async def valid_resolutions(self, channel: int, stream: str = "main") -> list[str]:
        """List the resolutions a stream accepts."""
        return parse_valid_resolutions(
            await self._get("/openapi/valid_resolutions", channel=channel, stream=_stream(stream))
        )

    async def set_resolution(self, channel: int, stream: str, resolution: str) -> None:
        """Set a stream's resolution (one of :meth:`valid_resolutions`)."""
        body = {"channel": channel, "stream": _stream(stream), "resolution": resolution}
        await self._write("POST", "/openapi/resolution", body)

    async def bitrate(self, channel: int, stream: str = "main") -> Bitrate:
        """Read a stream's bitrate settings."""
        return parse_bitrate(
            await self._get("/openapi/bitrate", channel=channel, stream=_stream(stream))
        )

    async def bitrate_capability(self, channel: int, stream: str = "main") -> BitrateCapability:
        """List the valid bitrates and VBR qualities of a stream."""
        return parse_bitrate_capability(
            await self._get("/openapi/bitrate_capability", channel=channel, stream=_stream(stream))
        )

    async def set_bitrate(
        self, channel: int, stream: str, max_kbps: int, type_: str, quality: str
    ) -> None:
        """Set a stream's bitrate (values are strings on the wire, as documented)."""
        body = {
            "channel": channel,
            "stream": _stream(stream),
            "maximun_bitrate": str(max_kbps),
            "type": type_,
            "quality": quality,
        }
        await self._write("POST", "/openapi/bitrate", body)

    # --- time ------------------------------------------------------------------------------

    async def timing_mode(self) -> str:
        """``ntp`` or ``manual``."""
        return parse_timing_mode(await self._get("/openapi/timing_mode"))

    async def set_timing_mode(self, mode: str) -> None:
        """Set the timing mode (``ntp`` or ``manual``)."""
        if mode not in ("ntp", "manual"):
            raise ValueError("timing mode is ntp or manual")
        await self._write("PUT", "/openapi/timing_mode", {"mode": mode})

    async def ntp(self) -> NtpConfig:
        """Read the NTP server and port."""
        return parse_ntp(await self._get("/openapi/ntp"))

    async def set_ntp(self, server: str, port: int) -> None:
        """Set the NTP server."""
        await self._write("PUT", "/openapi/ntp", {"server": server, "port": port})

    # --- audio -----------------------------------------------------------------------------

    async def audio_output(self, channel: int) -> AudioSettings:
        """Speaker settings of a channel."""
        return parse_audio_output(await self._get("/openapi/audio/output/sound", channel=channel))

    async def audio_input(self, channel: int) -> AudioSettings:
        """Microphone settings of a channel."""
        return parse_audio_input(await self._get("/openapi/audio/input/sound", channel=channel))

    async def set_audio_output(self, channel: int, settings: AudioSettings) -> None:
        """Write a channel's speaker settings (the whole documented body)."""
        body: dict[str, Any] = {
            "channel": channel,
            "mute": _on_off(settings.muted),
            "volume": settings.volume,
        }
        if settings.system_volume is not None:
            body["system_volume"] = settings.system_volume
        await self._write("POST", "/openapi/audio/output/sound", body)

    async def set_audio_input(self, channel: int, settings: AudioSettings) -> None:
        """Write a channel's microphone settings (the whole documented body)."""
        body: dict[str, Any] = {
            "channel": channel,
            "mute": _on_off(settings.muted),
            "volume": settings.volume,
        }
        if settings.noise_cancelling is not None:
            body["noise_cancelling"] = _on_off(settings.noise_cancelling)
        await self._write("POST", "/openapi/audio/input/sound", body)

    async def audio_capability(self) -> AudioCapability:
        """Whether the NVR offers speaker/microphone functions (V1.4)."""
        endpoint = "audio/capability"
        return parse_audio_capability(await self._get("/openapi/audio/capability"), endpoint)

    async def audio_channel_capability(self, channel: int) -> AudioCapability:
        """Whether a channel has a speaker/microphone (V1.4)."""
        data = await self._get("/openapi/audio/channel_capability", channel=channel)
        return parse_audio_capability(data, "audio/channel_capability")

    # --- disks -----------------------------------------------------------------------------

    async def disks(self) -> list[Disk]:
        """List the internal disks."""
        return parse_disks(await self._get("/openapi/disks"), "disks")

    async def esata_disks(self) -> list[Disk]:
        """List the eSATA disks."""
        return parse_disks(await self._get("/openapi/esata_disks"), "esata_disks")

    # --- PoE -------------------------------------------------------------------------------

    async def poe_info(self) -> list[PoeInfo]:
        """Per-port PoE switch, priority and power budget."""
        return parse_poe_info(await self._get("/openapi/poe/info"))

    async def set_poe_port(
        self,
        port: int,
        *,
        enabled: bool,
        priority: str | None = None,
        max_port_power: int | None = None,
    ) -> None:
        """Write one port's PoE settings (``max_port_power`` in 0.1 W)."""
        body: dict[str, Any] = {"port": port, "enable": _on_off(enabled)}
        if priority is not None:
            body["priority"] = priority
        if max_port_power is not None:
            body["max_port_power"] = max_port_power
        await self._write("POST", "/openapi/poe/info", body)

    async def poe_status(self) -> PoeStatus:
        """Power used in total and per port, with each port's status 0..6."""
        return parse_poe_status(await self._get("/openapi/poe/status"))

    async def poe_link_status(self) -> dict[int, bool]:
        """Port -> link up."""
        return parse_poe_link_status(await self._get("/openapi/poe/link_status"))

    async def poe_link_mode(self) -> dict[int, str]:
        """Port -> ``full_100`` etc."""
        return parse_poe_link_mode(await self._get("/openapi/poe/link_mode"))

    async def set_poe_link_mode(self, port: int, link_mode: str) -> None:
        """Set a port's speed and duplex."""
        await self._write("POST", "/openapi/poe/link_mode", {"port": port, "link_mode": link_mode})

    # --- event servers -----------------------------------------------------------------------

    async def event_servers(self) -> list[EventServer]:
        """List the registered event-push targets (up to 3)."""
        return parse_event_servers(await self._get("/openapi/event_server"))

    async def add_event_server(self, server: EventServer) -> None:
        """Register an event-push target in slot ``server.id``.

        The document names two paths (table vs example); the first one that exists is kept.
        """
        body = {
            "id": server.id,
            "ip_or_domain": server.host,
            "port": server.port,
            "url": server.path,
            "protocol": server.protocol.upper(),
            "picture_switch": _on_off(server.picture),
        }
        paths = (self._event_server_path,) if self._event_server_path else EVENT_SERVER_PATHS
        for index, path in enumerate(paths):
            last = index == len(paths) - 1
            try:
                await self._write("POST", path, body)
            except UnsupportedError:
                if last:
                    raise
            except ApiError as err:
                if last or err.code not in codes.UNSUPPORTED_ERRORS:
                    raise
            else:
                if self._event_server_path is None:
                    _LOGGER.debug("event server added through %s", path)
                self._event_server_path = path
                return
            _LOGGER.debug("%s not offered; trying the next event server path", path)

    async def delete_event_server(self, server_id: int) -> None:
        """Remove the event-push target in slot ``server_id``."""
        await self._write("POST", "/openapi/event_server/delete_server", {"id": server_id})

    # --- system and alarms -------------------------------------------------------------------

    async def reboot(self) -> None:
        """Reboot the NVR."""
        await self._write("POST", "/openapi/systemctl", {"action": "reboot"})

    async def ipc_manual_alarm(self, channel: int, action: str = "start") -> int | None:
        """Start or stop a camera's alarm output; returns the device's ``timer``."""
        if action not in ("start", "stop"):
            raise ValueError("action is start or stop")
        path = "/openapi/alarm_output/ipc_manual_alarm"
        data = await self._write("POST", path, {"channel": channel, "action": action})
        return parse_timer(data, "alarm_output/ipc_manual_alarm")

    async def batch_get_ipc_alarm(self) -> list[IpcAlarm]:
        """Every channel's alarm output settings (V1.4)."""
        return parse_batch_ipc_alarm(await self._get("/openapi/alarm_output/batch_get_ipc_alarm"))


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
    """Return the body as a JSON object, or ``None`` if it is not one."""
    if body.lstrip()[:1] != b"{":
        return None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _error_code(data: Mapping[str, Any], endpoint: str) -> int:
    # Every documented answer has error_code; a missing one is read as success.
    value = data.get("error_code", 0)
    return 0 if value is None else to_int(value, endpoint, "error_code")


def _token_rejected(reply: _Reply) -> bool:
    if reply.status == 401:
        return True
    data = _peek_json(reply.body)
    if data is None:
        return False
    try:
        code = _error_code(data, "")
    except ProtocolError:
        return False
    return code in codes.SESSION_ERRORS or code == -40401


def _log_odd(endpoint: str, reply: _Reply) -> None:
    _LOGGER.debug(
        "%s answered HTTP %s (%s): %r", endpoint, reply.status, reply.content_type, reply.body[:300]
    )


def _query_safe(value: str) -> str:
    return quote(value, safe="%")


def _stream(stream: str) -> str:
    if stream == "sub":
        return "minor"
    if stream not in STREAMS:
        raise ValueError("stream is main or minor")
    return stream


def _on_off(value: bool) -> str:
    return "on" if value else "off"
