"""Numbers: volumes, face analysis time, lens position and picture adjustments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.backend import Setting
from .api.model import Capability, Device, DeviceState, StateGroup
from .coordinator import CamerasCoordinator
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
    # The model's own upper bound (lens ranges); None keeps native_max_value.
    max_fn: Callable[[Device], float | None] | None = None


def _picture(key: str, setting: Setting) -> CamerasNumberDescription:
    """A 0..100 picture adjustment; disabled by default (set once, rarely changed)."""
    return CamerasNumberDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        native_min_value=0,
        native_max_value=100,
        native_step=1,
        mode=NumberMode.SLIDER,
        supported_fn=has(Capability.IMAGE_ADJUST),
        needs=frozenset({StateGroup.IMAGE}),
        value_fn=lambda s: None if s.image is None else getattr(s.image, key),
        setting=setting,
        group=StateGroup.IMAGE,
    )


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
    CamerasNumberDescription(
        key="face_optimize_seconds",
        translation_key="face_optimize_seconds",
        entity_category=EntityCategory.CONFIG,
        native_min_value=1,
        native_max_value=6,
        native_step=1,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        supported_fn=has(Capability.FACE_RECOGNITION),
        needs=frozenset({StateGroup.FACE_SETTINGS}),
        value_fn=lambda s: s.face_optimize_seconds,
        setting=Setting.FACE_OPTIMIZE_SECONDS,
        group=StateGroup.FACE_SETTINGS,
    ),
    CamerasNumberDescription(
        key="zoom",
        translation_key="zoom",
        entity_category=EntityCategory.CONFIG,
        native_min_value=0,
        native_max_value=500,
        native_step=1,
        mode=NumberMode.SLIDER,
        supported_fn=has(Capability.ZOOM),
        needs=frozenset({StateGroup.ZOOM_FOCUS}),
        value_fn=lambda s: s.zoom,
        max_fn=lambda device: device.zoom_max,
        setting=Setting.ZOOM,
        group=StateGroup.ZOOM_FOCUS,
    ),
    CamerasNumberDescription(
        key="focus",
        translation_key="focus",
        entity_category=EntityCategory.CONFIG,
        native_min_value=0,
        native_max_value=500,
        native_step=1,
        mode=NumberMode.SLIDER,
        supported_fn=has(Capability.FOCUS),
        needs=frozenset({StateGroup.ZOOM_FOCUS}),
        value_fn=lambda s: s.focus,
        max_fn=lambda device: device.focus_max,
        setting=Setting.FOCUS,
        group=StateGroup.ZOOM_FOCUS,
    ),
    _picture("brightness", Setting.BRIGHTNESS),
    _picture("contrast", Setting.CONTRAST),
    _picture("saturation", Setting.SATURATION),
    _picture("sharpness", Setting.SHARPNESS),
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

    def __init__(
        self,
        coordinator: CamerasCoordinator,
        device: Device,
        description: CamerasNumberDescription,
        index: int | None,
    ) -> None:
        """Take the model's own range where it reports one."""
        super().__init__(coordinator, device, description, index)
        if description.max_fn is not None and (maximum := description.max_fn(device)):
            self._attr_native_max_value = maximum

    @property
    def native_value(self) -> float | None:
        """The setting as last read."""
        state = self.device_state
        return None if state is None else self.entity_description.value_fn(state)

    async def async_set_native_value(self, value: float) -> None:
        """Write the new value."""
        description = self.entity_description
        await async_write_setting(self, description.setting, int(value), description.group)
