"""VIGI NVR OpenAPI error codes (document Appendix I) and their classification."""

from __future__ import annotations

from typing import Final

from ..errors import ApiError, AuthError, LockedError

# Appendix I, verbatim meanings (typos of the document corrected).
ERROR_MESSAGES: Final[dict[int, str]] = {
    -40101: "System error",
    -40102: "Abnormal situation",
    -40103: "Memory is not enough",
    -40104: "Unsupported event",
    -40105: "Unsupported operator",
    -40106: "Unsupported command",
    -40107: "Operation prohibited",
    -40108: "Timeout",
    -40109: "System is busy",
    -40110: "Device is not found",
    -40201: "Data overflow",
    -40202: "Data is too long",
    -40203: "The entry already exists",
    -40204: "The entry has been associated",
    -40205: "The entry does not exist",
    -40206: "The entry conflict",
    -40207: "The entry list is full",
    -40208: "The entry list is empty",
    -40209: "Parameter error",
    -40210: "Format error",
    -40211: "Missing necessary parameters",
    -40212: "Boolean-type value taking error",
    -40213: "The length of the string is illegal",
    -40301: "The IP address is incorrect",
    -40302: "Multicast IP address",
    -40303: "Invalid IP address format",
    -40304: "Loopback IP address",
    -40309: "Illegal network segment",
    -40401: "Authentication failed",
    -40402: "Verification code authentication failed",
    -40403: "Session timeout",
    -40404: "The client is locked",
    -40405: "Currently in the factory reset state",
    -40406: "Authentication failed. Exceed the number of supported clients",
    -40408: "The system is locked",
    -70301: "The username is empty",
    -70302: "The username does not exist",
    -70303: "The current user has no permission",
    -70304: "Failed to obtain user information",
    -70312: "Password error",
    -70901: "Abnormal frame rate",
    -70902: "Frame rate out of range",
    -70903: "Abnormal image quality",
    -70904: "Image quality out of range",
    -70905: "Abnormal bit rate",
    -70906: "Bit rate out of range",
    -70907: "Resolution format error",
    -70908: "Resolution out of range",
    -70909: "stream_type illegal",
    -70910: "bitrate_type illegal",
    -70911: "encode_type illegal",
    -71101: "The number of clients is full, and currently there are up to 4 clients",
    -71102: "The client ID is already occupied",
    -71103: "The client ID is invalid",
    -71104: "No events on the day, or play was requested before searching",
    -71105: "Failed to search for events or get calendars",
    -71106: "Year fails to get calendar",
    -71107: "The time to search for an event or play is illegal",
    -71108: "The channel is illegal when playing",
    -71109: "No channel was selected during playback",
    -71110: "Search events are not allowed while playing",
    -71111: "The client has not established a socket connection and cannot be played",
    -71112: "The parameter is incorrect",
    -71113: "The file used to save the list of events failed to open",
    -71114: "Unknown error",
    -71115: "The search takes a long time and cannot be returned immediately",
    -76209: "Illegal ID",
}

# The credentials are wrong: retrying cannot help, the user has to act.
CREDENTIAL_ERRORS: Final = frozenset({-40401, -70301, -70302, -70312})
# The device refuses logins for a while; the duration is undocumented.
LOCKOUT_ERRORS: Final = frozenset({-40404, -40408})
TOO_MANY_CLIENTS: Final = -40406
# The token is no longer accepted: one fresh login may fix it.
SESSION_ERRORS: Final = frozenset({-40403})
# Answers meaning "this firmware does not offer the call".
UNSUPPORTED_ERRORS: Final = frozenset({-40104, -40105, -40106})
LIST_FULL: Final = -40207

# Lock durations are not documented; these are conservative guesses.
LOCKOUT_SECONDS: Final = 300.0
TOO_MANY_CLIENTS_SECONDS: Final = 30.0


def message_for(code: int) -> str:
    """Return the document's meaning of ``code`` (or a generic text for unknown codes)."""
    return ERROR_MESSAGES.get(code, "Unknown error code")


def error_for(code: int, endpoint: str = "") -> ApiError:
    """Build the typed error for a non-zero ``error_code``."""
    message = message_for(code)
    if code in CREDENTIAL_ERRORS:
        return AuthError(code, message, endpoint)
    if code in LOCKOUT_ERRORS:
        return LockedError(code, message, endpoint, retry_after=LOCKOUT_SECONDS)
    if code == TOO_MANY_CLIENTS:
        return LockedError(code, message, endpoint, retry_after=TOO_MANY_CLIENTS_SECONDS)
    return ApiError(code, message, endpoint)
