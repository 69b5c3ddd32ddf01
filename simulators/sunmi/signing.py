"""The seed's Sign Rules, public-parameter checks and the replay cache.

Sign rule (seed "3. Sign Rules"): every parameter except ``sign``, sorted by key, joined as
``k=v`` with ``&``, then ``&key=<secret_key>``; MD5; uppercase hex.  Values are signed as
decoded from the form (not percent-encoded).  Comparison is exact: a lowercase sign fails.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping

from .codes import ApiError, AuthCodes

SIGN = "sign"
PUBLIC_PARAMS = ("app_id", "timestamp", "random", SIGN)
TIMESTAMP_WINDOW = 300  # seconds either side of the device clock
RANDOM_RE = re.compile(r"[0-9A-Za-z]{6,10}")
TIMESTAMP_RE = re.compile(r"[0-9]{10}")


def sign_string(params: Mapping[str, str], key: str) -> str:
    """The string that gets hashed (the seed's ``str2``)."""
    joined = "&".join(f"{name}={params[name]}" for name in sorted(params) if name != SIGN)
    return f"{joined}&key={key}"


def sign(params: Mapping[str, str], key: str) -> str:
    """Uppercase hex MD5 of ``sign_string``."""
    digest = hashlib.md5(sign_string(params, key).encode())  # noqa: S324 - the vendor's rule
    return digest.hexdigest().upper()


class ReplayCache:
    """Randoms seen within the timestamp window (twice the window, to be safe)."""

    def __init__(self, ttl: float = 2 * TIMESTAMP_WINDOW) -> None:
        """Start empty."""
        self.ttl = ttl
        self._seen: dict[str, float] = {}

    def clear(self) -> None:
        """Forget everything (a reboot)."""
        self._seen.clear()

    def check_and_add(self, random: str, now: float) -> bool:
        """Record ``random``; False when it was already seen within the TTL."""
        for key in [k for k, expiry in self._seen.items() if expiry <= now]:
            del self._seen[key]
        if random in self._seen:
            return False
        self._seen[random] = now + self.ttl
        return True


def check_public(
    params: Mapping[str, str],
    *,
    app_id: str,
    key: str,
    replay: ReplayCache,
    codes: AuthCodes,
    now: float | None = None,
) -> None:
    """Verify app_id, timestamp, random and sign; raise ApiError with ``codes``.

    Order: missing, malformed, app_id, sign, timestamp window, replay.  A random is only
    remembered once the signature verifies, so bad requests cannot poison the cache.
    """
    now = time.time() if now is None else now
    if any(not params.get(name) for name in PUBLIC_PARAMS):
        raise ApiError(codes.missing)
    if not TIMESTAMP_RE.fullmatch(params["timestamp"]) or not RANDOM_RE.fullmatch(params["random"]):
        raise ApiError(codes.malformed)
    if params["app_id"] != app_id:
        raise ApiError(codes.app_id)
    if params[SIGN] != sign(params, key):
        raise ApiError(codes.sign)
    if abs(int(params["timestamp"]) - now) > TIMESTAMP_WINDOW:
        raise ApiError(codes.timestamp)
    if not replay.check_and_add(params["random"], now):
        raise ApiError(codes.replay)
