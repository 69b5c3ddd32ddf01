"""The AK/SK request signature of source section 1.2.2 (请求签名), server side.

payload       = the exact body bytes received; "{}" when the body is empty or not JSON
hashed        = lowercase hex SHA-256(payload)
stringToSign  = "HmacSHA256\\n" + timestamp + "\\n" + credentialScope + "\\n" + hashed
                where credentialScope = method + " " + path + " tp-link_request"
secretDate    = HMAC-SHA256(key=SK, msg=timestamp)
secretService = HMAC-SHA256(key=secretDate, msg=path)
secretSigning = HMAC-SHA256(key=secretService, msg="tp-link")
signature     = lowercase hex HMAC-SHA256(key=secretSigning, msg=stringToSign)
X-Authorization: Timestamp=..,Nonce=..,AccessKey=..,Signature=..,TerminalId=..
                (fixed order, no spaces)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

FIELDS = ("Timestamp", "Nonce", "AccessKey", "Signature", "TerminalId")
_TIMESTAMP = re.compile(r"\d{10}")


def _hmac(key: bytes, msg: str | bytes) -> bytes:
    data = msg.encode() if isinstance(msg, str) else msg
    return hmac.new(key, data, hashlib.sha256).digest()


def signed_payload(body: bytes) -> bytes:
    """The bytes that are hashed: the body itself, or ``{}`` when it is empty or not JSON."""
    if not body:
        return b"{}"
    try:
        json.loads(body)
    except ValueError:
        return b"{}"
    return body


def signature(secret_key: str, timestamp: str, method: str, path: str, body: bytes) -> str:
    """Lowercase hex signature for one request."""
    hashed = hashlib.sha256(signed_payload(body)).hexdigest()
    string_to_sign = f"HmacSHA256\n{timestamp}\n{method} {path} tp-link_request\n{hashed}"
    key = _hmac(secret_key.encode(), timestamp)
    key = _hmac(key, path)
    key = _hmac(key, "tp-link")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AuthHeader:
    """The five parsed fields of X-Authorization."""

    timestamp: str
    nonce: str
    access_key: str
    signature: str
    terminal_id: str


def parse_header(value: str | None) -> AuthHeader | None:
    """Parse ``Timestamp=..,Nonce=..,AccessKey=..,Signature=..,TerminalId=..``.

    None (-10303 in source 1.2.2.4) when the header is missing, contains a space, any of the
    five fields is missing, empty or repeated, an unknown field appears, Timestamp is not
    10 digits or TerminalId is longer than 64 characters. The document builds the fields
    in this order but does not say another order is an error, so any order is accepted.
    """
    if not value or " " in value:
        return None
    fields: dict[str, str] = {}
    for part in value.split(","):
        key, sep, val = part.partition("=")
        if key not in FIELDS or key in fields or not sep or not val:
            return None
        fields[key] = val
    if len(fields) != len(FIELDS):
        return None
    if not _TIMESTAMP.fullmatch(fields["Timestamp"]) or len(fields["TerminalId"]) > 64:
        return None
    return AuthHeader(*(fields[name] for name in FIELDS))


def build_header(
    access_key: str,
    secret_key: str,
    path: str,
    body: bytes,
    *,
    timestamp: int,
    nonce: str,
    terminal_id: str,
    method: str = "POST",
) -> str:
    """A complete X-Authorization value (used by the control API and docs)."""
    ts = str(timestamp)
    sig = signature(secret_key, ts, method, path, body)
    return (
        f"Timestamp={ts},Nonce={nonce},AccessKey={access_key},"
        f"Signature={sig},TerminalId={terminal_id}"
    )
