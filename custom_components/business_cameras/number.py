"""Numbers: speaker and microphone volume per channel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory
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
class CamerasNumberDescription(CamerasEntityDescription, NumberEntityDescription):
    """A number backed by one writable setting."""

    value_fn: Callable[[DeviceState], float | None]
    setting: Setting
    group: StateGroup


NUMBERS: tuple[CamerasNumberDescription, ...] = (
    CamerasNumberDescription(
        key="speaker_volume",
        translation_key="speaker_volume",
        entity_category=EntityCategory.CONFIG,
        native_min_value=0,
        native_max_value=100,
        native_step=1,
        native_unit_of_measurement=PERCENTAGE,
        mode=NumberMode.SLIDER,
        supported_fn=has(Capability.AUDIO_OUTPUT),
        needs=frozenset({StateGroup.AUDIO}),
        value_fn=lambda s: None if s.audio_output is None else s.audio_output.volume,
        setting=Setting.SPEAKER_VOLUME,
        group=StateGroup.AUDIO,
    ),
    CamerasNumberDescription(
        key="microphone_volume",
        translation_key="microphone_volume",
        entity_category=EntityCategory.CONFIG,
        native_min_value=0,
        native_max_value=100,
        native_step=1,
        native_unit_of_measurement=PERCENTAGE,
        mode=NumberMode.SLIDER,
        supported_fn=has(Capability.AUDIO_INPUT),
        needs=frozenset({StateGroup.AUDIO}),
        value_fn=lambda s: None if s.audio_input is None else s.audio_input.volume,
        setting=Setting.MICROPHONE_VOLUME,
        group=StateGroup.AUDIO,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the numbers every device supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, NUMBERS, CamerasNumber))


class CamerasNumber(CamerasEntity, NumberEntity):
    """A number entity backed by one writable setting."""

    entity_description: CamerasNumberDescription

    @property
    def native_value(self) -> float | None:
        """The setting as last read."""
        state = self.device_state
        return None if state is None else self.entity_description.value_fn(state)

    async def async_set_native_value(self, value: float) -> None:
        """Write the new value."""
        description = self.entity_description
        await async_write_setting(self, description.setting, int(value), description.group)
