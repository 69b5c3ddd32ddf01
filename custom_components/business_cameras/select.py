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
    """A main-stream value as the option string it is offered as."""
    main = state.streams.get("main")
    value = None if main is None else getattr(main, attr)
    return None if value is None else str(value)


def _main_stream(
    key: str, choices: str, attr: str, setting: Setting, *, tuning: bool = False
) -> CamerasSelectDescription:
    """A main-stream setting offered with the model's ``choices`` (a Device field).

    ``tuning`` ones (frame rate, bitrate and its type) are disabled by default; numeric
    choices are written back as ints.
    """

    def offered(device: Device) -> list[str]:
        return [str(choice) for choice in getattr(device, choices)]

    numeric = setting in (Setting.MAIN_FRAME_RATE, Setting.MAIN_BITRATE)
    return CamerasSelectDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=not tuning,
        supported_fn=lambda device: Capability.STREAM_SETTINGS in device.capabilities
        and bool(getattr(device, choices)),
        needs=frozenset({StateGroup.STREAMS}),
        options_fn=offered,
        value_fn=lambda state: _main_str(state, attr),
        setting=setting,
        group=StateGroup.STREAMS,
        to_value=int if numeric else (lambda option: option),
    )


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
    _main_stream("main_resolution", "resolutions", "resolution", Setting.MAIN_RESOLUTION),
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
    _main_stream("main_encoding", "encodings", "encoding", Setting.MAIN_ENCODING),
    _main_stream(
        "main_frame_rate", "frame_rates", "frame_rate", Setting.MAIN_FRAME_RATE, tuning=True
    ),
    _main_stream("main_bitrate", "bitrates", "bitrate_kbps", Setting.MAIN_BITRATE, tuning=True),
    _main_stream(
        "main_bitrate_type", "bitrate_types", "bitrate_type", Setting.MAIN_BITRATE_TYPE, tuning=True
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
