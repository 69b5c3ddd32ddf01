"""TLS for the SUNMI camera: the vendor's client certificate and the camera's pinned certificate.

The camera serves a self-signed (or private-CA) certificate and, per the seed's Postman
tutorial, expects the vendor's client certificate (``openapi.p12``): mutual TLS.

aiohttp takes either an SSLContext (needed for the client certificate) or an
``aiohttp.Fingerprint`` per request, not both. So the pin lives in the context: its
``sslobject_class`` is a subclass of ``ssl.SSLObject`` that compares the SHA-256 of the
server's certificate with the fingerprints pinned for the host right after the handshake,
before any request is written. The same check guards the message channel (asyncio streams).
A context built here never accepts an unpinned host: verification is never silently off.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import secrets
import ssl
import tempfile
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ..errors import CertificateMismatchError, ConnectError, ProtocolError
from .errors import CertificateError, CertificateNotPinnedError

_LOGGER = logging.getLogger(__name__)

MAX_P12_BYTES: Final = 1024 * 1024


def normalise_fingerprint(value: str) -> str:
    """``AA:BB:..`` or ``aabb..`` -> 64 lowercase hex digits; ValueError otherwise."""
    digits = value.replace(":", "").replace(" ", "").strip().lower()
    if len(digits) != 64 or any(char not in "0123456789abcdef" for char in digits):
        raise ValueError("a certificate fingerprint is 32 bytes of hex (SHA-256)")
    return digits


def certificate_fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate, 64 lowercase hex digits."""
    return hashlib.sha256(der).hexdigest()


def _host_key(host: str | None) -> str:
    return (host or "").strip().strip("[]").rstrip(".").lower()


class PinError(ssl.SSLCertVerificationError):
    """Raised inside the TLS handshake when the server's certificate is not the pinned one."""

    def __init__(self, expected: str, got: str) -> None:
        super().__init__(1, f"certificate fingerprint {got} is not pinned ({expected})")
        self.expected = expected
        self.got = got

    def as_camera_error(self) -> CertificateMismatchError:
        """The api-level error for this mismatch."""
        if not self.expected:
            return CertificateNotPinnedError(self.got)
        return CertificateMismatchError(self.expected, self.got)


class PinnedSSLObject(ssl.SSLObject):
    """An SSLObject that checks the peer certificate against ``pins`` after the handshake."""

    pins: ClassVar[dict[str, set[str]]] = {}
    require_pin: ClassVar[bool] = True

    def do_handshake(self) -> None:
        """Complete the handshake, then refuse a certificate that is not pinned for the host."""
        super().do_handshake()
        der = self.getpeercert(binary_form=True)
        got = certificate_fingerprint(der) if der else ""
        pinned = type(self).pins.get(_host_key(self.server_hostname))
        if pinned:
            if got not in pinned:
                raise PinError(",".join(sorted(pinned)), got)
        elif type(self).require_pin:
            raise PinError("", got)


def _install_pinning(context: ssl.SSLContext) -> type[PinnedSSLObject]:
    current = context.sslobject_class
    if isinstance(current, type) and issubclass(current, PinnedSSLObject):
        return current
    # One subclass per context: its pins belong to that context only.
    pinned: type[PinnedSSLObject] = type(
        "PinnedSSLObject", (PinnedSSLObject,), {"pins": {}, "require_pin": True}
    )
    # CERT_REQUIRED contexts (a CA was loaded) may verify hosts without a pin.
    pinned.require_pin = context.verify_mode != ssl.CERT_REQUIRED
    context.sslobject_class = pinned
    return pinned


def pin_fingerprint(context: ssl.SSLContext, host: str, fingerprint: str | None) -> None:
    """Accept the certificate with ``fingerprint`` from ``host`` on ``context`` (None: none)."""
    pins = _install_pinning(context).pins
    key = _host_key(host)
    if fingerprint is None:
        return
    pins.setdefault(key, set()).add(normalise_fingerprint(fingerprint))


def is_pinned(context: ssl.SSLContext, host: str, fingerprint: str) -> bool:
    """Whether ``fingerprint`` is pinned for ``host`` on ``context``."""
    current = context.sslobject_class
    if not (isinstance(current, type) and issubclass(current, PinnedSSLObject)):
        return False
    return normalise_fingerprint(fingerprint) in current.pins.get(_host_key(host), set())


def build_ssl_context(p12: bytes, password: str | None) -> ssl.SSLContext:
    """A client context carrying the vendor's certificate; blocking (run it in an executor).

    Raises CertificateError for a wrong password or a file that is not PKCS#12; the message
    never contains the password.
    """
    if len(p12) > MAX_P12_BYTES:
        raise CertificateError("the client certificate file is too large for a PKCS#12 file")
    secret = password.encode("utf-8") if password else None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(p12, secret)
    except (ValueError, TypeError) as err:
        # cryptography says "Invalid password or PKCS12 data"; never echo the password.
        _LOGGER.debug("openapi.p12 not loaded: %s", type(err).__name__)
        raise CertificateError(
            "the client certificate could not be opened: wrong password or not a PKCS#12 file"
        ) from None
    if key is None or cert is None:
        raise CertificateError("the client certificate file holds no key and certificate")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # The camera's certificate is self-signed: it is checked by its pinned fingerprint instead.
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # The key goes to disk only encrypted with a one-time passphrase, in a private 0600 file
    # removed at once: ssl cannot load a certificate chain from memory.
    passphrase = secrets.token_urlsafe(32).encode()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )
    pem += cert.public_bytes(serialization.Encoding.PEM)
    for extra in chain or ():
        pem += extra.public_bytes(serialization.Encoding.PEM)
    handle, path = tempfile.mkstemp(prefix="sunmi-", suffix=".pem")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pem)
        context.load_cert_chain(path, password=passphrase)
    except ssl.SSLError as err:
        raise CertificateError(
            f"the client certificate was refused by OpenSSL ({err.reason})"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    _install_pinning(context)
    return context


def ssl_context_loader(p12: bytes, password: str | None) -> Callable[[], ssl.SSLContext]:
    """A no-argument function building the context, to hand to an executor."""
    return partial(build_ssl_context, p12, password)


def describe_tls_error(err: BaseException) -> str:
    """A short description of a TLS/socket error, without secrets."""
    reason = getattr(err, "reason", None)
    if isinstance(err, ssl.SSLError) and isinstance(reason, str):
        return f"{type(err).__name__}: {reason}"
    if isinstance(err, OSError) and err.strerror:
        return f"{type(err).__name__}: {err.strerror}"
    return type(err).__name__


def pin_error_of(err: BaseException) -> PinError | None:
    """The PinError behind ``err`` (aiohttp wraps it in ClientConnectorCertificateError)."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, PinError):
            return current
        seen.add(id(current))
        inner: Any = getattr(current, "certificate_error", None) or getattr(
            current, "os_error", None
        )
        current = inner if isinstance(inner, BaseException) else current.__cause__
    return None


async def fetch_server_fingerprint(
    host: str,
    port: int,
    ssl_context: ssl.SSLContext,
    timeout: float = 10.0,  # noqa: ASYNC109 - the config flow passes it explicitly
) -> str:
    """Connect once, only to read the camera's certificate: its SHA-256 in lowercase hex.

    Uses ``ssl_context`` so a camera that insists on the client certificate completes the
    handshake; nothing is sent. A pin mismatch is not an error here: it reports what it saw.
    """
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(
                host, port, ssl=ssl_context, server_hostname=host
            )
            ssl_object = writer.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
    except TimeoutError:
        raise ConnectError(f"{host}:{port}: no TLS handshake within {timeout} s") from None
    except (OSError, ssl.SSLError) as err:
        pin = pin_error_of(err)
        if pin is not None and pin.got:
            return pin.got
        raise ConnectError(f"{host}:{port}: {describe_tls_error(err)}") from None
    finally:
        if writer is not None:
            await close_writer(writer)
    if not der:
        raise ProtocolError(f"{host}:{port}: the server presented no certificate")
    return certificate_fingerprint(der)


async def close_writer(writer: asyncio.StreamWriter, timeout: float = 1.0) -> None:  # noqa: ASYNC109
    """Close a stream without waiting long for a TLS close_notify; never raises."""
    writer.close()
    try:
        async with asyncio.timeout(timeout):
            await writer.wait_closed()
    except (OSError, ssl.SSLError, TimeoutError):
        pass
