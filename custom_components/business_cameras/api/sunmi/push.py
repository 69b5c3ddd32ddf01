"""Events from the camera: the TLS message channel, the HTTP callback, and their normalisation.

* ``MessageChannel`` keeps the TLS connection to port 10021 (seed "Message Channel"): CONNECT
  signed, SUBSCRIBE, PINGREQ every ``keep_alive``, PUBACK every PUBLISH, reconnecting with
  backoff by itself.
* ``parse_http_push`` authenticates one multipart POST of the HTTP callback ("Post Message").
* ``to_events`` turns either payload into CameraEvents.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from typing import Any, Final, Literal

from ..errors import ApiError, AuthError, CameraError, ConnectError, ProtocolError
from ..model import CameraEvent, EventType
from . import auth, codes, tls
from .codec import CHANNEL_PORT, FrameDecoder, PacketType, encode_frame
from .errors import BadPayloadError, FrameError, NotActivatedError

_LOGGER = logging.getLogger(__name__)

EVENT_DYNAMIC_DETECT: Final = "dynamic_detect_event"
EVENT_FACE_RECOGNITION: Final = "face_recog_event"

EventHandler = Callable[[dict[str, Any]], None]
StateHandler = Callable[[bool], None]
AuthHandler = Callable[[AuthError], None]

# --- message channel ---------------------------------------------------------------------------

DEFAULT_KEEP_ALIVE: Final = 30
BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 60.0
BACKOFF_JITTER: Final = 0.2  # +-20 %
ACK_TIMEOUT: Final = 10.0
DEDUP_SIZE: Final = 512
READ_SIZE: Final = 16 * 1024
WARN_INTERVAL: Final = 60.0
# The seed says SUBACK is "0x06 or 0x07" while its table has UNSUBACK = 8: accept 7 as SUBACK.
SUBACK_TYPES: Final = frozenset({PacketType.SUBACK, PacketType.UNSUBSCRIBE})
# ASSUMPTION (reference §2): CONNECT signs every field except sign, keep_alive included. On a
# signature rejection (code 3) the other variant (app_id/timestamp/random only) is tried once.
CONNECT_SIGN_VARIANTS: Final[tuple[str, ...]] = ("all", "public")
PUBLIC_FIELDS: Final = ("app_id", "random", "timestamp")
SIGNATURE_REJECTED: Final = 3


_WAITER_KEYS: Final[dict[int, str]] = {
    PacketType.CONNACK: "connack",
    PacketType.SUBACK: "suback",
    PacketType.UNSUBSCRIBE: "suback",  # tolerated as SUBACK (see SUBACK_TYPES)
    PacketType.UNSUBACK: "unsuback",
}


class _Throttled:
    """Warn at most once per ``interval`` seconds; what is held back goes to debug."""

    def __init__(self, interval: float = WARN_INTERVAL) -> None:
        self._interval = interval
        self._last = -interval
        self.suppressed = 0

    def warning(self, message: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval:
            if self.suppressed:
                message += " (%s similar messages suppressed)"
                args = (*args, self.suppressed)
                self.suppressed = 0
            _LOGGER.warning(message, *args)
            self._last = now
        else:
            self.suppressed += 1
            _LOGGER.debug(message, *args)


class _LinkClosed(ConnectError):
    """The connection ended (EOF, DISCONNECT, dead heartbeat)."""


class MessageChannel:
    """The camera's TLS message channel, kept open until ``stop()``.

    ``on_event`` gets each PUBLISH payload once (redeliveries are acknowledged but dropped);
    ``on_state(True)`` once subscribed, ``on_state(False)`` when the link drops;
    ``on_auth_error`` when the camera rejects the credentials (codes 3/7): the channel then
    stops retrying, new credentials are needed.
    """

    def __init__(
        self,
        host: str,
        port: int = CHANNEL_PORT,
        *,
        ssl_context: ssl.SSLContext,
        fingerprint: str | None,
        app_id: str,
        secret_key: str,
        on_event: EventHandler,
        on_state: StateHandler | None = None,
        on_auth_error: AuthHandler | None = None,
        events: Sequence[str] = (EVENT_DYNAMIC_DETECT,),
        keep_alive: int = DEFAULT_KEEP_ALIVE,
        connect_timeout: float = 10.0,
        backoff_initial: float = BACKOFF_INITIAL,
        backoff_max: float = BACKOFF_MAX,
        clock: Callable[[], float] = time.time,
        strict_crc: bool = True,
    ) -> None:
        """Prepare the channel; nothing connects before ``start()``."""
        if keep_alive <= 0:
            raise ValueError("keep_alive is a positive number of seconds")
        self._host = host
        self._port = port
        self._ssl_context = ssl_context
        self._fingerprint = tls.normalise_fingerprint(fingerprint) if fingerprint else None
        tls.pin_fingerprint(ssl_context, host, self._fingerprint)
        self._app_id = app_id
        self._secret_key = secret_key
        self._on_event = on_event
        self._on_state = on_state
        self._on_auth_error = on_auth_error
        self._events = list(events)
        self._keep_alive = keep_alive
        self._connect_timeout = connect_timeout
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._clock = clock
        self._strict_crc = strict_crc
        self._task: asyncio.Task[None] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._up = False
        self._stopping = False
        self._waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._pong = asyncio.Event()
        self._seen: OrderedDict[tuple[Any, ...], None] = OrderedDict()
        self._sign_variant = 0
        self._sign_confirmed = False
        self._subscribed_events: list[str] = []
        self._session_subscribed = False
        self._auth_error: AuthError | None = None
        self._throttle = _Throttled()
        self._link_throttle = _Throttled()
        self.connects = 0
        self.dropped_frames = 0
        self.pings = 0
        self.pongs = 0

    # --- public --------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Connected, authenticated and subscribed."""
        return self._up

    @property
    def running(self) -> bool:
        """The channel task is alive (connected or waiting to reconnect)."""
        return self._task is not None and not self._task.done()

    @property
    def auth_error(self) -> AuthError | None:
        """The rejection that stopped the channel, if any."""
        return self._auth_error

    @property
    def subscribed_events(self) -> list[str]:
        """The events the camera accepted in the last SUBSCRIBE."""
        return list(self._subscribed_events)

    async def start(self) -> None:
        """Start connecting in the background (returns at once)."""
        if self.running:
            return
        self._stopping = False
        self._auth_error = None
        self._task = asyncio.create_task(
            self._run(), name=f"sunmi message channel {self._host}:{self._port}"
        )

    async def stop(self) -> None:
        """DISCONNECT, close and wait for the task to end; never raises."""
        self._stopping = True
        writer = self._writer
        if writer is not None and self._up and not writer.is_closing():
            try:
                writer.write(encode_frame(PacketType.DISCONNECT))
                async with asyncio.timeout(1.0):
                    await writer.drain()
            except (OSError, ssl.SSLError, TimeoutError, RuntimeError):
                pass
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})
        self._set_up(False)

    # --- connection loop -------------------------------------------------------------------

    def _set_up(self, up: bool) -> None:
        if up == self._up:
            return
        self._up = up
        if self._on_state is not None:
            try:
                self._on_state(up)
            except Exception:
                _LOGGER.exception("message channel state callback failed")

    def _next_delay(self, delay: float) -> float:
        jitter = 1 + random.uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
        return min(self._backoff_max, delay * jitter)

    async def _run(self) -> None:
        delay = self._backoff_initial
        while not self._stopping:
            self._session_subscribed = False
            try:
                await self._session()
            except AuthError as err:
                variants = len(CONNECT_SIGN_VARIANTS)
                if (
                    err.code == SIGNATURE_REJECTED
                    and not self._sign_confirmed
                    and self._sign_variant + 1 < variants
                ):
                    self._sign_variant += 1
                    _LOGGER.debug(
                        "CONNECT signature rejected; trying the %s variant",
                        CONNECT_SIGN_VARIANTS[self._sign_variant],
                    )
                    continue
                self._fail_auth(err)
                return
            except CameraError as err:
                if not self._is_stopping():
                    self._link_throttle.warning(
                        "SUNMI message channel to %s:%s: %s", self._host, self._port, err
                    )
            except (OSError, ssl.SSLError) as err:
                self._link_throttle.warning(
                    "SUNMI message channel to %s:%s: %s",
                    self._host,
                    self._port,
                    tls.describe_tls_error(err),
                )
            except Exception:
                # A bug, not a device problem: keep the channel alive, but show it.
                _LOGGER.exception("SUNMI message channel to %s failed", self._host)
            finally:
                self._set_up(False)
            if self._is_stopping():
                return
            if self._session_subscribed:
                delay = self._backoff_initial
            wait = self._next_delay(delay)
            _LOGGER.debug("message channel reconnects in %.1f s", wait)
            await asyncio.sleep(wait)
            delay = min(self._backoff_max, delay * 2)

    def _is_stopping(self) -> bool:
        return self._stopping

    def _fail_auth(self, err: AuthError) -> None:
        self._auth_error = err
        _LOGGER.warning(
            "SUNMI message channel to %s: credentials rejected (%s); not retrying",
            self._host,
            err,
        )
        if self._on_auth_error is not None:
            try:
                self._on_auth_error(err)
            except Exception:
                _LOGGER.exception("message channel auth callback failed")

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        where = f"{self._host}:{self._port}"
        try:
            async with asyncio.timeout(self._connect_timeout):
                reader, writer = await asyncio.open_connection(
                    self._host,
                    self._port,
                    ssl=self._ssl_context,
                    server_hostname=self._host,
                    limit=READ_SIZE * 4,
                )
        except TimeoutError:
            raise ConnectError(
                f"{where}: no TLS connection within {self._connect_timeout} s"
            ) from None
        except (OSError, ssl.SSLError) as err:
            pin = tls.pin_error_of(err)
            if pin is not None:
                raise pin.as_camera_error() from None
            raise ConnectError(f"{where}: {tls.describe_tls_error(err)}") from None
        # Second line of defence for contexts without the pinning SSLObject.
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        got = tls.certificate_fingerprint(der) if der else ""
        if self._fingerprint is not None and got != self._fingerprint:
            await tls.close_writer(writer)
            raise tls.PinError(self._fingerprint, got).as_camera_error()
        if (
            self._fingerprint is None
            and self._ssl_context.verify_mode != ssl.CERT_REQUIRED
            and not tls.is_pinned(self._ssl_context, self._host, got or "0" * 64)
        ):
            await tls.close_writer(writer)
            raise tls.PinError("", got).as_camera_error()
        return reader, writer

    async def _session(self) -> None:
        """One connection: CONNECT, SUBSCRIBE, then heartbeats until the link dies."""
        reader, writer = await self._open()
        self._writer = writer
        self.connects += 1
        self._pong.clear()
        self._waiters = {}
        reader_task = asyncio.create_task(self._read_loop(reader, writer))
        try:
            answer = await self._request(
                writer, reader_task, PacketType.CONNECT, self._connect_payload(), "connack"
            )
            self._check_code(answer, "CONNECT")
            if not self._sign_confirmed:
                self._sign_confirmed = True
                _LOGGER.debug(
                    "CONNECT accepted with the %s signature variant",
                    CONNECT_SIGN_VARIANTS[self._sign_variant],
                )
            await self._subscribe(writer, reader_task)
            self._session_subscribed = True
            self._set_up(True)
            await self._heartbeat(writer, reader_task)
        finally:
            self._writer = None
            reader_task.cancel()
            await asyncio.wait({reader_task})
            for waiter in self._waiters.values():
                waiter.cancel()
            self._waiters = {}
            await tls.close_writer(writer)

    def _connect_payload(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "app_id": self._app_id,
            "timestamp": auth.timestamp(self._clock()),
            "random": auth.random_string(),
        }
        variant = CONNECT_SIGN_VARIANTS[self._sign_variant]
        signed = dict(params)
        if variant == "all":
            signed["keep_alive"] = self._keep_alive
        params["sign"] = auth.sign(signed, self._secret_key)
        params["keep_alive"] = self._keep_alive
        return params

    async def _subscribe(
        self, writer: asyncio.StreamWriter, reader_task: asyncio.Task[None]
    ) -> None:
        events = list(self._events)
        answer = await self._request(
            writer, reader_task, PacketType.SUBSCRIBE, {"event_list": events}, "suback"
        )
        try:
            self._check_code(answer, "SUBSCRIBE")
        except (AuthError, NotActivatedError):
            raise
        except ApiError as err:
            if len(events) < 2:
                raise
            # Maybe one event is not offered by this model (311?): subscribe one by one.
            _LOGGER.debug("SUBSCRIBE %s refused (%s); subscribing one by one", events, err)
            accepted = []
            for event in events:
                single = await self._request(
                    writer, reader_task, PacketType.SUBSCRIBE, {"event_list": [event]}, "suback"
                )
                try:
                    self._check_code(single, "SUBSCRIBE")
                except (AuthError, NotActivatedError):
                    raise
                except ApiError as single_err:
                    _LOGGER.warning("SUNMI camera refused %s events: %s", event, single_err)
                else:
                    accepted.append(event)
            if not accepted:
                raise
            events = accepted
        self._subscribed_events = events
        _LOGGER.debug("message channel subscribed to %s", events)

    @staticmethod
    def _check_code(answer: Mapping[str, Any], what: str) -> None:
        value = answer.get("code")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ProtocolError(f"{what}: answer has no code")
        try:
            code = int(value)
        except ValueError:
            raise ProtocolError(f"{what}: code {value!r} is not a number") from None
        if code != codes.SUCCESS:
            raise codes.error_for(code, what)

    async def _send(self, writer: asyncio.StreamWriter, frame: bytes) -> None:
        writer.write(frame)
        try:
            async with asyncio.timeout(self._keep_alive):
                await writer.drain()
        except TimeoutError:
            raise _LinkClosed("the camera stopped reading") from None

    async def _request(
        self,
        writer: asyncio.StreamWriter,
        reader_task: asyncio.Task[None],
        type_: PacketType,
        payload: Mapping[str, Any],
        waiter_key: str,
    ) -> dict[str, Any]:
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters[waiter_key] = waiter
        await self._send(writer, encode_frame(type_, payload))
        watched: set[asyncio.Future[Any]] = {waiter, reader_task}
        done, _ = await asyncio.wait(
            watched, timeout=ACK_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        self._waiters.pop(waiter_key, None)
        if waiter in done:
            return waiter.result()
        waiter.cancel()
        if reader_task in done:
            raise _LinkClosed(f"connection closed while waiting for the {type_.name} answer")
        raise _LinkClosed(f"no answer to {type_.name} within {ACK_TIMEOUT} s")

    async def _heartbeat(
        self, writer: asyncio.StreamWriter, reader_task: asyncio.Task[None]
    ) -> None:
        while True:
            idle, _ = await asyncio.wait({reader_task}, timeout=self._keep_alive)
            if idle:
                raise _LinkClosed("connection closed by the camera")
            self._pong.clear()
            await self._send(writer, encode_frame(PacketType.PINGREQ))
            self.pings += 1
            pong = asyncio.create_task(self._pong.wait())
            watched: set[asyncio.Future[Any]] = {pong, reader_task}
            try:
                done, _ = await asyncio.wait(
                    watched,
                    timeout=self._keep_alive,
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                pong.cancel()
                await asyncio.wait({pong})
            if reader_task in done:
                raise _LinkClosed("connection closed by the camera")
            if not self._pong.is_set():
                raise _LinkClosed(f"no PINGRESP within {self._keep_alive} s")

    # --- reading ----------------------------------------------------------------------------

    def _drop(self, error: FrameError) -> None:
        self.dropped_frames += 1
        self._throttle.warning("SUNMI message channel dropped a frame: %s", error)

    async def _read_loop(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        decoder = FrameDecoder(self._drop, strict_crc=self._strict_crc)
        while True:
            try:
                data = await reader.read(READ_SIZE)
            except (OSError, ssl.SSLError) as err:
                _LOGGER.debug("message channel read failed: %s", tls.describe_tls_error(err))
                return
            if not data:
                return
            for frame in decoder.feed(data):
                if not await self._dispatch(frame.type, frame, writer):
                    return

    async def _dispatch(self, type_: int, frame: Any, writer: asyncio.StreamWriter) -> bool:
        """Handle one frame; False ends the connection."""
        if type_ == PacketType.PINGRESP:
            self.pongs += 1
            self._pong.set()
            return True
        if type_ == PacketType.DISCONNECT:
            _LOGGER.debug("the camera sent DISCONNECT")
            return False
        if type_ == PacketType.PUBLISH:
            await self._publish(frame, writer)
            return True
        key = _WAITER_KEYS.get(type_)
        waiter = self._waiters.get(key) if key else None
        if waiter is None:
            _LOGGER.debug("message channel: unexpected packet type %s ignored", type_)
            return True
        try:
            payload = frame.json()
        except BadPayloadError as err:
            self._drop(err)
            return True
        if not waiter.done():
            waiter.set_result(payload)
        return True

    async def _publish(self, frame: Any, writer: asyncio.StreamWriter) -> None:
        try:
            payload = frame.json()
        except BadPayloadError as err:
            self._drop(err)
            return
        event_id = payload.get("event_id")
        if event_id is None or isinstance(event_id, bool | dict | list):
            self._drop(BadPayloadError("PUBLISH without an event_id"))
            return
        try:
            writer.write(encode_frame(PacketType.PUBACK, {"event_id": event_id}))
            await writer.drain()
        except (OSError, ssl.SSLError, RuntimeError) as err:
            _LOGGER.debug("PUBACK not sent: %s", tls.describe_tls_error(err))
        if not isinstance(payload.get("event_type"), str):
            self._drop(BadPayloadError("PUBLISH without an event_type"))
            return
        # A redelivery repeats the payload; event ids restart at 1 after a reboot, so the id
        # alone is no identity.
        key = (str(event_id), json.dumps(payload, sort_keys=True, default=str))
        if key in self._seen:
            _LOGGER.debug("event %s delivered again; dropped", event_id)
            return
        self._seen[key] = None
        while len(self._seen) > DEDUP_SIZE:
            self._seen.popitem(last=False)
        try:
            self._on_event(payload)
        except Exception:
            _LOGGER.exception("message channel event callback failed")


# --- HTTP callback ------------------------------------------------------------------------------

MAX_BODY_BYTES: Final = 1024 * 1024
MAX_PARTS: Final = 32
PUSH_FIELDS: Final = ("app_id", "random", "timestamp", "sign", "payload")
# The timestamp of a push may be this far from our clock (seconds).
PUSH_MAX_SKEW: Final = 300
# ASSUMPTION: the push signature covers every part except sign (None); the fallback covers
# the three public parameters only. Whichever matches is logged at debug level.
PUSH_SIGN_FIELDS: Final[tuple[str, ...] | None] = None
PUSH_SIGN_FALLBACK_FIELDS: Final[tuple[str, ...]] = PUBLIC_FIELDS

_push_variant_seen: set[str] = set()


class ReplayGuard:
    """Remembers the (timestamp, random, sign) of accepted pushes while they could be replayed."""

    def __init__(self, horizon: float = 2 * PUSH_MAX_SKEW, size: int = 4096) -> None:
        """Forget entries after ``horizon`` seconds; hold at most ``size``."""
        self._horizon = horizon
        self._size = size
        self._seen: OrderedDict[tuple[str, str, str], float] = OrderedDict()

    def check(self, key: tuple[str, str, str], now: float) -> bool:
        """Record ``key``; False if it was seen before (a replay)."""
        while self._seen and (
            len(self._seen) >= self._size or next(iter(self._seen.values())) < now - self._horizon
        ):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def _split_multipart(content_type: str, body: bytes) -> list[MIMEPart]:
    if "\r" in content_type or "\n" in content_type:
        raise ProtocolError("push: Content-Type header contains a line break")
    header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(EmailMessage, policy=policy.HTTP).parsebytes(header + body)
    if message.get_content_type() != "multipart/form-data":
        raise ProtocolError("push: Content-Type is not multipart/form-data")
    if not message.get_boundary():
        raise ProtocolError("push: Content-Type has no boundary")
    if message.defects or not message.is_multipart():
        names = ", ".join(type(defect).__name__ for defect in message.defects)
        raise ProtocolError(f"push: malformed multipart body ({names or 'no parts'})")
    parts = list(message.iter_parts())
    if not parts or len(parts) > MAX_PARTS:
        raise ProtocolError(f"push: {len(parts)} parts")
    return parts


def _part_text(part: MIMEPart) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    try:
        return data.decode(part.get_content_charset() or "utf-8")
    except (LookupError, UnicodeDecodeError):
        raise ProtocolError("push: a part is not UTF-8 text") from None


def _form_fields(content_type: str, body: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in _split_multipart(content_type, body):
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_filename():
            continue
        fields[name] = _part_text(part)
    return fields


def parse_http_push(
    content_type: str,
    body: bytes,
    app_id: str,
    secret_key: str,
    *,
    now: float | None = None,
    max_skew: float = PUSH_MAX_SKEW,
    replay_guard: ReplayGuard | None = None,
) -> dict[str, Any]:
    """Authenticate one HTTP callback and return its ``payload`` object.

    Raises ProtocolError for a malformed request and AuthError for a wrong app_id, a stale
    timestamp, a signature that matches no variant, or (with ``replay_guard``) a replay.
    """
    if len(body) > MAX_BODY_BYTES:
        raise ProtocolError(f"push: body of {len(body)} bytes exceeds {MAX_BODY_BYTES}")
    fields = _form_fields(content_type, body)
    missing = [name for name in PUSH_FIELDS if name not in fields]
    if missing:
        raise ProtocolError(f"push: missing parts {', '.join(missing)}")
    for name in ("app_id", "random", "timestamp", "sign"):
        fields[name] = fields[name].strip()
    if fields["app_id"] != app_id:
        raise AuthError(SIGNATURE_REJECTED, "push from another app_id", "push")
    try:
        sent_at = int(fields["timestamp"])
    except ValueError:
        raise ProtocolError("push: timestamp is not a number") from None
    current = time.time() if now is None else now
    if abs(current - sent_at) > max_skew:
        raise AuthError(7, f"push timestamp is {int(current - sent_at)} s away from now", "push")
    variant = _push_sign_variant(fields, secret_key)
    if variant is None:
        raise AuthError(SIGNATURE_REJECTED, "push signature does not match", "push")
    key = (fields["timestamp"], fields["random"], fields["sign"].upper())
    if replay_guard is not None and not replay_guard.check(key, current):
        raise AuthError(7, "push replayed (timestamp and random seen before)", "push")
    try:
        payload = json.loads(fields["payload"])
    except ValueError:
        raise ProtocolError("push: payload is not JSON") from None
    if not isinstance(payload, dict):
        raise ProtocolError("push: payload is not a JSON object")
    return payload


def _push_sign_variant(fields: Mapping[str, str], secret_key: str) -> str | None:
    candidates: list[tuple[str, Mapping[str, str]]] = []
    every = {k: v for k, v in fields.items() if PUSH_SIGN_FIELDS is None or k in PUSH_SIGN_FIELDS}
    candidates.append(("every part", every))
    stripped = dict(every, payload=every.get("payload", "").strip())
    if stripped != every:
        candidates.append(("every part, payload stripped", stripped))
    candidates.append(
        ("public parameters", {k: fields[k] for k in PUSH_SIGN_FALLBACK_FIELDS if k in fields})
    )
    for name, params in candidates:
        if auth.verify_sign({**params, "sign": fields["sign"]}, secret_key):
            if name not in _push_variant_seen:
                _push_variant_seen.add(name)
                _LOGGER.debug("push signature covers %s", name)
            return name
    return None


# --- normalisation -----------------------------------------------------------------------------

Source = Literal["http", "channel"]
_T = EventType
# dynamic_detect_event detect_type: the HTTP callback and the channel have different tables.
DETECT_TYPES_HTTP: Final[dict[int, tuple[tuple[EventType, ...], str]]] = {
    0: ((_T.MOTION,), "Motion detected"),
    1: ((_T.AUDIO,), "Audio detected"),
    2: ((_T.MOTION, _T.AUDIO), "Motion and audio detected"),
    3: ((_T.PERSON,), "Human detected"),
}
DETECT_TYPES_CHANNEL: Final[dict[int, tuple[tuple[EventType, ...], str]]] = {
    1: ((_T.MOTION,), "Picture changed"),
    2: ((_T.AUDIO,), "Voice changed"),
    3: ((_T.MOTION, _T.AUDIO), "Picture and voice changed"),
}
# age_range (the visitor/statistics tables' non-overlapping bounds).
AGE_BANDS: Final[dict[int, str]] = {
    1: "1-6",
    2: "7-12",
    3: "13-18",
    4: "19-28",
    5: "29-35",
    6: "36-45",
    7: "46-55",
    8: "56-100",
}
GENDERS: Final[dict[int, str]] = {0: "undefined", 1: "male", 2: "female"}
# report_time above this is in milliseconds.
MS_THRESHOLD: Final = 10**11
_STANDARD_KEYS: Final = frozenset(
    {
        "event_id",
        "event_type",
        "sn",
        "report_time",
        "detect_type",
        "video_url",
        "faceid",
        "cloud_faceid",
        "group_name",
        "age",
        "age_range",
        "gender",
        "arrive_times",
        "pic_url",
        "name",
    }
)
_MEDIA_KEYS: Final = ("video_url", "pic_url")


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def event_time(value: Any, received: datetime) -> datetime:
    """``report_time`` in seconds or milliseconds (by magnitude); ``received`` if implausible."""
    number = _int_or_none(value)
    if number is None or number <= 0:
        return received
    seconds = number / 1000 if number >= MS_THRESHOLD else float(number)
    try:
        when = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return received
    if when.year < 2000 or when > received + timedelta(days=1):
        return received
    return when


def redact_url(url: Any) -> Any:
    """A media URL without its query (the ``auth_key`` grants access to the file)."""
    if not isinstance(url, str):
        return url
    base, _, query = url.partition("?")
    return f"{base}?auth_key=**REDACTED**" if query else base


def redacted(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload with media URLs redacted, for events and logs."""
    return {
        key: redact_url(value) if key in _MEDIA_KEYS else value for key, value in payload.items()
    }


def to_events(
    payload: Mapping[str, Any],
    device_key: str,
    *,
    source: Source,
    received: datetime | None = None,
) -> list[CameraEvent]:
    """Normalise one push payload (``source`` picks the detect_type table)."""
    received = received or datetime.now(UTC)
    event_type = payload.get("event_type")
    when = event_time(payload.get("report_time"), received)
    raw = redacted(payload)
    common: dict[str, Any] = {
        "event_id": payload.get("event_id"),
        "sn": payload.get("sn"),
        "source": source,
    }
    if event_type == EVENT_DYNAMIC_DETECT:
        return _detect_events(payload, device_key, source, when, common, raw)
    if event_type == EVENT_FACE_RECOGNITION:
        return [_face_event(payload, device_key, when, common, raw)]
    _LOGGER.debug("undocumented event type %r kept as unknown", event_type)
    return [
        CameraEvent(
            device_key=device_key,
            type=EventType.UNKNOWN,
            time=when,
            vendor_type=str(event_type),
            attributes=common,
            raw=raw,
        )
    ]


def _detect_events(
    payload: Mapping[str, Any],
    device_key: str,
    source: Source,
    when: datetime,
    common: dict[str, Any],
    raw: dict[str, Any],
) -> list[CameraEvent]:
    table = DETECT_TYPES_HTTP if source == "http" else DETECT_TYPES_CHANNEL
    detect_type = _int_or_none(payload.get("detect_type"))
    known = table.get(detect_type) if detect_type is not None else None
    types, label = known or ((_T.UNKNOWN,), f"Detect type {payload.get('detect_type')}")
    attributes = {
        **common,
        "label": label,
        "detect_type": payload.get("detect_type"),
        "has_video": bool(payload.get("video_url")),
        "combined": len(types) > 1,
    }
    return [
        CameraEvent(
            device_key=device_key,
            type=kind,
            time=when,
            vendor_type=f"{EVENT_DYNAMIC_DETECT}/{payload.get('detect_type')}",
            attributes=dict(attributes),
            raw=raw,
        )
        for kind in types
    ]


def _face_event(
    payload: Mapping[str, Any],
    device_key: str,
    when: datetime,
    common: dict[str, Any],
    raw: dict[str, Any],
) -> CameraEvent:
    age = _int_or_none(payload.get("age"))
    age_range = _int_or_none(payload.get("age_range"))
    gender = _int_or_none(payload.get("gender"))
    custom = {key: value for key, value in payload.items() if key not in _STANDARD_KEYS}
    name = payload.get("name") or custom.get("name")
    attributes = {
        **common,
        "label": "Face recognised",
        "face_id": payload.get("faceid"),
        "cloud_face_id": payload.get("cloud_faceid"),
        "group": payload.get("group_name"),
        "name": name if isinstance(name, str) and name else None,
        # "if it's blank, it means that the age of this face has not set yet"; 0 likewise.
        "age": age if age else None,
        "age_range": age_range,
        "age_band": AGE_BANDS.get(age_range) if age_range is not None else None,
        "gender": GENDERS.get(gender, "undefined") if gender is not None else None,
        "arrive_times": _int_or_none(payload.get("arrive_times")),
        "has_picture": bool(payload.get("pic_url")),
        "custom": custom,
    }
    return CameraEvent(
        device_key=device_key,
        type=EventType.FACE,
        time=when,
        vendor_type=EVENT_FACE_RECOGNITION,
        attributes=attributes,
        raw=raw,
    )
