"""SUNMI IP cameras (Store Sense SS/FM010, Face Sense FS/FM020): local OpenAPI over mTLS."""

from .backend import SunmiBackend, model_family, model_label
from .client import DEFAULT_PORT, SunmiClient
from .codec import CHANNEL_PORT, DISCOVERY_PORT
from .discovery import DiscoveredCamera, broadcast_targets, discover
from .errors import CertificateError, CertificateNotPinnedError, NotActivatedError
from .push import MessageChannel, parse_http_push, to_events
from .tls import build_ssl_context, fetch_server_fingerprint, ssl_context_loader

__all__ = [
    "CHANNEL_PORT",
    "DEFAULT_PORT",
    "DISCOVERY_PORT",
    "CertificateError",
    "CertificateNotPinnedError",
    "DiscoveredCamera",
    "MessageChannel",
    "NotActivatedError",
    "SunmiBackend",
    "SunmiClient",
    "broadcast_targets",
    "build_ssl_context",
    "discover",
    "fetch_server_fingerprint",
    "model_family",
    "model_label",
    "parse_http_push",
    "ssl_context_loader",
    "to_events",
]
