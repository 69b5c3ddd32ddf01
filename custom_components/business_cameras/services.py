"""Services: ptz_reset, trigger_alarm and format_sd_card, targeted at devices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr

from .api.backend import Action
from .api.errors import CameraError, UnsupportedError
from .api.model import Capability, Device
from .const import CONF_CONFIRM, DOMAIN
from .entity import device_identifier

if TYPE_CHECKING:
    from . import CamerasConfigEntry

SERVICE_PTZ_RESET = "ptz_reset"
SERVICE_TRIGGER_ALARM = "trigger_alarm"
SERVICE_FORMAT_SD_CARD = "format_sd_card"
ATTR_DURATION = "duration"

_DEVICES: dict[vol.Marker, Any] = {
    vol.Required(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string])
}
SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_PTZ_RESET: vol.Schema(_DEVICES),
    SERVICE_TRIGGER_ALARM: vol.Schema(
        {**_DEVICES, vol.Optional(ATTR_DURATION): vol.All(int, vol.Range(min=1, max=600))}
    ),
    SERVICE_FORMAT_SD_CARD: vol.Schema(
        {**_DEVICES, vol.Optional(CONF_CONFIRM, default=False): bool}
    ),
}
ACTIONS = {
    SERVICE_PTZ_RESET: Action.PTZ_RESET,
    SERVICE_TRIGGER_ALARM: Action.TRIGGER_ALARM,
    SERVICE_FORMAT_SD_CARD: Action.FORMAT_SD_CARD,
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the services once, in async_setup."""

    async def _async_handle(call: ServiceCall) -> None:
        service = call.service
        if service == SERVICE_FORMAT_SD_CARD and not call.data[CONF_CONFIRM]:
            _raise_confirm_required(hass, call.data[ATTR_DEVICE_ID], service)
        kwargs: dict[str, Any] = {}
        if ATTR_DURATION in call.data:
            kwargs[ATTR_DURATION] = call.data[ATTR_DURATION]
        for device_id in call.data[ATTR_DEVICE_ID]:
            entry, device = _resolve(hass, device_id, service)
            await _async_run(entry, device, ACTIONS[service], service, kwargs)

    for service, schema in SCHEMAS.items():
        hass.services.async_register(DOMAIN, service, _async_handle, schema=schema)


def _raise_confirm_required(hass: HomeAssistant, device_ids: list[str], service: str) -> None:
    """Ask for confirmation; on an NVR channel say that the NVR's disk is what gets formatted."""
    channels = [
        device.name
        for device_id in device_ids
        if (device := _try_resolve(hass, device_id, service)) is not None
        and device.parent is not None
        and Capability.FORMAT_SD in device.capabilities
    ]
    if channels:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="confirm_required_nvr_disk",
            translation_placeholders={"devices": ", ".join(channels)},
        )
    raise ServiceValidationError(translation_domain=DOMAIN, translation_key="confirm_required")


def _try_resolve(hass: HomeAssistant, device_id: str, service: str) -> Device | None:
    try:
        return _resolve(hass, device_id, service)[1]
    except ServiceValidationError:
        return None


def _resolve(
    hass: HomeAssistant, device_id: str, service: str
) -> tuple[CamerasConfigEntry, Device]:
    registry = dr.async_get(hass)
    registry_device = registry.async_get(device_id)
    if registry_device is not None:
        # Through our entries, not DeviceEntry.config_entries (deprecated in Home Assistant 2026,
        # where a device belongs to one entry).
        entry: CamerasConfigEntry
        for entry in hass.config_entries.async_entries(DOMAIN):
            ours = dr.async_entries_for_config_entry(registry, entry.entry_id)
            if all(candidate.id != device_id for candidate in ours):
                continue
            if entry.state is not ConfigEntryState.LOADED:
                break
            coordinator = entry.runtime_data.coordinator
            for device in coordinator.devices.values():
                if device_identifier(coordinator.hub_id, device.key) in registry_device.identifiers:
                    return entry, device
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="device_not_found",
        translation_placeholders={"device_id": device_id, "service": service},
    )


async def _async_run(
    entry: CamerasConfigEntry,
    device: Device,
    action: Action,
    service: str,
    kwargs: dict[str, Any],
) -> None:
    try:
        await entry.runtime_data.backend.async_action(device, action, **kwargs)
    except UnsupportedError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_supported",
            translation_placeholders={"device": device.name, "service": service},
        ) from err
    except CameraError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="action_failed",
            translation_placeholders={"device": device.name, "error": str(err)},
        ) from err
    await entry.runtime_data.coordinator.async_request_refresh()
