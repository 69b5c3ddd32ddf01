"""Diagnostics: the hub's devices, state and recent events, with every secret redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from . import CamerasConfigEntry
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
    devices = {key: asdict(device) for key, device in coordinator.devices.items()}
    for device in devices.values():
        device["capabilities"] = sorted(device["capabilities"])
    states = {key: asdict(state) for key, state in cdata.states.items()} if cdata else {}
    events = (
        {
            key: {
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
            "devices": devices,
            "states": states,
            "events": events,
        },
        TO_REDACT,
    )
