"""Typed errors raised by every platform client.

Messages never contain secrets: callers pass endpoint names and vendor codes, never credentials
or tokens.
"""

from __future__ import annotations


class CameraError(Exception):
    """Base class for every error the api layer raises."""


class ConnectError(CameraError):
    """The device could not be reached (DNS, TCP, TLS handshake, timeout)."""


class ProtocolError(CameraError):
    """The device answered something that does not follow its protocol (bad JSON, wrong shape)."""


class UnsupportedError(CameraError):
    """The device does not offer the requested function."""


class ApiError(CameraError):
    """The device answered with a vendor error code."""

    def __init__(self, code: int, message: str, endpoint: str = "") -> None:
        self.code = code
        self.message = message
        self.endpoint = endpoint
        where = f" on {endpoint}" if endpoint else ""
        super().__init__(f"error {code}{where}: {message}")


class AuthError(ApiError):
    """The credentials were rejected; the user has to enter new ones."""


class LockedError(ApiError):
    """The device locked the account or itself; no login may be tried before ``retry_after``."""

    def __init__(
        self, code: int, message: str, endpoint: str = "", retry_after: float = 0.0
    ) -> None:
        super().__init__(code, message, endpoint)
        self.retry_after = retry_after


class RateLimitedError(ApiError):
    """A rate limit or quota was hit; no request should be sent before ``retry_after`` seconds."""

    def __init__(
        self, code: int, message: str, endpoint: str = "", retry_after: float = 0.0
    ) -> None:
        super().__init__(code, message, endpoint)
        self.retry_after = retry_after


class ClockSkewError(AuthError):
    """The request timestamp was rejected: the local clock is off (not the credentials).

    ``skew`` is server time minus local time in seconds when the answer let it be measured,
    else ``None``.
    """

    def __init__(
        self, code: int, message: str, endpoint: str = "", skew: float | None = None
    ) -> None:
        super().__init__(code, message, endpoint)
        self.skew = skew


class CertificateMismatchError(ConnectError):
    """The device presented a TLS certificate other than the pinned one."""

    def __init__(self, expected: str, got: str) -> None:
        self.expected = expected
        self.got = got
        super().__init__(f"certificate fingerprint changed: expected {expected}, got {got}")
