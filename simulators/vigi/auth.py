"""Digest login, JWT-shaped bearer tokens and the client lockout of the simulated NVR.

Choices where the document is silent:
- Every failed Digest attempt (bad/stale/reused nonce, unknown user, wrong response,
  malformed header) counts towards the lockout of that client IP.  The failure that
  reaches ``max_failures`` still answers with its own code; from then on every attempt
  from that IP gets -40404 for ``lockout_seconds``, even with correct credentials.
- Nonces are single use (consumed by any attempt) and valid for ``nonce_ttl`` seconds.
- Access and refresh tokens are signed with different per-boot keys, so neither can
  stand in for the other; a reboot (new secret) voids every token.
- Refresh tokens live 90 minutes longer than access tokens, as in the document's
  examples, and stay valid until they expire (refreshing does not consume them).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime

from .wire import (
    E_AUTH_FAILED,
    E_CLIENT_LOCKED,
    E_NO_SUCH_USER,
    E_SESSION_TIMEOUT,
    ApiError,
)

REALM = "TP-LINK NVR"
TOKEN_URI = "/openapi/token"
REFRESH_EXTRA_SECONDS = 5400
_JWT_HEADER = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').rstrip(b"=").decode()
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_DIGEST_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]*))')
_HASHES = {"SHA-256": hashlib.sha256, "MD5": hashlib.md5}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parse_digest(header: str) -> dict[str, str] | None:
    """Split ``Digest k="v", k=v`` into a dict, or None for another scheme."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    return {
        m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _DIGEST_PARAM.finditer(rest)
    }


@dataclass
class TokenPair:
    """A freshly issued token pair (decoded; the reply encoder percent-encodes them)."""

    access: str
    refresh: str

    def as_reply(self, ttl: int) -> dict[str, object]:
        """The /openapi/token JSON body before percent-encoding."""
        return {
            "token_type": "bearer",
            "expires_in": ttl,
            "access_token": self.access,
            "refresh_token": self.refresh,
        }


@dataclass
class AuthState:
    """Credentials, nonces, issued tokens and lockout counters."""

    username: str
    password: str
    algorithm: str = "SHA-256"
    token_ttl: int = 1800
    nonce_ttl: float = 60.0
    max_failures: int = 5
    lockout_seconds: float = 300.0
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    nonces: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, float] = field(default_factory=dict)
    issued_access: set[str] = field(default_factory=set)
    issued_refresh: set[str] = field(default_factory=set)
    forced_expired: set[str] = field(default_factory=set)
    logins: int = 0
    refreshes: int = 0

    # -- lifecycle -------------------------------------------------------------------
    def reboot(self) -> None:
        """Void every token, nonce and lockout counter, as a reboot does."""
        self.secret = secrets.token_bytes(32)
        self.nonces.clear()
        self.failures.clear()
        self.locked_until.clear()
        self.issued_access.clear()
        self.issued_refresh.clear()
        self.forced_expired.clear()

    def expire_tokens(self, *, refresh: bool = False) -> None:
        """Make every access token issued so far (and optionally refresh tokens) expired."""
        self.forced_expired |= self.issued_access
        if refresh:
            self.forced_expired |= self.issued_refresh

    # -- digest ----------------------------------------------------------------------
    def _hash(self, text: str) -> str:
        return _HASHES[self.algorithm](text.encode()).hexdigest()

    def challenge(self) -> str:
        """Issue a fresh nonce and return the WWW-Authenticate header value."""
        now = time.monotonic()
        for nonce, issued in list(self.nonces.items()):
            if now - issued > self.nonce_ttl:
                del self.nonces[nonce]
        while len(self.nonces) >= 256:
            del self.nonces[next(iter(self.nonces))]
        nonce = secrets.token_hex(16)
        self.nonces[nonce] = now
        return (
            f'Digest realm="{REALM}", nonce="{nonce}", algorithm="{self.algorithm}", '
            f'url="{TOKEN_URI}"'
        )

    def locked(self, client: str) -> bool:
        """Whether the client IP is inside its lockout window."""
        until = self.locked_until.get(client)
        if until is None:
            return False
        if time.monotonic() < until:
            return True
        del self.locked_until[client]
        return False

    def digest_login(self, params: dict[str, str], client: str) -> TokenPair:
        """Check a Digest Authorization and issue tokens, or raise ApiError(401)."""
        if self.locked(client):
            raise ApiError(E_CLIENT_LOCKED, 401)
        try:
            self._verify_digest(params)
        except ApiError:
            count = self.failures.get(client, 0) + 1
            self.failures[client] = count
            if count >= self.max_failures:
                self.failures[client] = 0
                self.locked_until[client] = time.monotonic() + self.lockout_seconds
            raise
        self.failures.pop(client, None)
        self.logins += 1
        return self.issue()

    def _verify_digest(self, params: dict[str, str]) -> None:
        nonce = params.get("nonce", "")
        issued = self.nonces.pop(nonce, None)
        if issued is None or time.monotonic() - issued > self.nonce_ttl:
            raise ApiError(E_AUTH_FAILED, 401)
        if params.get("realm") != REALM or "response" not in params:
            raise ApiError(E_AUTH_FAILED, 401)
        algorithm = params.get("algorithm")
        if algorithm is not None and algorithm.upper() != self.algorithm:
            raise ApiError(E_AUTH_FAILED, 401)
        if params.get("username") != self.username:
            raise ApiError(E_NO_SUCH_USER, 401)
        ha1 = self._hash(f"{self.username}:{REALM}:{self.password}")
        ha2 = self._hash(f"GET:{TOKEN_URI}")
        expected = self._hash(f"{ha1}:{nonce}:{ha2}")
        if not hmac.compare_digest(expected, params["response"]):
            raise ApiError(E_AUTH_FAILED, 401)

    # -- tokens ----------------------------------------------------------------------
    def _sign(self, kind: str, signing_input: str, salt: bytes | None = None) -> str:
        """128 signature bytes (like RS1024), base64 standard: '/', '+', one '='.

        A random salt leads the bytes so that two tokens issued in the same second
        differ; the rest is an HMAC over salt and signing input with a per-boot key.
        """
        salt = secrets.token_bytes(16) if salt is None else salt
        key = hashlib.sha256(self.secret + kind.encode()).digest()
        mac = b"".join(
            hmac.new(key, bytes([i]) + salt + signing_input.encode(), hashlib.sha512).digest()
            for i in (1, 2)
        )
        return base64.b64encode(salt + mac[:112]).decode()

    def _signature_ok(self, kind: str, signing_input: str, signature: str) -> bool:
        try:
            raw = base64.b64decode(signature, validate=True)
        except ValueError:
            return False
        expected = self._sign(kind, signing_input, raw[:16])
        return len(raw) == 128 and hmac.compare_digest(expected, signature)

    def _make(self, kind: str, lifetime: int) -> str:
        expiry = datetime.fromtimestamp(math.ceil(time.time() + lifetime))
        payload = (
            f'{{ "usr": "{self.username}", "grp": "root", '
            f'"exp": "{expiry.strftime(_TIME_FORMAT)}" }}'
        )
        signing_input = f"{_JWT_HEADER}.{_b64url(payload.encode())}"
        return f"{signing_input}.{self._sign(kind, signing_input)}"

    def issue(self) -> TokenPair:
        """Issue a new access/refresh pair."""
        pair = TokenPair(
            self._make("access", self.token_ttl),
            self._make("refresh", self.token_ttl + REFRESH_EXTRA_SECONDS),
        )
        self.issued_access.add(pair.access)
        self.issued_refresh.add(pair.refresh)
        return pair

    def check(self, token: str, kind: str = "access") -> None:
        """Raise ApiError(401): -40401 forged/voided, -40403 expired."""
        signing_input, _, signature = token.rpartition(".")
        if not signing_input or not self._signature_ok(kind, signing_input, signature):
            raise ApiError(E_AUTH_FAILED, 401)
        try:
            payload_b64 = signing_input.split(".")[1]
            padded = payload_b64 + "=" * (-len(payload_b64) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded))
            expiry = datetime.strptime(payload["exp"], _TIME_FORMAT).timestamp()
        except (ValueError, KeyError, IndexError, TypeError) as err:
            raise ApiError(E_AUTH_FAILED, 401) from err
        if time.time() >= expiry or token in self.forced_expired:
            code = E_SESSION_TIMEOUT if kind == "access" else E_AUTH_FAILED
            raise ApiError(code, 401)

    def refresh(self, candidates: list[str]) -> TokenPair:
        """Exchange a refresh token (any decoding of it) for a new pair."""
        for candidate in candidates:
            try:
                self.check(candidate, "refresh")
            except ApiError:
                continue
            self.refreshes += 1
            return self.issue()
        raise ApiError(E_AUTH_FAILED, 401)
