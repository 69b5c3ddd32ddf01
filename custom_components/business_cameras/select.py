"""Selects: the hub's time source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.backend import Setting
from .api.model import Capability, DeviceState, StateGroup
from .entity import (
    CamerasEntity,
    CamerasEntityDescription,
    async_write_setting,
    build_entities,
    has,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class CamerasSelectDescription(CamerasEntityDescription, SelectEntityDescription):
    """A select backed by one writable setting."""

    value_fn: Callable[[DeviceState], str | None]
    setting: Setting
    group: StateGroup


SELECTS: tuple[CamerasSelectDescription, ...] = (
    CamerasSelectDescription(
        key="timing_mode",
        translation_key="timing_mode",
        entity_category=EntityCategory.CONFIG,
        options=["ntp", "manual"],
        supported_fn=has(Capability.TIMING),
        needs=frozenset({StateGroup.TIMING}),
        value_fn=lambda s: s.timing_mode,
        setting=Setting.TIMING_MODE,
        group=StateGroup.TIMING,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects every device supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, SELECTS, CamerasSelect))


class CamerasSelect(CamerasEntity, SelectEntity):
    """A select entity backed by one writable setting."""

    entity_description: CamerasSelectDescription

    @property
    def current_option(self) -> str | None:
        """The option as last read."""
        state = self.device_state
        return None if state is None else self.entity_description.value_fn(state)

    async def async_select_option(self, option: str) -> None:
        """Write the chosen option."""
        description = self.entity_description
        await async_write_setting(self, description.setting, option, description.group)
