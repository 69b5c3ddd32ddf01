"""Buttons: manual alarm, PTZ origin, focus, clock sync, solar load restart, reboot."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.backend import Action
from .api.errors import CameraError
from .api.model import Capability
from .const import DOMAIN
from .entity import CamerasEntity, CamerasEntityDescription, build_entities, has

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class CamerasButtonDescription(CamerasEntityDescription, ButtonEntityDescription):
    """A button running one backend action."""

    action: Action


BUTTONS: tuple[CamerasButtonDescription, ...] = (
    CamerasButtonDescription(
        key="manual_alarm",
        translation_key="manual_alarm",
        supported_fn=has(Capability.MANUAL_ALARM),
        action=Action.TRIGGER_ALARM,
    ),
    CamerasButtonDescription(
        key="ptz_reset",
        translation_key="ptz_reset",
        supported_fn=has(Capability.PTZ_RESET),
        action=Action.PTZ_RESET,
    ),
    CamerasButtonDescription(
        key="auto_focus",
        translation_key="auto_focus",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.AUTO_FOCUS),
        action=Action.AUTO_FOCUS,
    ),
    CamerasButtonDescription(
        key="reset_zoom_focus",
        translation_key="reset_zoom_focus",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.ZOOM),
        action=Action.RESET_ZOOM_FOCUS,
    ),
    CamerasButtonDescription(
        key="sync_clock",
        translation_key="sync_clock",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.SYNC_CLOCK),
        action=Action.SYNC_CLOCK,
    ),
    CamerasButtonDescription(
        key="restart_solar_load",
        translation_key="restart_solar_load",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        # Power-cycles whatever the load feeds (often a camera): never one click by accident.
        entity_registry_enabled_default=False,
        supported_fn=has(Capability.SOLAR_LOAD_RESTART),
        device_index_fn=lambda device: device.solar_loads,
        action=Action.RESTART_SOLAR_LOAD,
    ),
    CamerasButtonDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        supported_fn=has(Capability.REBOOT),
        action=Action.REBOOT,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons every device supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, BUTTONS, CamerasButton))


class CamerasButton(CamerasEntity, ButtonEntity):
    """Runs its action on press."""

    entity_description: CamerasButtonDescription

    async def async_press(self) -> None:
        """Run the action."""
        action = self.entity_description.action
        extra = {} if self._index is None else {"index": self._index}
        try:
            await self.coordinator.backend.async_action(self.device, action, **extra)
        except CameraError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="action_failed",
                translation_placeholders={"device": self.device.name, "error": str(err)},
            ) from err
