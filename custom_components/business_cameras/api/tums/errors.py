"""Typed errors of the TUMS cloud client beyond the shared ones in ``api/errors.py``.

Messages never carry the secret key, a temporary secret key or a push URL.
"""

from __future__ import annotations

from ..errors import ApiError, AuthError, UnsupportedError


class NotLicensedError(ApiError):
    """The device is not in trial or paid use (-88315): a repair issue, not a generic failure."""

    def __init__(
        self, code: int, message: str, endpoint: str = "", device_id: str | None = None
    ) -> None:
        super().__init__(code, message, endpoint)
        self.device_id = device_id


class WrongAppTypeError(ApiError):
    """The endpoint needs the other application type (-88311 device app, -88312 project app).

    ``required`` names the application type the endpoint needs: ``"device"`` or ``"project"``.
    """

    def __init__(self, code: int, message: str, endpoint: str = "", required: str = "") -> None:
        super().__init__(code, message, endpoint)
        self.required = required


class RateLimitedError(ApiError):
    """A rate limit or quota was hit; no request should be sent before ``retry_after`` seconds."""

    def __init__(
        self, code: int, message: str, endpoint: str = "", retry_after: float = 0.0
    ) -> None:
        super().__init__(code, message, endpoint)
        self.retry_after = retry_after


class ClockSkewError(AuthError):
    """The request timestamp was rejected (-10302): the local clock is off.

    ``skew`` is server time minus local time in seconds when the answer let it be measured
    (an HTTP ``Date`` header), else ``None``.
    """

    def __init__(
        self, code: int, message: str, endpoint: str = "", skew: float | None = None
    ) -> None:
        super().__init__(code, message, endpoint)
        self.skew = skew


class DeviceOfflineError(ApiError):
    """The target device is offline (-20571, -20573, -80327, -80379)."""

    def __init__(
        self, code: int, message: str, endpoint: str = "", device_id: str | None = None
    ) -> None:
        super().__init__(code, message, endpoint)
        self.device_id = device_id


class DeviceUnsupportedError(ApiError):
    """The device does not support the operation (-40106, -80391, -80393, -80550)."""


class PushTargetInUseError(UnsupportedError):
    """The application already pushes to another URL; it is never overwritten silently."""
