"""TP-Link VIGI NVR local OpenAPI (document V1.0, with the V1.3/V1.4 additions)."""

from .backend import VigiBackend
from .client import DEFAULT_PORT, VigiClient, fetch_certificate_fingerprint

__all__ = ["DEFAULT_PORT", "VigiBackend", "VigiClient", "fetch_certificate_fingerprint"]
