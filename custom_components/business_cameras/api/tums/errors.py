"""Typed errors of the TUMS cloud client beyond the shared ones in ``api/errors.py``.

Messages never carry the secret key, a temporary secret key or a push URL.
"""

from __future__ import annotations

from ..errors import ApiError, ClockSkewError, RateLimitedError, UnsupportedError

# Shared with the Home Assistant side (rate limits back off, clock skew is a repair issue).
__all__ = [
    "ClockSkewError",
    "DeviceOfflineError",
    "DeviceUnsupportedError",
    "NotLicensedError",
    "PushTargetInUseError",
    "RateLimitedError",
    "WrongAppTypeError",
]


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
