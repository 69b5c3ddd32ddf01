"""SUNMI IPC OpenAPI return codes and their typed errors.

The seed lists which codes each endpoint may return, but its Error Code table is missing and no
public copy exists (reference §3). The meanings below are inferred from where each code occurs;
every one marked "(inferred)" is low confidence. Only 0 (success), 3/7 (credentials rejected)
and 5 (not activated) change behaviour; every other code is reported as "vendor error N" with
the inferred meaning and the endpoint.
"""

from __future__ import annotations

from typing import Final

from ..errors import ApiError, AuthError
from .errors import NotActivatedError

SUCCESS: Final = 0
# The signature or the app id / timestamp / random was rejected (inferred: they are the only
# codes every signed endpoint returns and activation, signed with another key, partly does not).
AUTH_CODES: Final = frozenset({3, 7})
NOT_ACTIVATED: Final = 5
ALREADY_ACTIVATED_ONLY: Final = 12
SD_CARD_MISSING: Final = 220

# Inferred meanings (reference §3). Low confidence unless the comment says otherwise.
MEANINGS: Final[dict[int, str]] = {
    0: "success",  # high
    1: "general failure (inferred)",
    2: "missing or invalid parameter (inferred)",  # low-medium
    3: "signature check failed (inferred)",
    4: "activation rejected: activation code or SN (inferred)",
    5: "device not activated (inferred)",  # low-medium: never returned by activate itself
    7: "app id, timestamp or random rejected (inferred)",
    8: "activation failed: no Internet connection (inferred)",
    9: "activation failed: cloud check failed (inferred)",
    10: "activation failed (inferred)",
    11: "activation failed: already activated (inferred)",
    12: "not allowed after activation (inferred)",  # medium: the doc says so for this API
    100: "Wi-Fi connection failed (inferred)",
    101: "Wi-Fi SSID or password invalid (inferred)",
    110: "zoom failed or out of range (inferred)",
    111: "manual focus failed (inferred)",
    112: "auto focus failed (inferred)",
    113: "IR mode failed (inferred)",
    114: "dynamic detect: motion level invalid (inferred)",
    115: "dynamic detect: audio level invalid (inferred)",
    116: "dynamic detect: weekday invalid (inferred)",
    117: "dynamic detect: time range invalid (inferred)",
    118: "name update failed (inferred)",
    119: "LED switch failed (inferred)",
    120: "rotation failed (inferred)",
    200: "face group: invalid name (inferred)",
    201: "face group operation failed (inferred)",
    202: "face group: capacity exceeded (inferred)",
    204: "face group not found (inferred)",
    205: "face group not empty (inferred)",
    206: "face add failed (inferred)",
    207: "face not found (inferred)",
    208: "face update failed (inferred)",
    210: "face picture invalid (inferred)",
    211: "face database not ready (inferred)",
    212: "face group already exists (inferred)",
    220: "SD card missing or abnormal (inferred)",  # medium
    221: "SD card format failed (inferred)",
    230: "playback failed (inferred)",
    231: "record list failed (inferred)",
    232: "live stream failed (inferred)",
    233: "snapshot failed (inferred)",
    234: "record list: page invalid (inferred)",
    235: "time range invalid (inferred)",
    236: "video clip failed (inferred)",
    237: "video clip: parameter invalid (inferred)",
    240: "face attribute: reserved name (inferred)",
    241: "face attribute: limit reached (inferred)",
    242: "face attribute: invalid name (inferred)",
    243: "face attribute not found (inferred)",
    260: "door line not available (inferred)",
    261: "door line not available (inferred)",
    262: "door line not available (inferred)",
    263: "door line not available (inferred)",
    264: "door line not available (inferred)",
    265: "people statistics: period invalid (inferred)",
    266: "people statistics: start time invalid (inferred)",
    267: "people statistics: time range invalid (inferred)",
    268: "visitor list: parameter invalid (inferred)",
    269: "visitor list: parameter invalid (inferred)",
    270: "visitor list: parameter invalid (inferred)",
    271: "visitor list: parameter invalid (inferred)",
    272: "visitor list: parameter invalid (inferred)",
    273: "visitor list: parameter invalid (inferred)",
    274: "visitor list: parameter invalid (inferred)",
    275: "face visit detail failed (inferred)",
    276: "door line not available (inferred)",
    277: "people counting not configured: door line not set (inferred)",
    278: "door line invalid (inferred)",
    279: "door line not available (inferred)",
    280: "no record found (inferred)",
    281: "visitor list: custom attribute invalid (inferred)",
    282: "visitor list: custom attribute invalid (inferred)",
    283: "face not recognised in picture (inferred)",
    310: "subscription failed (inferred)",
    311: "event not supported by this model (inferred)",
}


def message_for(code: int) -> str:
    """``vendor error N: <inferred meaning>``, or just ``vendor error N`` for unknown codes."""
    meaning = MEANINGS.get(code)
    return f"vendor error {code}: {meaning}" if meaning else f"vendor error {code}"


def error_for(code: int, endpoint: str = "") -> ApiError:
    """The typed error for a non-zero ``code`` returned by ``endpoint``."""
    message = message_for(code)
    if code in AUTH_CODES:
        return AuthError(code, message, endpoint)
    if code == NOT_ACTIVATED:
        return NotActivatedError(code, message, endpoint)
    return ApiError(code, message, endpoint)
