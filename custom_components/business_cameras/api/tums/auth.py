"""AK/SK request signing of the TUMS cloud OpenAPI (document §1.2.2) and credential holders.

The signed payload is the exact body sent: the client serializes the JSON once, signs those
bytes and sends the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from typing import Final

from ..errors import ProtocolError

ALGORITHM: Final = "HmacSHA256"
SCOPE_SUFFIX: Final = "tp-link_request"
SIGNING_KEY_TERM: Final = "tp-link"
EMPTY_PAYLOAD: Final = b"{}"
HEADER: Final = "X-Authorization"
HEADER_FIELDS: Final = ("Timestamp", "Nonce", "AccessKey", "Signature", "TerminalId")
TERMINAL_ID_MAX: Final = 64
NONCE_LENGTH: Final = 32


def new_nonce() -> str:
    """A single-use nonce: a UUID4 without dashes (32 lowercase hex characters)."""
    return uuid.uuid4().hex


def new_terminal_id() -> str:
    """A client identifier to generate once and persist (32 lowercase hex characters)."""
    return uuid.uuid4().hex


def format_timestamp(seconds: float) -> str:
    """Unix seconds as the 10-digit decimal string the document requires."""
    text = str(int(seconds))
    if len(text) != 10:
        raise ValueError("the timestamp must be 10 decimal digits of Unix seconds")
    return text


def signed_payload(body: bytes) -> bytes:
    """The payload that enters the signature: ``body`` itself, or ``{}`` if empty or not JSON."""
    if not body:
        return EMPTY_PAYLOAD
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return EMPTY_PAYLOAD
    return body


def hashed_payload(body: bytes) -> str:
    """sha256Hex(payload) in lowercase hex."""
    return hashlib.sha256(signed_payload(body)).hexdigest()


def credential_scope(path: str, method: str = "POST") -> str:
    """``method + " " + path + " " + "tp-link_request"``."""
    return f"{method} {path} {SCOPE_SUFFIX}"


def string_to_sign(timestamp: str, path: str, body: bytes, method: str = "POST") -> str:
    """Lines HmacSHA256, timestamp, credentialScope, sha256Hex(payload); LF, no final LF."""
    return "\n".join((ALGORITHM, timestamp, credential_scope(path, method), hashed_payload(body)))


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, timestamp: str, path: str) -> bytes:
    """The raw key hmac(hmac(hmac(SK, timestamp), path), "tp-link") (secretSigning)."""
    secret_date = _hmac(secret_key.encode("utf-8"), timestamp)
    secret_service = _hmac(secret_date, path)
    return _hmac(secret_service, SIGNING_KEY_TERM)


def signature(secret_key: str, timestamp: str, path: str, body: bytes, method: str = "POST") -> str:
    """The lowercase-hex HMAC-SHA256 of the string to sign under the derived signing key."""
    key = signing_key(secret_key, timestamp, path)
    return hmac.new(
        key, string_to_sign(timestamp, path, body, method).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def authorization_header(
    *,
    access_key: str,
    secret_key: str,
    path: str,
    body: bytes,
    terminal_id: str,
    timestamp: str,
    nonce: str,
    method: str = "POST",
) -> str:
    """The ``X-Authorization`` value: five fields in fixed order, comma-separated, no spaces."""
    if not terminal_id or len(terminal_id) > TERMINAL_ID_MAX:
        raise ValueError("the terminal id must be 1 to 64 characters")
    sig = signature(secret_key, timestamp, path, body, method)
    return (
        f"Timestamp={timestamp},Nonce={nonce},AccessKey={access_key},"
        f"Signature={sig},TerminalId={terminal_id}"
    )


def parse_authorization(value: str) -> dict[str, str]:
    """Split an ``X-Authorization`` value into its five fields (used by tests and simulators)."""
    fields: dict[str, str] = {}
    for part in value.split(","):
        name, sep, content = part.partition("=")
        if not sep:
            raise ProtocolError(f"{HEADER}: field without '='")
        fields[name] = content
    if tuple(fields) != HEADER_FIELDS:
        raise ProtocolError(f"{HEADER}: fields missing or out of order")
    return fields


@dataclass(slots=True)
class Credentials:
    """An AK/SK pair; ``expires_at`` (Unix seconds) is set for temporary pairs only."""

    access_key: str
    secret_key: str = field(repr=False)
    expires_at: float | None = None
    temporary: bool = False

    def valid(self, now: float, margin: float = 0.0) -> bool:
        """Whether the pair stays usable for at least ``margin`` more seconds."""
        return self.expires_at is None or now + margin < self.expires_at
