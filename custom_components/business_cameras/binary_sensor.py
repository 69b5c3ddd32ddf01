"""Binary sensors: pushed events per channel (with an off delay) and hub faults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from . import CamerasConfigEntry
from .api.model import Capability, DeviceState, EventType, StateGroup
from .const import EVENT_OFF_DELAY
from .entity import CamerasEntity, CamerasEntityDescription, build_entities, has

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CamerasBinarySensorDescription(CamerasEntityDescription, BinarySensorEntityDescription):
    """An event-driven binary sensor, optionally backed by polled state."""

    event_types: frozenset[EventType] = frozenset()
    state_fn: Callable[[DeviceState], bool | None] | None = None


def _disk_status(*statuses: str) -> Callable[[DeviceState], bool | None]:
    def _fn(state: DeviceState) -> bool | None:
        if state.disks is None:
            return None
        return any(disk.status in statuses for disk in state.disks)

    return _fn


def _poe_fault(state: DeviceState) -> bool | None:
    if state.poe_ports is None:
        return None
    return any(port.faulted for port in state.poe_ports)


def _channel_event(
    key: str, event: EventType, caps: tuple[Capability, ...], **kw: object
) -> CamerasBinarySensorDescription:
    return CamerasBinarySensorDescription(
        key=key,
        translation_key=key,
        event_types=frozenset({event}),
        supported_fn=has(*caps),
        # Where nothing pushes, the backend reads events back while such an entity is on.
        needs=frozenset({StateGroup.EVENTS}),
        **kw,  # type: ignore[arg-type]
    )


BINARY_SENSORS: tuple[CamerasBinarySensorDescription, ...] = (
    _channel_event(
        "motion",
        EventType.MOTION,
        (Capability.MOTION_EVENTS,),
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    _channel_event(
        "person",
        EventType.PERSON,
        (Capability.SMART_EVENTS,),
        device_class=BinarySensorDeviceClass.OCCUPANCY,
    ),
    _channel_event(
        "vehicle",
        EventType.VEHICLE,
        (Capability.SMART_EVENTS,),
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    _channel_event(
        "line_crossing",
        EventType.LINE_CROSSING,
        (Capability.SMART_EVENTS,),
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    _channel_event(
        "intrusion",
        EventType.INTRUSION,
        (Capability.SMART_EVENTS,),
        device_class=BinarySensorDeviceClass.MOTION,
    ),
    _channel_event(
        "tamper",
        EventType.TAMPER,
        (Capability.SMART_EVENTS,),
        device_class=BinarySensorDeviceClass.TAMPER,
    ),
    _channel_event(
        "video_loss",
        EventType.VIDEO_LOSS,
        (Capability.MOTION_EVENTS,),
        device_class=BinarySensorDeviceClass.PROBLEM,
    ),
    CamerasBinarySensorDescription(
        key="online",
        translation_key="online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=lambda device: (
            device.parent is not None or Capability.CONNECTIVITY in device.capabilities
        ),
        state_fn=lambda state: state.online,
        always_available=True,
    ),
    CamerasBinarySensorDescription(
        key="push_registered",
        translation_key="push_registered",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.EVENT_SERVER),
        needs=frozenset({StateGroup.EVENT_SERVERS}),
        state_fn=lambda state: state.extra.get("push_registered"),
    ),
    CamerasBinarySensorDescription(
        key="disk_error",
        translation_key="disk_error",
        device_class=BinarySensorDeviceClass.PROBLEM,
        supported_fn=has(Capability.DISKS),
        needs=frozenset({StateGroup.DISKS}),
        event_types=frozenset(
            {EventType.DISK_ERROR, EventType.DISK_MISSING, EventType.STORAGE_FAULT}
        ),
        state_fn=_disk_status("abnormal", "unformatted"),
    ),
    CamerasBinarySensorDescription(
        key="disk_full",
        translation_key="disk_full",
        device_class=BinarySensorDeviceClass.PROBLEM,
        supported_fn=has(Capability.DISKS),
        needs=frozenset({StateGroup.DISKS}),
        event_types=frozenset({EventType.DISK_FULL}),
        state_fn=_disk_status("full"),
    ),
    CamerasBinarySensorDescription(
        key="poe_fault",
        translation_key="poe_fault",
        device_class=BinarySensorDeviceClass.PROBLEM,
        supported_fn=has(Capability.POE),
        needs=frozenset({StateGroup.POE}),
        event_types=frozenset({EventType.POE_FAULT}),
        state_fn=_poe_fault,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors every device supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, BINARY_SENSORS, CamerasBinarySensor))


class CamerasBinarySensor(CamerasEntity, BinarySensorEntity):
    """On while polled state says so, or for EVENT_OFF_DELAY after a matching event."""

    entity_description: CamerasBinarySensorDescription
    _cancel_off: CALLBACK_TYPE | None = None

    @property
    def is_on(self) -> bool | None:
        """Polled state or a recent event."""
        description = self.entity_description
        if self._last_event_time() is not None:
            return True
        if description.state_fn is not None and (state := self.device_state) is not None:
            return description.state_fn(state)
        return False if description.event_types else None

    def _last_event_time(self) -> datetime | None:
        """Time of the newest matching event still within the off delay."""
        data = self.coordinator.data
        if data is None or not self.entity_description.event_types:
            return None
        events = data.events.get(self._device.key, {})
        times = [
            events[kind].time for kind in self.entity_description.event_types if kind in events
        ]
        if not times:
            return None
        newest = max(times)
        if dt_util.utcnow() - newest >= EVENT_OFF_DELAY:
            return None
        return newest

    @callback
    def _handle_coordinator_update(self) -> None:
        if not self._update_concerns_me():
            return
        newest = self._last_event_time()
        if newest is not None:
            self._schedule_off(newest + EVENT_OFF_DELAY)
        super()._handle_coordinator_update()

    def _schedule_off(self, when: datetime) -> None:
        if self._cancel_off is not None:
            self._cancel_off()

        @callback
        def _off(_now: datetime) -> None:
            self._cancel_off = None
            self.async_write_ha_state()

        self._cancel_off = async_track_point_in_utc_time(self.hass, _off, when)

    async def async_will_remove_from_hass(self) -> None:
        """Cancel a pending off."""
        if self._cancel_off is not None:
            self._cancel_off()
            self._cancel_off = None
        await super().async_will_remove_from_hass()
