"""The message channel (TLS, port 10021): CONNECT, heartbeat, SUBSCRIBE, PUBLISH/PUBACK.

Choices where the seed is silent (each in one constant or function here):
- CONNECT is verified like a request; the sign covers every field but ``sign``, including
  ``keep_alive`` (ASSUMPTION).  JSON numbers are signed as their decimal text.  A missing
  ``keep_alive`` means DEFAULT_KEEP_ALIVE.  A failed CONNECT gets CONNACK with the code,
  then the connection closes.
- Only PINGREQ feeds the heartbeat: with none for HEARTBEAT_PERIODS x keep_alive seconds the
  server sends DISCONNECT and closes ("the server will disconnect after 3 heartbeat
  messages", read as three missed periods).
- A PUBLISH not acknowledged by PUBACK ``{"event_id": N}`` is sent once more after
  RESEND_SECONDS, then forgotten.
- A bad flag, version or CRC, an unknown packet type, a server-only type, a second CONNECT
  or anything but CONNECT first closes the connection.  A client PUBLISH is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import Callable, Coroutine
from typing import Any

from . import frames
from .codes import E_HOOK_EVENT, E_HOOK_UNSUPPORTED, E_NOT_ACTIVATED, E_PARAM, OK, ApiError
from .codes import REQUEST_AUTH as CONNECT_AUTH
from .frames import FrameError, PacketType
from .signing import ReplayCache, check_public
from .state import EVENT_FACE, EVENTS

_LOGGER = logging.getLogger(__name__)

DEFAULT_KEEP_ALIVE = 30
HEARTBEAT_PERIODS = 3
RESEND_SECONDS = 5.0
CONNECT_TIMEOUT = 10.0
SHUTDOWN_SECONDS = 2.0  # TLS close_notify wait on a graceful close


def _compact(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def connect_code(
    payload: bytes, *, activated: bool, app_id: str, key: str, replay: ReplayCache
) -> tuple[int, int]:
    """(CONNACK code, keep_alive seconds) for a CONNECT payload."""
    if not activated:
        return E_NOT_ACTIVATED, 0
    try:
        data = json.loads(payload)
    except ValueError:
        return E_PARAM, 0
    if not isinstance(data, dict):
        return E_PARAM, 0
    params: dict[str, str] = {}
    for name, value in data.items():
        if isinstance(value, str):
            params[name] = value
        elif isinstance(value, int) and not isinstance(value, bool):
            params[name] = str(value)
        else:
            return E_PARAM, 0
    keep_alive_text = params.get("keep_alive", str(DEFAULT_KEEP_ALIVE))
    if not keep_alive_text.isdigit() or not 1 <= int(keep_alive_text) <= 0xFFFF:
        return E_PARAM, 0
    try:
        check_public(params, app_id=app_id, key=key, replay=replay, codes=CONNECT_AUTH)
    except ApiError as err:
        return err.code, 0
    return OK, int(keep_alive_text)


def event_list(payload: bytes, *, face: bool) -> tuple[int, list[str]]:
    """(SUBACK/UNSUBACK code, events) for a SUBSCRIBE/UNSUBSCRIBE payload."""
    try:
        data = json.loads(payload)
    except ValueError:
        return E_PARAM, []
    events = data.get("event_list") if isinstance(data, dict) else None
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        return E_PARAM, []
    if any(event not in EVENTS for event in events):
        return E_HOOK_EVENT, []
    if EVENT_FACE in events and not face:
        return E_HOOK_UNSUPPORTED, []
    return OK, events


class Connection:
    """One client connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Wrap the streams."""
        self.reader = reader
        self.writer = writer
        self.peer: Any = writer.get_extra_info("peername")
        self.connected = False
        self.keep_alive = 0
        self.subscriptions: set[str] = set()
        self.unacked: dict[int, bytes] = {}
        self.corrupt: str | None = None
        self.resent = 0

    @property
    def open(self) -> bool:
        """Whether frames can still be written."""
        return not self.writer.is_closing()

    def send(self, packet_type: int, payload: bytes = b"") -> bool:
        """Write one frame (corrupted once if armed); False when the connection is closing."""
        if not self.open:
            return False
        kind, self.corrupt = self.corrupt, None
        if kind is None:
            self.writer.write(frames.encode(packet_type, payload))
            return True
        self.writer.write(frames.corrupt(kind, packet_type, payload))
        if kind == "truncated":
            self.close()  # the rest of the frame never comes
        return True

    def close(self) -> None:
        """Flush what is buffered, then close."""
        if self.open:
            self.writer.close()

    def abort(self) -> None:
        """Close at once, without TLS close_notify (a crash or a cable pulled)."""
        self.writer.transport.abort()

    async def finish(self) -> None:
        """Close and wait until the transport is gone (abort when the peer stalls)."""
        self.close()
        try:
            await asyncio.wait_for(self.writer.wait_closed(), SHUTDOWN_SECONDS + 1)
        except (TimeoutError, ConnectionError, ssl.SSLError, OSError):
            self.abort()


class ChannelServer:
    """Listens for channel clients and publishes events to their subscriptions."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        ssl_context: Callable[[], ssl.SSLContext],
        authenticate: Callable[[bytes], tuple[int, int]],
        face: bool,
        keep_alive_unit: float = 1.0,
        heartbeat_periods: float = HEARTBEAT_PERIODS,
        resend_seconds: float = RESEND_SECONDS,
    ) -> None:
        """``authenticate`` maps a CONNECT payload to (code, keep_alive)."""
        self.host = host
        self.port = port
        self._ssl_context = ssl_context
        self._authenticate = authenticate
        self._face = face
        self.keep_alive_unit = keep_alive_unit
        self.heartbeat_periods = heartbeat_periods
        self.resend_seconds = resend_seconds
        self.connections: set[Connection] = set()
        self.disconnects: dict[str, int] = {}
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def is_up(self) -> bool:
        """Whether the port is listening."""
        return self._server is not None

    async def start(self) -> None:
        """Listen (``port`` 0 picks a free port, kept for later restarts)."""
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._serve,
            self.host,
            self.port,
            ssl=self._ssl_context(),
            ssl_shutdown_timeout=SHUTDOWN_SECONDS,
        )
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening, drop every connection and wait for the handlers."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        self.drop_all()
        tasks = list(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=2)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=2)
        if server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), 2)

    def drop_all(self) -> int:
        """Abort every connection; returns how many there were."""
        connections = list(self.connections)
        for connection in connections:
            connection.abort()
        return len(connections)

    def arm_corrupt(self, kind: str) -> int:
        """Corrupt the next frame to every connected client; returns how many."""
        if kind not in frames.CORRUPT_KINDS:
            raise ValueError(f"unknown corruption {kind!r}; expected one of {frames.CORRUPT_KINDS}")
        armed = 0
        for connection in self.connections:
            if connection.connected and connection.open:
                connection.corrupt = kind
                armed += 1
        return armed

    def publish(self, event_type: str, event_id: int, payload: dict[str, Any]) -> int:
        """PUBLISH to every subscribed client; returns how many got the frame."""
        data = _compact(payload)
        sent = 0
        for connection in list(self.connections):
            if not connection.connected or event_type not in connection.subscriptions:
                continue
            if connection.send(PacketType.PUBLISH, data):
                connection.unacked[event_id] = data
                self._spawn(self._resend(connection, event_id, data))
                sent += 1
        return sent

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resend(self, connection: Connection, event_id: int, data: bytes) -> None:
        await asyncio.sleep(self.resend_seconds)
        if connection.unacked.pop(event_id, None) is not None and connection.connected:
            connection.resent += 1
            connection.send(PacketType.PUBLISH, data)

    def _count(self, reason: str) -> None:
        self.disconnects[reason] = self.disconnects.get(reason, 0) + 1

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        connection = Connection(reader, writer)
        self.connections.add(connection)
        reason = "cancelled"
        try:
            reason = await self._session(connection)
        except FrameError as err:
            reason = "bad_frame"
            _LOGGER.debug("Channel %s: %s", connection.peer, err)
        except asyncio.IncompleteReadError:
            reason = "eof"
        except (TimeoutError, ConnectionError, ssl.SSLError, OSError) as err:
            reason = type(err).__name__
        finally:
            connection.connected = False
            self.connections.discard(connection)
            self._count(reason)
            await connection.finish()
            if task is not None:
                self._tasks.discard(task)

    async def _session(self, connection: Connection) -> str:
        packet_type, payload = await asyncio.wait_for(
            frames.read_frame(connection.reader), CONNECT_TIMEOUT
        )
        if packet_type != PacketType.CONNECT:
            return "not_connect"
        code, keep_alive = self._authenticate(payload)
        connection.send(PacketType.CONNACK, _compact({"code": code}))
        if code != OK:
            return f"connack_{code}"
        connection.connected = True
        connection.keep_alive = keep_alive
        loop = asyncio.get_running_loop()
        period = keep_alive * self.keep_alive_unit * self.heartbeat_periods
        deadline = loop.time() + period
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    packet_type, payload = await frames.read_frame(connection.reader)
            except TimeoutError:
                connection.send(PacketType.DISCONNECT)
                return "heartbeat"
            if packet_type == PacketType.PINGREQ:
                deadline = loop.time() + period
                connection.send(PacketType.PINGRESP)
            elif packet_type in (PacketType.SUBSCRIBE, PacketType.UNSUBSCRIBE):
                code, events = event_list(payload, face=self._face)
                if packet_type == PacketType.SUBSCRIBE:
                    connection.subscriptions.update(events)
                    reply = PacketType.SUBACK
                else:
                    connection.subscriptions.difference_update(events)
                    reply = PacketType.UNSUBACK
                connection.send(reply, _compact({"code": code}))
            elif packet_type == PacketType.PUBACK:
                with contextlib.suppress(ValueError, TypeError, KeyError):
                    connection.unacked.pop(int(json.loads(payload)["event_id"]), None)
            elif packet_type in frames.DISCONNECT_TYPES:
                return "client_disconnect"
            elif packet_type == PacketType.PUBLISH:
                _LOGGER.debug("Channel %s: ignoring a client PUBLISH", connection.peer)
            else:  # CONNECT again, server-only types, reserved/unknown types
                return f"unexpected_type_{packet_type}"
