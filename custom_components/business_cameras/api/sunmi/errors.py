"""Typed errors of the SUNMI client beyond the shared ones in ``api/errors.py``.

Messages never carry the secret key, the activation code or the certificate password.
"""

from __future__ import annotations

from ..errors import ApiError, AuthError, CertificateMismatchError, ProtocolError


class NotActivatedError(ApiError):
    """The camera is not activated yet (vendor code 5): call ``activate`` first."""


class CertificateError(AuthError):
    """The vendor's client certificate (``openapi.p12``) cannot be used.

    A wrong password or a file that is not PKCS#12: the user has to supply it again, so this is
    an AuthError (Home Assistant starts a re-authentication).
    """

    def __init__(self, message: str) -> None:
        super().__init__(-1, message, "openapi.p12")


class CertificateNotPinnedError(CertificateMismatchError):
    """The camera presented a certificate, but no fingerprint was pinned to compare it with.

    ``got`` is the fingerprint seen, so a configuration step can show it for confirmation.
    """

    def __init__(self, got: str) -> None:
        super().__init__("(none pinned)", got)


class FrameError(ProtocolError):
    """A binary frame (discovery datagram or message-channel frame) is malformed."""


class BadFlagError(FrameError):
    """The frame does not start with the expected flag."""


class BadCrcError(FrameError):
    """The frame's CRC-32 matches none of the accepted variants."""


class TruncatedError(FrameError):
    """The frame ends before its header, payload or CRC is complete."""


class BadPayloadError(FrameError):
    """The frame is intact but its payload is not the expected JSON (or base64)."""
