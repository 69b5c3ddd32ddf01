"""Event push (document section 2.1.1 / 3.2): multipart POSTs to registered servers.

Pushes leave from the simulator's own host address, like a real NVR on its own IP.
To keep every packet on loopback, targets outside 127.0.0.0/8 are never contacted: such
deliveries are recorded as failures.  HTTPS receivers' certificates are not verified.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp

from .state import EventServer, PushRecord
from .wire import pct

_LOGGER = logging.getLogger(__name__)
BOUNDARY = "--VIGI-OPENAPI-MSG-PUSH"
WRONG_BOUNDARY = "__VIGI-OPENAPI_MSG_PUSH"  # the section 3.2 spelling, for fault injection
CONTENT_TYPE = f"multipart/form-data;boundary={BOUNDARY}"
PUSH_TIMEOUT = 5.0


@dataclass
class Picture:
    """A JPEG attached to a push."""

    channel: int
    taken: datetime
    data: bytes


def build_message(
    event_type: int, sub_types: list[int], when: datetime, extra: dict[str, str]
) -> dict[str, Any]:
    """One message object; optional keys (channel, port, disk, ...) are strings."""
    message: dict[str, Any] = {
        "type": event_type,
        "sub_type": list(sub_types),
        "localtime": when.strftime("%Y-%m-%d %H:%M:%S"),
    }
    for key, value in extra.items():
        # Names are free text and get percent-encoded; numbers-as-strings are unaffected.
        message[key] = pct(value)
    return message


def build_body(event: dict[str, Any], picture: Picture | None, boundary: str = BOUNDARY) -> bytes:
    """The multipart body, byte for byte in the document's layout."""
    delimiter = f"--{boundary}\r\n".encode()
    data = json.dumps(event, ensure_ascii=False).encode()
    parts = [
        delimiter,
        b'Content-Disposition: form-data;name="event"\r\n',
        b"Content-Type: application/json; charset=UTF-8\r\n",
        f"Content-Length: {len(data)}\r\n\r\n".encode(),
        data,
        b"\r\n",
    ]
    if picture is not None:
        filename = f"{picture.channel}_{picture.taken.strftime('%Y%m%d%H%M%S')}.jpg"
        parts += [
            delimiter,
            f'Content-Disposition: form-data;name="picture";filename="{filename}"\r\n'.encode(),
            b"Content-Type: image/jpeg\r\n",
            f"Content-Length: {len(picture.data)}\r\n\r\n".encode(),
            picture.data,
            b"\r\n",
        ]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def target_url(server: EventServer) -> str:
    """``{protocol}://{ip_or_domain}:{port}{url}``."""
    path = server.url if server.url.startswith("/") else f"/{server.url}"
    return f"{server.protocol.lower()}://{server.ip_or_domain}:{server.port}{path}"


def _loopback(host: str) -> str | None:
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return host if address.version == 4 and address.is_loopback else None


async def deliver(
    servers: list[EventServer],
    source_host: str,
    body_for: dict[int, bytes],
) -> list[PushRecord]:
    """POST to every server concurrently; never raises, returns one record per server."""
    connector = aiohttp.TCPConnector(local_addr=(source_host, 0), ssl=False, force_close=True)
    timeout = aiohttp.ClientTimeout(total=PUSH_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        return list(await asyncio.gather(*(_post(session, s, body_for[s.id]) for s in servers)))


async def _post(session: aiohttp.ClientSession, server: EventServer, body: bytes) -> PushRecord:
    url = target_url(server)
    host = _loopback(server.ip_or_domain)
    if host is None:
        _LOGGER.warning("Not pushing to %s: simulator only talks to 127.0.0.0/8", url)
        return PushRecord(server.id, url, None, "non-loopback target refused by simulator")
    path = server.url if server.url.startswith("/") else f"/{server.url}"
    real = f"{server.protocol.lower()}://{host}:{server.port}{path}"
    try:
        async with session.post(
            real, data=body, headers={"Content-Type": CONTENT_TYPE}
        ) as response:
            await response.read()
            return PushRecord(server.id, url, response.status)
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        _LOGGER.info("Push to %s failed: %r", url, err)
        return PushRecord(server.id, url, None, repr(err))
