"""Device registry lookups that work on every Home Assistant release we test with."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr


def device_by_identifier(hass: HomeAssistant, identifier: tuple[str, str]) -> dr.DeviceEntry | None:
    """The device holding ``identifier``.

    DeviceRegistry.async_get_device(identifiers=...) is deprecated from Home Assistant 2026
    (identifiers are no longer unique across config entries), and so is using
    DeviceRegistry.devices as a mapping; going through the config entries works on both.
    """
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries():
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if identifier in device.identifiers:
                return device
    return None
