"""TLS for a TUMS server: the public cloud's certificate chain, or a CA the user gave."""

from __future__ import annotations

import ssl
from pathlib import Path


def read_ca_file(path: str) -> str:
    """The PEM certificates in ``path``; ValueError when there are none (blocking: executor)."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot read {path}") from err
    build_context(text)  # raises ValueError for anything that is not a certificate
    return text


def build_context(ca_pem: str | None) -> ssl.SSLContext | None:
    """A context trusting ``ca_pem`` (an on-premise TUMS or a simulator); None = system CAs."""
    if not ca_pem:
        return None
    try:
        return ssl.create_default_context(cadata=ca_pem)
    except ssl.SSLError as err:
        raise ValueError("not a PEM certificate") from err
