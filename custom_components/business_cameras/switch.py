"""Switches: audio, detection, alarm input/output, recording, OSD and PoE port power.

Settings a platform can write but never read back are optimistic: the switch shows the
last value written (restored across restarts) and says so with ``assumed_state``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import STATE_OFF, STATE_ON, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

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
class CamerasSwitchDescription(CamerasEntityDescription, SwitchEntityDescription):
    """A switch: read with value_fn, written as ``setting`` with value_to_write(on, index)."""

    value_fn: Callable[[DeviceState, int | None], bool | None]
    setting: Setting
    group: StateGroup
    value_to_write: Callable[[bool, int | None], Any] = lambda on, _index: on


_AUDIO = frozenset({StateGroup.AUDIO})


def _port_enabled(state: DeviceState, index: int | None) -> bool | None:
    port = next((p for p in state.poe_ports or () if p.port == index), None)
    return None if port is None else port.enabled


def _unread(key: str, capability: Capability, setting: Setting) -> CamerasSwitchDescription:
    """A setting no platform reads back (so it is optimistic), disabled by default."""
    return CamerasSwitchDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        supported_fn=has(capability),
        value_fn=lambda _s, _i: None,
        setting=setting,
        group=StateGroup.DETECTION,
    )


SWITCHES: tuple[CamerasSwitchDescription, ...] = (
    CamerasSwitchDescription(
        key="status_led",
        translation_key="status_led",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.STATUS_LED),
        needs=frozenset({StateGroup.LED}),
        value_fn=lambda s, _i: s.status_led,
        setting=Setting.STATUS_LED,
        group=StateGroup.LED,
    ),
    CamerasSwitchDescription(
        key="motion_detection",
        translation_key="motion_detection",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.MOTION_DETECTION),
        needs=frozenset({StateGroup.DETECTION}),
        value_fn=lambda s, _i: s.motion_detection,
        setting=Setting.MOTION_DETECTION,
        group=StateGroup.DETECTION,
    ),
    CamerasSwitchDescription(
        key="speaker_mute",
        translation_key="speaker_mute",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.AUDIO_OUTPUT),
        needs=_AUDIO,
        value_fn=lambda s, _i: None if s.audio_output is None else s.audio_output.muted,
        setting=Setting.SPEAKER_MUTE,
        group=StateGroup.AUDIO,
    ),
    CamerasSwitchDescription(
        key="microphone_mute",
        translation_key="microphone_mute",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.AUDIO_INPUT),
        needs=_AUDIO,
        value_fn=lambda s, _i: None if s.audio_input is None else s.audio_input.muted,
        setting=Setting.MICROPHONE_MUTE,
        group=StateGroup.AUDIO,
    ),
    CamerasSwitchDescription(
        key="noise_cancelling",
        translation_key="noise_cancelling",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.AUDIO_INPUT),
        needs=_AUDIO,
        value_fn=lambda s, _i: None if s.audio_input is None else s.audio_input.noise_cancelling,
        setting=Setting.NOISE_CANCELLING,
        group=StateGroup.AUDIO,
    ),
    CamerasSwitchDescription(
        key="loop_recording",
        translation_key="loop_recording",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.LOOP_RECORDING),
        needs=frozenset({StateGroup.RECORDING}),
        value_fn=lambda s, _i: s.loop_recording,
        setting=Setting.LOOP_RECORDING,
        group=StateGroup.RECORDING,
    ),
    CamerasSwitchDescription(
        key="scheduled_reboot",
        translation_key="scheduled_reboot",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        supported_fn=has(Capability.SCHEDULED_REBOOT),
        needs=frozenset({StateGroup.SCHEDULE}),
        value_fn=lambda s, _i: s.scheduled_reboot,
        setting=Setting.SCHEDULED_REBOOT,
        group=StateGroup.SCHEDULE,
    ),
    CamerasSwitchDescription(
        key="channel_push",
        translation_key="channel_push",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.CHANNEL_PUSH),
        needs=frozenset({StateGroup.CHANNEL_PUSH}),
        value_fn=lambda s, _i: s.channel_push,
        setting=Setting.CHANNEL_PUSH,
        group=StateGroup.CHANNEL_PUSH,
    ),
    CamerasSwitchDescription(
        key="osd_date",
        translation_key="osd_date",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.OSD),
        needs=frozenset({StateGroup.OSD}),
        value_fn=lambda s, _i: s.osd_date,
        setting=Setting.OSD_DATE,
        group=StateGroup.OSD,
    ),
    CamerasSwitchDescription(
        key="osd_week",
        translation_key="osd_week",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.OSD),
        needs=frozenset({StateGroup.OSD}),
        value_fn=lambda s, _i: s.osd_week,
        setting=Setting.OSD_WEEK,
        group=StateGroup.OSD,
    ),
    _unread("tamper_detection", Capability.TAMPER_DETECTION, Setting.TAMPER_DETECTION),
    _unread("alarm_input", Capability.ALARM_INPUT, Setting.ALARM_INPUT),
    _unread("alarm_output", Capability.ALARM_OUTPUT, Setting.ALARM_OUTPUT),
    CamerasSwitchDescription(
        key="poe_port",
        translation_key="poe_port",
        entity_category=EntityCategory.CONFIG,
        supported_fn=has(Capability.POE),
        needs=frozenset({StateGroup.POE}),
        index_fn=lambda state: [port.port for port in state.poe_ports or ()],
        value_fn=_port_enabled,
        setting=Setting.POE_PORT_ENABLED,
        group=StateGroup.POE,
        value_to_write=lambda on, index: (index, on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches every device supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, SWITCHES, CamerasSwitch))


class CamerasSwitch(CamerasEntity, SwitchEntity, RestoreEntity):
    """A switch backed by one writable setting, optimistic where it cannot be read."""

    entity_description: CamerasSwitchDescription

    def __init__(
        self,
        coordinator: CamerasCoordinator,
        device: Device,
        description: CamerasSwitchDescription,
        index: int | None,
    ) -> None:
        """Note whether the device can report this setting at all."""
        super().__init__(coordinator, device, description, index)
        self._write_only = description.setting in device.write_only
        self._assumed: bool | None = None
        if self._write_only:
            self._attr_assumed_state = True

    async def async_added_to_hass(self) -> None:
        """Restore the last value written to a write-only setting."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state() if self._write_only else None
        if last is not None and last.state in (STATE_ON, STATE_OFF):
            self._assumed = last.state == STATE_ON

    @property
    def is_on(self) -> bool | None:
        """The setting as last read, or as last written where it cannot be read."""
        if self._write_only:
            return self._assumed
        state = self.device_state
        return None if state is None else self.entity_description.value_fn(state, self._index)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on."""
        await self._async_write(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        await self._async_write(False)

    async def _async_write(self, on: bool) -> None:
        description = self.entity_description
        value = description.value_to_write(on, self._index)
        if not self._write_only:
            await async_write_setting(self, description.setting, value, description.group)
            return
        await async_write_setting(self, description.setting, value, None)
        self._assumed = on
        self.async_write_ha_state()
