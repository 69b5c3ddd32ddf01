"""Firmware update: the newest version the platform knows, installed on request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.backend import Action
from .api.errors import CameraError
from .api.model import Capability, StateGroup
from .const import DOMAIN
from .entity import CamerasEntity, CamerasEntityDescription, build_entities, has

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class CamerasUpdateDescription(CamerasEntityDescription, UpdateEntityDescription):
    """The firmware of a device."""


UPDATES: tuple[CamerasUpdateDescription, ...] = (
    CamerasUpdateDescription(
        key="firmware_update",
        translation_key="firmware_update",
        device_class=UpdateDeviceClass.FIRMWARE,
        supported_fn=has(Capability.FIRMWARE_UPDATE),
        needs=frozenset({StateGroup.INFO}),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a firmware update entity to every device that can be upgraded online."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, UPDATES, CamerasUpdate))


class CamerasUpdate(CamerasEntity, UpdateEntity):
    """Installed and newest firmware; install runs the platform's online upgrade."""

    entity_description: CamerasUpdateDescription
    _attr_supported_features = UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS

    @property
    def installed_version(self) -> str | None:
        """The running firmware."""
        state = self.device_state
        return None if state is None else state.firmware

    @property
    def latest_version(self) -> str | None:
        """The newest firmware the platform offers (the installed one when none is newer)."""
        state = self.device_state
        return None if state is None else state.firmware_latest

    @property
    def in_progress(self) -> bool | None:
        """True while the device downloads or installs."""
        state = self.device_state
        return None if state is None else bool(state.firmware_installing)

    @property
    def update_percentage(self) -> int | None:
        """Download and install progress where the platform reports it."""
        state = self.device_state
        return None if state is None or not state.firmware_installing else state.firmware_progress

    async def async_install(self, version: str | None, backup: bool, **kwargs: Any) -> None:
        """Start the online upgrade, then read the progress at once."""
        try:
            await self.coordinator.backend.async_action(self.device, Action.UPDATE_FIRMWARE)
        except CameraError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="action_failed",
                translation_placeholders={"device": self.device.name, "error": str(err)},
            ) from err
        await self.coordinator.async_refresh_after_write(StateGroup.INFO)
