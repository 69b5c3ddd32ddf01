"""Business Cameras: SUNMI, TP-Link VIGI and TUMS, BVCSP and PTZ CGI cameras in Home Assistant."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .api.backend import Backend
from .backends import async_create_backend
from .capability_store import CapabilityStore, async_remove_store
from .const import CONF_PLATFORM, DOMAIN, PLATFORM_TUMS
from .coordinator import CamerasCoordinator
from .discovery import async_start_discovery
from .entity import async_register_devices, device_identifier
from .push import ChannelLink, PushLink, async_start_push
from .services import async_setup_services

_LOGGER = logging.getLogger(__name__)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.UPDATE,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


@dataclass(slots=True)
class CamerasRuntimeData:
    """What a loaded entry holds."""

    backend: Backend
    coordinator: CamerasCoordinator
    push: PushLink | ChannelLink | None = None
    capabilities: CapabilityStore | None = None


type CamerasConfigEntry = ConfigEntry[CamerasRuntimeData]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services once and start looking for SUNMI cameras."""
    async_setup_services(hass)
    async_start_discovery(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: CamerasConfigEntry) -> bool:
    """Connect to the hub, read its devices and start push."""
    capabilities: CapabilityStore | None = None
    if entry.data.get(CONF_PLATFORM) == PLATFORM_TUMS:
        capabilities = CapabilityStore(hass, entry.entry_id)
        await capabilities.async_load()
    backend = await async_create_backend(
        hass, entry, capability_cache=capabilities.cache if capabilities else None
    )
    coordinator = CamerasCoordinator(hass, entry, backend)
    try:
        await coordinator.async_config_entry_first_refresh()
    except Exception:
        await backend.async_close()
        raise
    entry.runtime_data = CamerasRuntimeData(
        backend=backend, coordinator=coordinator, capabilities=capabilities
    )
    if capabilities is not None:
        capabilities.async_schedule_save()
        # Later device-list rescans, firmware reads and upgrades change the cache too.
        entry.async_on_unload(coordinator.async_add_listener(capabilities.async_schedule_save))
    _async_remove_stale_devices(hass, entry, coordinator)
    entry.runtime_data.push = await async_start_push(hass, entry, coordinator)
    async_register_devices(hass, entry.entry_id, coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await coordinator.async_refresh_if_due()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: CamerasConfigEntry) -> bool:
    """Stop push (removing what was registered on the device) and unload the platforms."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        data = entry.runtime_data
        if data.push is not None:
            await data.push.async_stop()
        await data.backend.async_close()
        if data.capabilities is not None:
            await data.capabilities.async_flush()
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: CamerasConfigEntry) -> None:
    """Delete what the entry stored besides its data: the TUMS capability cache."""
    # Every platform: a missing file is no error, and the entry's data may be incomplete.
    await async_remove_store(hass, entry.entry_id)


@callback
def _async_remove_stale_devices(
    hass: HomeAssistant, entry: CamerasConfigEntry, coordinator: CamerasCoordinator
) -> None:
    """Forget devices (channels) the hub no longer has."""
    current = {device_identifier(coordinator.hub_id, key) for key in coordinator.devices}
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & current:
            # Not remove_config_entry_id: Home Assistant 2026 reports it (a device belongs to one
            # entry there).
            registry.async_remove_device(device.id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: CamerasConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device only when the hub no longer has it."""
    coordinator = entry.runtime_data.coordinator
    current = {device_identifier(coordinator.hub_id, key) for key in coordinator.devices}
    return not device.identifiers & current
