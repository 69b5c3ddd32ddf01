"""Constants for the Business Cameras integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "business_cameras"
MANUFACTURER_TPLINK: Final = "TP-Link"

CONF_PLATFORM: Final = "platform"
CONF_FINGERPRINT: Final = "fingerprint"
CONF_HUB_ID: Final = "hub_id"
CONF_WEBHOOK_ID: Final = "webhook_id"
CONF_SCAN_INTERVAL: Final = "scan_interval"
CONF_STREAM: Final = "stream"
CONF_CONFIRM: Final = "confirm"
CONF_PUSH_METHOD: Final = "push_method"

PLATFORM_VIGI: Final = "vigi"
PLATFORM_SUNMI: Final = "sunmi"

CONF_APP_ID: Final = "app_id"
CONF_SECRET_KEY: Final = "secret_key"  # noqa: S105 - a field name
CONF_CERTIFICATE: Final = "certificate"  # the uploaded openapi.p12 (a file id in the form)
CONF_CERTIFICATE_DATA: Final = "certificate_data"  # the same file, base64, in the entry
CONF_CERTIFICATE_PASSWORD: Final = "certificate_password"  # noqa: S105 - a field name
CONF_ACTIVATION_CODE: Final = "activation_code"
CONF_SN: Final = "sn"
CONF_MODEL: Final = "model"
DEFAULT_SUNMI_PORT: Final = 443
DEFAULT_SUNMI_CHANNEL_PORT: Final = 10021
# How often the background scan looks for SUNMI cameras after the one at start-up.
DISCOVERY_INTERVAL: Final = timedelta(minutes=15)

DEFAULT_VIGI_PORT: Final = 20443
DEFAULT_SCAN_INTERVAL: Final = 60
MIN_SCAN_INTERVAL: Final = 10
MAX_SCAN_INTERVAL: Final = 3600
STREAM_MAIN: Final = "main"
STREAM_SUB: Final = "sub"

# One-shot events keep their binary_sensor on this long after the last push.
EVENT_OFF_DELAY: Final = timedelta(seconds=30)
# Largest push body accepted by the webhook (JSON plus a few JPEGs).
MAX_PUSH_BYTES: Final = 4 * 1024 * 1024

ISSUE_CERTIFICATE_CHANGED: Final = "certificate_changed"
ISSUE_ACCOUNT_LOCKED: Final = "account_locked"
ISSUE_PUSH_UNAVAILABLE: Final = "push_unavailable"

PLATFORM_TUMS: Final = "tums"
CONF_ACCESS_KEY: Final = "access_key"
CONF_BASE_URL: Final = "base_url"
CONF_APP_TYPE: Final = "app_type"
CONF_TERMINAL_ID: Final = "terminal_id"
CONF_CA_FILE: Final = "ca_file"  # a PEM file on the Home Assistant host (form field only)
CONF_CA_PEM: Final = "ca_pem"  # that file's certificates, kept in the entry
APP_TYPE_AUTO: Final = "auto"
# Options of a TUMS entry: sign with short-lived keys minted from the stored pair (1.4.1.1);
# device key -> an RTSP URL of the camera on the local network (the cloud has no stream).
CONF_TEMPORARY_CREDENTIALS: Final = "temporary_credentials"
CONF_LOCAL_STREAMS: Final = "local_streams"
CONF_DEVICE: Final = "device"
CONF_STREAM_URL: Final = "stream_url"
LOCAL_STREAM_SCHEMES: Final = ("rtsp", "rtsps")
# Platforms whose events come from a cloud: push needs an external URL and is opt-in.
CLOUD_PUSH_PLATFORMS: Final = frozenset({PLATFORM_TUMS})
# After a rate limit the next poll waits at least this long (the cloud names no number).
RATE_LIMIT_BACKOFF: Final = timedelta(minutes=2)

ISSUE_NOT_LICENSED: Final = "device_not_licensed"
ISSUE_CLOCK_SKEW: Final = "clock_skew"
