"""Event payloads and the HTTP callback push (seed "IPC Notification Center", 1.3 Post).

A push is a POST of multipart/form-data with the parts app_id, random, timestamp, sign and
payload (the event JSON), each part carrying only a Content-Disposition header, as libcurl
writes them.  It leaves from the simulator's own address; only 127.0.0.0/8 targets are
contacted (others are recorded as failures).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
import secrets
import string
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from .signing import sign

_LOGGER = logging.getLogger(__name__)

# ASSUMPTION: the push sign covers every part except sign (app_id, payload, random,
# timestamp), under the Sign Rules with the secret key.  The seed shows a sign part but not
# what it covers.
PUSH_SIGNED_FIELDS = ("app_id", "random", "timestamp", "payload")
PUSH_TIMEOUT = 5.0
USER_AGENT = "libcurl/7.52.1 OpenSSL/1.0.2p"  # the seed's push requests


@dataclass
class PushRecord:
    """One delivery attempt."""

    url: str
    event_type: str
    status: int | None
    error: str | None = None


def motion_payload(
    event_id: int, sn: str, detect_type: int, video_url: str, now: int
) -> dict[str, Any]:
    """dynamic_detect_event (message channel example's key order)."""
    return {
        "event_id": event_id,
        "event_type": "dynamic_detect_event",
        "sn": sn,
        "report_time": now,
        "detect_type": detect_type,
        "video_url": video_url,
    }


def face_payload(
    event_id: int, sn: str, now: int, face: dict[str, Any], pic_url: str
) -> dict[str, Any]:
    """face_recog_event: faceid, cloud_faceid, group_name, age, age_range, gender, ..."""
    payload: dict[str, Any] = {"event_id": event_id, "event_type": "face_recog_event"}
    payload.update(sn=sn, report_time=now)
    payload.update(face)
    payload["pic_url"] = pic_url
    return payload


def random_token() -> str:
    """A 6-digit random, as in the seed's push examples."""
    return "".join(secrets.choice(string.digits) for _ in range(6))


def push_fields(app_id: str, secret_key: str, payload: str) -> dict[str, str]:
    """The five parts, in the seed's order."""
    fields = {"app_id": app_id, "random": random_token(), "timestamp": str(int(time.time()))}
    fields["payload"] = payload
    signed = {name: fields[name] for name in PUSH_SIGNED_FIELDS}
    return {
        "app_id": fields["app_id"],
        "random": fields["random"],
        "timestamp": fields["timestamp"],
        "sign": sign(signed, secret_key),
        "payload": payload,
    }


def boundary() -> str:
    """A libcurl-style boundary."""
    return "-" * 24 + os.urandom(8).hex()


def multipart_body(fields: dict[str, str], mark: str) -> bytes:
    """Parts with only a Content-Disposition header, as libcurl's form API writes them."""
    chunks = [
        f'--{mark}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    chunks.append(f"--{mark}--\r\n")
    return "".join(chunks).encode()


def target(callback: str) -> URL | None:
    """The loopback URL to POST to, or None when the simulator must not contact it."""
    try:
        url = URL(callback if "://" in callback else f"http://{callback}")
    except ValueError:
        return None
    host = url.host or ""
    if host == "localhost":
        return url.with_host("127.0.0.1")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return url if address.version == 4 and address.is_loopback else None


async def deliver(
    callbacks: list[str],
    source_host: str,
    event_type: str,
    app_id: str,
    secret_key: str,
    payload: dict[str, Any],
) -> list[PushRecord]:
    """POST the event to every callback at once; never raises."""
    if not callbacks:
        return []
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    connector = aiohttp.TCPConnector(local_addr=(source_host, 0), ssl=False, force_close=True)
    timeout = aiohttp.ClientTimeout(total=PUSH_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        return list(
            await asyncio.gather(
                *(
                    _post(session, url, event_type, push_fields(app_id, secret_key, text))
                    for url in callbacks
                )
            )
        )


async def _post(
    session: aiohttp.ClientSession, callback: str, event_type: str, fields: dict[str, str]
) -> PushRecord:
    url = target(callback)
    if url is None:
        _LOGGER.warning("Not pushing to %s: the simulator only talks to 127.0.0.0/8", callback)
        return PushRecord(callback, event_type, None, "non-loopback target refused")
    mark = boundary()
    headers = {
        "Content-Type": f"multipart/form-data; boundary={mark}",
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
    }
    try:
        async with session.post(url, data=multipart_body(fields, mark), headers=headers) as resp:
            await resp.read()
            return PushRecord(callback, event_type, resp.status)
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        _LOGGER.info("Push to %s failed: %r", callback, err)
        return PushRecord(callback, event_type, None, repr(err))
