"""Diagnostics: the hub's devices, state and recent events, with every secret redacted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from . import CamerasConfigEntry
from .api.model import Device
from .const import (
    CONF_ACCESS_KEY,
    CONF_FINGERPRINT,
    CONF_HUB_ID,
    CONF_LOCAL_STREAMS,
    CONF_TERMINAL_ID,
    CONF_WEBHOOK_ID,
)

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_HOST,
    CONF_FINGERPRINT,
    CONF_HUB_ID,
    CONF_WEBHOOK_ID,
    CONF_ACCESS_KEY,
    CONF_TERMINAL_ID,
    CONF_LOCAL_STREAMS,  # RTSP URLs carry the cameras' passwords
    "ca_pem",
    "qr_code",
    "serial",
    "mac",
    "ip",
    "host",
    "url",
    "token",
    "access_token",
    "refresh_token",
    "secret_key",
    "app_id",
    "certificate_data",
    "certificate_password",
    "activation_code",
    "sn",
    "face_id",
    "cloud_face_id",
    "dev_id",
    "nvr_id",
    "device_id",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: CamerasConfigEntry
) -> dict[str, Any]:
    """Everything a bug report needs, nothing that identifies or unlocks the device."""
    data = entry.runtime_data
    coordinator = data.coordinator
    cdata = coordinator.data
    aliases = _key_aliases(coordinator.devices)

    def alias(key: str | None) -> str | None:
        return None if key is None else aliases.get(key, key)

    devices: dict[str | None, dict[str, Any]] = {}
    for key, device in coordinator.devices.items():
        described = asdict(device)
        described["key"] = alias(key)
        described["parent"] = alias(device.parent)
        described["capabilities"] = sorted(described["capabilities"])
        devices[alias(key)] = described
    states = {alias(key): asdict(state) for key, state in cdata.states.items()} if cdata else {}
    events = (
        {
            alias(key): {
                kind.value: {
                    "time": event.time.isoformat(),
                    "vendor_type": event.vendor_type,
                    "attributes": event.attributes,
                    "has_image": event.image is not None,
                }
                for kind, event in by_type.items()
            }
            for key, by_type in cdata.events.items()
        }
        if cdata
        else {}
    )
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "push": None
            if data.push is None
            else {"received": data.push.received, "rejected": data.push.rejected},
            "polled_groups": sorted(coordinator.needed_groups),
            "backend": _backend_diagnostics(data.backend),
            "devices": devices,
            "states": states,
            "events": events,
        },
        TO_REDACT,
    )


def _backend_diagnostics(backend: object) -> dict[str, Any] | None:
    """A platform's own summary where its backend offers one (TUMS does)."""
    summary = getattr(backend, "diagnostics", None)
    return summary() if callable(summary) else None


def _key_aliases(devices: Mapping[str, Device]) -> dict[str, str]:
    """``device_<n>`` for the keys that hold a serial, device code or MAC (TUMS, SUNMI).

    Aliases keep the structure (which channel belongs to which hub) without the identity;
    keys such as ``ch1`` stay as they are.
    """
    identifiers = {
        value.upper()
        for device in devices.values()
        for value in (device.serial, device.mac, device.mac and device.mac.replace(":", "-"))
        if value
    }
    identifying = [
        key for key in sorted(devices) if any(found in key.upper() for found in identifiers)
    ]
    return {key: f"device_{n}" for n, key in enumerate(identifying, start=1)}
