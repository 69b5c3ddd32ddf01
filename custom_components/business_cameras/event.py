"""Event entities: one per device that pushes events, firing every event with its details."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.event import EventDeviceClass, EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.model import CameraEvent, Capability, EventType, StateGroup
from .coordinator import CamerasCoordinator
from .entity import CamerasEntity, CamerasEntityDescription, build_entities, has

PARALLEL_UPDATES = 0

HUB_FAULTS: frozenset[EventType] = frozenset(
    {
        EventType.DISK_ERROR,
        EventType.DISK_FULL,
        EventType.DISK_MISSING,
        EventType.POE_FAULT,
        EventType.DEVICE_FAULT,
        EventType.STORAGE_FAULT,
    }
)
HUB_EVENT_TYPES = (*sorted(HUB_FAULTS), EventType.ALARM_INPUT, EventType.UNKNOWN)
CHANNEL_EVENT_TYPES = tuple(kind for kind in EventType if kind not in HUB_FAULTS)


@dataclass(frozen=True, kw_only=True)
class CamerasEventDescription(CamerasEntityDescription, EventEntityDescription):
    """An event entity of a channel or a hub."""


EVENTS: tuple[CamerasEventDescription, ...] = (
    CamerasEventDescription(
        key="camera_event",
        translation_key="camera_event",
        device_class=EventDeviceClass.MOTION,
        event_types=[kind.value for kind in CHANNEL_EVENT_TYPES],
        supported_fn=has(Capability.MOTION_EVENTS),
        needs=frozenset({StateGroup.EVENTS}),
    ),
    CamerasEventDescription(
        key="device_event",
        translation_key="device_event",
        event_types=[kind.value for kind in HUB_EVENT_TYPES],
        supported_fn=has(Capability.DEVICE_EVENTS),
        needs=frozenset({StateGroup.EVENTS}),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an event entity per device that pushes events."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, EVENTS, CamerasEvent))


def event_attributes(event: CameraEvent) -> dict[str, Any]:
    """What an automation sees of an event: vendor type, details and the raw fields."""
    attributes: dict[str, Any] = {"vendor_type": event.vendor_type, **event.attributes}
    if event.raw:
        attributes["raw"] = event.raw
    attributes["has_image"] = event.image is not None
    return attributes


class CamerasEvent(CamerasEntity, EventEntity):
    """Fires once per pushed event of its device."""

    entity_description: CamerasEventDescription

    def __init__(self, coordinator: CamerasCoordinator, *args: Any) -> None:
        """Set up like every entity."""
        super().__init__(coordinator, *args)
        self._accepted = set(self.entity_description.event_types or ())

    async def async_added_to_hass(self) -> None:
        """Listen to this device's events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_event_listener(self._device.key, self._on_event)
        )

    @callback
    def _on_event(self, event: CameraEvent) -> None:
        if event.type.value not in self._accepted:
            return
        self._trigger_event(event.type.value, event_attributes(event))
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        # Events are written when they arrive; polls only change availability.
        if self.coordinator.data is not None and self.coordinator.data.changed is None:
            super()._handle_coordinator_update()
