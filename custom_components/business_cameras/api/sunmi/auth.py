"""Request signing of the SUNMI IPC OpenAPI (seed, "Sign Rules").

Every parameter except ``sign`` is sorted by key and joined as ``k=v`` with ``&``; then
``&key=<secret>`` is appended, and the MD5 of the whole is the signature in uppercase hex.
Activation signs with the activation code in place of the secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Final

# The seed's public-parameter table says "a 6-10 digits random number" (type long); its Sign
# Rules say "a random string combination of number and alphabets". Digits satisfy both.
RANDOM_ALPHABET: Final = "0123456789"
RANDOM_MIN_LENGTH: Final = 6
RANDOM_MAX_LENGTH: Final = 10
SIGN_FIELD: Final = "sign"


def form_value(value: object) -> str:
    """A parameter as it is sent and signed: lists as compact JSON (the seed's ``event_list``)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return json.dumps(list(value), separators=(",", ":"), ensure_ascii=False)
    return str(value)


def signing_string(params: Mapping[str, object]) -> str:
    """``k1=v1&k2=v2...`` over every parameter except ``sign``, sorted by key."""
    return "&".join(
        f"{key}={form_value(params[key])}" for key in sorted(params) if key != SIGN_FIELD
    )


def sign(params: Mapping[str, object], secret_key: str) -> str:
    """The request signature: uppercase MD5 of the signing string plus ``&key=<secret>``."""
    text = f"{signing_string(params)}&key={secret_key}"
    # MD5 is what the device checks; it is not used for anything else here.
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def verify_sign(
    params: Mapping[str, object], secret_key: str, fields: Iterable[str] | None = None
) -> bool:
    """Check ``params["sign"]``; ``fields`` limits what was signed (default: all but sign)."""
    given = params.get(SIGN_FIELD)
    if not isinstance(given, str) or not given:
        return False
    signed = params if fields is None else {key: params[key] for key in fields if key in params}
    return hmac.compare_digest(sign(signed, secret_key), given.upper())


def random_string(length: int | None = None) -> str:
    """A fresh ``random`` value: 6..10 digits, not starting with 0 (it is a "long")."""
    if length is None:
        length = RANDOM_MIN_LENGTH + secrets.randbelow(RANDOM_MAX_LENGTH - RANDOM_MIN_LENGTH + 1)
    if not RANDOM_MIN_LENGTH <= length <= RANDOM_MAX_LENGTH:
        raise ValueError("random is 6 to 10 characters long")
    first = secrets.choice(RANDOM_ALPHABET.lstrip("0") or RANDOM_ALPHABET)
    return first + "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(length - 1))


def timestamp(now: float | None = None) -> str:
    """The current Unix time in seconds (10 digits until 2286)."""
    return str(int(time.time() if now is None else now))


def public_params(
    app_id: str,
    secret_key: str,
    extra: Mapping[str, object] | None = None,
    *,
    now: float | None = None,
    random: str | None = None,
) -> dict[str, str]:
    """Every parameter of a signed request: app_id, timestamp, random, the private ones, sign.

    Values are returned as the strings that are sent (lists as compact JSON).
    """
    params: dict[str, str] = {key: form_value(value) for key, value in (extra or {}).items()}
    params.update(
        app_id=app_id,
        timestamp=timestamp(now),
        random=random if random is not None else random_string(),
    )
    params[SIGN_FIELD] = sign(params, secret_key)
    return params
