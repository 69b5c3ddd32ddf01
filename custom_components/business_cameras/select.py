"""Selects: time source, night vision, main-stream encoding, rotation and picture flip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
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
class CamerasSelectDescription(CamerasEntityDescription, SelectEntityDescription):
    """A select backed by one writable setting."""

    value_fn: Callable[[DeviceState], str | None]
    setting: Setting
    group: StateGroup
    # Options that depend on the model (rotation angles, IR modes); None keeps ``options``.
    options_fn: Callable[[Device], list[str]] | None = None
    to_value: Callable[[str], Any] = lambda option: option


def _main_str(state: DeviceState, attr: str) -> str | None:
    """A main-stream number as the option string it is offered as."""
    main = state.streams.get("main")
    value = None if main is None else getattr(main, attr)
    return None if value is None else str(value)


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
    CamerasSelectDescription(
        key="ir_mode",
        translation_key="ir_mode",
        entity_category=EntityCategory.CONFIG,
        supported_fn=lambda device: Capability.IR_MODE in device.capabilities
        and bool(device.ir_modes),
        needs=frozenset({StateGroup.IMAGE}),
        options_fn=lambda device: list(device.ir_modes),
        value_fn=lambda s: s.ir_mode,
        setting=Setting.IR_MODE,
        group=StateGroup.IMAGE,
    ),
    CamerasSelectDescription(
        key="main_resolution",
        translation_key="main_resolution",
        entity_category=EntityCategory.CONFIG,
        supported_fn=lambda device: Capability.STREAM_SETTINGS in device.capabilities
        and bool(device.resolutions),
        needs=frozenset({StateGroup.STREAMS}),
        options_fn=lambda device: list(device.resolutions),
        value_fn=lambda s: None if (main := s.streams.get("main")) is None else main.resolution,
        setting=Setting.MAIN_RESOLUTION,
        group=StateGroup.STREAMS,
    ),
    CamerasSelectDescription(
        key="rotation",
        translation_key="rotation",
        entity_category=EntityCategory.CONFIG,
        supported_fn=lambda device: Capability.ROTATION in device.capabilities
        and bool(device.rotation_options),
        needs=frozenset({StateGroup.IMAGE}),
        options_fn=lambda device: [str(angle) for angle in device.rotation_options],
        value_fn=lambda s: None if s.rotation is None else str(s.rotation),
        setting=Setting.ROTATION,
        group=StateGroup.IMAGE,
        to_value=int,
    ),
    CamerasSelectDescription(
        key="main_encoding",
        translation_key="main_encoding",
        entity_category=EntityCategory.CONFIG,
        supported_fn=lambda device: Capability.STREAM_SETTINGS in device.capabilities
        and bool(device.encodings),
        needs=frozenset({StateGroup.STREAMS}),
        options_fn=lambda device: list(device.encodings),
        value_fn=lambda s: None if (main := s.streams.get("main")) is None else main.encoding,
        setting=Setting.MAIN_ENCODING,
        group=StateGroup.STREAMS,
    ),
    CamerasSelectDescription(
        key="main_frame_rate",
        translation_key="main_frame_rate",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        supported_fn=lambda device: Capability.STREAM_SETTINGS in device.capabilities
        and bool(device.frame_rates),
        needs=frozenset({StateGroup.STREAMS}),
        options_fn=lambda device: [str(fps) for fps in device.frame_rates],
        value_fn=lambda s: _main_str(s, "frame_rate"),
        setting=Setting.MAIN_FRAME_RATE,
        group=StateGroup.STREAMS,
        to_value=int,
    ),
    CamerasSelectDescription(
        key="main_bitrate",
        translation_key="main_bitrate",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        supported_fn=lambda device: Capability.STREAM_SETTINGS in device.capabilities
        and bool(device.bitrates),
        needs=frozenset({StateGroup.STREAMS}),
        options_fn=lambda device: [str(kbps) for kbps in device.bitrates],
        value_fn=lambda s: _main_str(s, "bitrate_kbps"),
        setting=Setting.MAIN_BITRATE,
        group=StateGroup.STREAMS,
        to_value=int,
    ),
    CamerasSelectDescription(
        key="main_bitrate_type",
        translation_key="main_bitrate_type",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        supported_fn=lambda device: Capability.STREAM_SETTINGS in device.capabilities
        and bool(device.bitrate_types),
        needs=frozenset({StateGroup.STREAMS}),
        options_fn=lambda device: list(device.bitrate_types),
        value_fn=lambda s: None if (main := s.streams.get("main")) is None else main.bitrate_type,
        setting=Setting.MAIN_BITRATE_TYPE,
        group=StateGroup.STREAMS,
    ),
    CamerasSelectDescription(
        key="image_flip",
        translation_key="image_flip",
        entity_category=EntityCategory.CONFIG,
        supported_fn=lambda device: Capability.IMAGE_ADJUST in device.capabilities
        and bool(device.flip_modes),
        needs=frozenset({StateGroup.IMAGE}),
        options_fn=lambda device: list(device.flip_modes),
        value_fn=lambda s: None if s.image is None else s.image.flip,
        setting=Setting.IMAGE_FLIP,
        group=StateGroup.IMAGE,
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

    def __init__(
        self,
        coordinator: CamerasCoordinator,
        device: Device,
        description: CamerasSelectDescription,
        index: int | None,
    ) -> None:
        """Take the model's own options where it restricts them."""
        super().__init__(coordinator, device, description, index)
        if description.options_fn is not None:
            self._attr_options = description.options_fn(device)

    @property
    def current_option(self) -> str | None:
        """The option as last read."""
        state = self.device_state
        return None if state is None else self.entity_description.value_fn(state)

    async def async_select_option(self, option: str) -> None:
        """Write the chosen option."""
        description = self.entity_description
        await async_write_setting(
            self, description.setting, description.to_value(option), description.group
        )
