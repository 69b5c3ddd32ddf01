"""Digest challenge/response for ``GET /openapi/token`` and the bearer token holder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import unquote

from ..errors import ProtocolError

DIGEST_URI: Final = "/openapi/token"
# The V1.0 text says MD5 (RFC 7616's default too); V1.1+ challenges name SHA-256 explicitly.
DEFAULT_ALGORITHM: Final = "MD5"
# Used when the token answer omits expires_in: every document example says 1800 s.
DEFAULT_EXPIRES_IN: Final = 1800.0

_HASHLIB_NAMES: Final = {"MD5": "md5", "SHA-256": "sha256"}
# key=value pairs; a value is a quoted string (with backslash escapes) or a bare token.
_PARAM_RE: Final = re.compile(r'([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))')


@dataclass(frozen=True, slots=True)
class DigestChallenge:
    """The parameters of the NVR's ``WWW-Authenticate: Digest`` header."""

    realm: str
    nonce: str
    algorithm: str = DEFAULT_ALGORITHM
    uri: str = DIGEST_URI


def parse_challenge(header: str) -> DigestChallenge:
    """Parse a Digest challenge; the NVR spells the URI parameter ``url``."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        raise ProtocolError(f"{DIGEST_URI}: challenge scheme is not Digest")
    params: dict[str, str] = {}
    for match in _PARAM_RE.finditer(rest):
        quoted, bare = match.group(2), match.group(3)
        value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else bare
        params[match.group(1).lower()] = value
    realm, nonce = params.get("realm"), params.get("nonce")
    if realm is None or not nonce:
        raise ProtocolError(f"{DIGEST_URI}: challenge lacks realm or nonce")
    algorithm = _normalise_algorithm(params.get("algorithm") or DEFAULT_ALGORITHM)
    uri = params.get("url") or params.get("uri") or DIGEST_URI
    return DigestChallenge(realm=realm, nonce=nonce, algorithm=algorithm, uri=uri)


def _normalise_algorithm(name: str) -> str:
    upper = name.strip().upper()
    if upper in ("SHA256", "SHA-256"):
        return "SHA-256"
    if upper == "MD5":
        return "MD5"
    raise ProtocolError(f"{DIGEST_URI}: unsupported digest algorithm {name[:20]!r}")


def digest_response(
    username: str,
    password: str,
    realm: str,
    nonce: str,
    method: str = "GET",
    uri: str = DIGEST_URI,
    algorithm: str = "SHA-256",
) -> str:
    """H(H(user:realm:pass):nonce:H(method:uri)) in lowercase hex (no qop, as documented)."""
    name = _HASHLIB_NAMES[_normalise_algorithm(algorithm)]

    def h(text: str) -> str:
        return hashlib.new(name, text.encode()).hexdigest()

    ha1 = h(f"{username}:{realm}:{password}")
    ha2 = h(f"{method}:{uri}")
    return h(f"{ha1}:{nonce}:{ha2}")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def authorization_header(
    username: str, password: str, challenge: DigestChallenge, method: str = "GET"
) -> str:
    """Build the documented four-field ``Authorization: Digest`` value for ``challenge``."""
    response = digest_response(
        username,
        password,
        challenge.realm,
        challenge.nonce,
        method=method,
        uri=DIGEST_URI,
        algorithm=challenge.algorithm,
    )
    return (
        f'Digest username="{_quote(username)}", nonce="{_quote(challenge.nonce)}", '
        f'realm="{_quote(challenge.realm)}", response="{response}"'
    )


@dataclass(slots=True)
class TokenHolder:
    """The current bearer token pair.

    ``access_token`` is percent-decoded (the header needs the original string); the refresh
    token is kept exactly as received, because the document's refresh example sends it so.
    ``generation`` grows with every new token, so concurrent callers can tell whether somebody
    else already logged in again.
    """

    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float = 0.0
    generation: int = 0

    def update(self, payload: Mapping[str, object], now: float) -> None:
        """Store the token answer ``payload`` (raw JSON, not yet decoded)."""
        access = payload.get("access_token")
        refresh = payload.get("refresh_token")
        if not isinstance(access, str) or not access.strip():
            raise ProtocolError(f"{DIGEST_URI}: answer lacks access_token")
        expires_in = payload.get("expires_in", DEFAULT_EXPIRES_IN)
        try:
            lifetime = float(expires_in)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ProtocolError(f"{DIGEST_URI}: expires_in is not a number") from None
        if isinstance(expires_in, bool) or lifetime <= 0:
            raise ProtocolError(f"{DIGEST_URI}: expires_in is not a positive number")
        self.access_token = unquote(access.strip())
        self.refresh_token = refresh.strip() if isinstance(refresh, str) and refresh else None
        self.expires_at = now + lifetime
        self.generation += 1

    def clear(self) -> None:
        """Forget the tokens (the generation counter keeps counting)."""
        self.access_token = None
        self.refresh_token = None
        self.expires_at = 0.0

    def valid(self, now: float, margin: float = 0.0) -> bool:
        """Whether an access token exists that stays valid for at least ``margin`` seconds."""
        return self.access_token is not None and now + margin < self.expires_at
