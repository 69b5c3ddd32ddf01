"""Sensors: storage, PoE budget, time source, stream settings, people and solar power."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfDataRate,
    UnitOfInformation,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from . import CamerasConfigEntry
from .api.backend import PushMethod
from .api.model import Capability, DeviceState, Disk, PoePort, StateGroup
from .coordinator import CamerasCoordinator
from .entity import CamerasEntity, CamerasEntityDescription, build_entities, has

PARALLEL_UPDATES = 0

DISK_STATUSES = ["normal", "full", "unformatted", "formatting", "miss", "abnormal"]


@dataclass(frozen=True, kw_only=True)
class CamerasSensorDescription(CamerasEntityDescription, SensorEntityDescription):
    """A sensor reading one value of a device's state (``index`` for per-disk/port ones)."""

    value_fn: Callable[[DeviceState, int | None], StateType]
    # Hub-level facts the coordinator itself knows (how events arrive), not the device.
    coordinator_fn: Callable[[CamerasCoordinator], StateType] | None = None


def _disk(state: DeviceState, index: int | None) -> Disk | None:
    return next((d for d in state.disks or () if d.id == index), None)


def _port(state: DeviceState, index: int | None) -> PoePort | None:
    return next((p for p in state.poe_ports or () if p.port == index), None)


def _disk_ids(state: DeviceState) -> list[int]:
    return [disk.id for disk in state.disks or ()]


def _port_numbers(state: DeviceState) -> list[int]:
    return [port.port for port in state.poe_ports or ()]


def _disk_status(state: DeviceState, index: int | None) -> StateType:
    disk = _disk(state, index)
    if disk is None:
        return None
    return disk.status if disk.status in DISK_STATUSES else "abnormal"


def _main_stream(attr: str) -> Callable[[DeviceState, int | None], StateType]:
    def _fn(state: DeviceState, _index: int | None) -> StateType:
        stream = state.streams.get("main")
        return None if stream is None else getattr(stream, attr)

    return _fn


_DISK = frozenset({StateGroup.DISKS})
_POE = frozenset({StateGroup.POE})


def _card(attr: str) -> Callable[[DeviceState, int | None], StateType]:
    def _fn(state: DeviceState, _index: int | None) -> StateType:
        card = state.memory_card
        return None if card is None else getattr(card, attr)

    return _fn


def _flow(attr: str) -> Callable[[DeviceState, int | None], StateType]:
    def _fn(state: DeviceState, _index: int | None) -> StateType:
        flow = state.people_flow
        return None if flow is None else getattr(flow, attr)

    return _fn


def _card_status(state: DeviceState, _index: int | None) -> StateType:
    card = state.memory_card
    if card is None:
        return None
    return card.status if card.status in DISK_STATUSES else "abnormal"


_CARD = frozenset({StateGroup.MEMORY_CARD})
_FLOW = frozenset({StateGroup.PEOPLE_FLOW})
_SOLAR = frozenset({StateGroup.SOLAR})
SOLAR_STATUSES = [
    "not_charging",
    "charging",
    "charge_complete",
    "auxiliary_heating",
    "low_temperature_no_charge",
    "low_temperature_no_charge_discharge",
    "high_temperature_no_charge",
    "high_temperature_no_charge_discharge",
]


def _solar(attr: str) -> Callable[[DeviceState, int | None], StateType]:
    def _fn(state: DeviceState, _index: int | None) -> StateType:
        solar = state.solar
        return None if solar is None else getattr(solar, attr)

    return _fn


def _solar_status(state: DeviceState, _index: int | None) -> StateType:
    status = None if state.solar is None else state.solar.status
    return status if status in SOLAR_STATUSES else None


def _solar_power(key: str, attr: str) -> CamerasSensorDescription:
    return CamerasSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=1,
        supported_fn=has(Capability.SOLAR),
        needs=_SOLAR,
        value_fn=_solar(attr),
    )


def _people(key: str, attr: str) -> CamerasSensorDescription:
    return CamerasSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement="people",
        supported_fn=has(Capability.PEOPLE_FLOW),
        needs=_FLOW,
        value_fn=_flow(attr),
    )


SENSORS: tuple[CamerasSensorDescription, ...] = (
    CamerasSensorDescription(
        key="solar_status",
        translation_key="solar_status",
        device_class=SensorDeviceClass.ENUM,
        options=SOLAR_STATUSES,
        supported_fn=has(Capability.SOLAR),
        needs=_SOLAR,
        value_fn=_solar_status,
    ),
    CamerasSensorDescription(
        key="solar_battery",
        translation_key="solar_battery",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        supported_fn=has(Capability.SOLAR),
        needs=_SOLAR,
        value_fn=_solar("battery"),
    ),
    CamerasSensorDescription(
        # The document gives no unit ("23" in its example): Celsius, as the cloud is Chinese.
        key="solar_temperature",
        translation_key="solar_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        supported_fn=has(Capability.SOLAR),
        needs=_SOLAR,
        value_fn=_solar("temperature"),
    ),
    _solar_power("solar_input_power", "input_power"),
    _solar_power("solar_output_power", "output_power"),
    CamerasSensorDescription(
        key="event_path",
        translation_key="event_path",
        device_class=SensorDeviceClass.ENUM,
        options=[method.value for method in PushMethod],
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=lambda device: device.parent is None,
        value_fn=lambda _state, _i: None,
        coordinator_fn=lambda coordinator: coordinator.push_method.value,
        always_available=True,
    ),
    CamerasSensorDescription(
        key="firmware",
        translation_key="firmware",
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.FIRMWARE),
        needs=frozenset({StateGroup.INFO}),
        value_fn=lambda state, _i: state.firmware,
    ),
    CamerasSensorDescription(
        key="memory_card_status",
        translation_key="memory_card_status",
        device_class=SensorDeviceClass.ENUM,
        options=DISK_STATUSES,
        supported_fn=has(Capability.MEMORY_CARD),
        needs=_CARD,
        value_fn=_card_status,
    ),
    CamerasSensorDescription(
        key="memory_card_total",
        translation_key="memory_card_total",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.GIGABYTES,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.MEMORY_CARD),
        needs=_CARD,
        value_fn=_card("total_gb"),
    ),
    CamerasSensorDescription(
        key="memory_card_free",
        translation_key="memory_card_free",
        device_class=SensorDeviceClass.DATA_SIZE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfInformation.GIGABYTES,
        suggested_display_precision=1,
        supported_fn=has(Capability.MEMORY_CARD),
        needs=_CARD,
        value_fn=_card("free_gb"),
    ),
    _people("people_entered", "entered"),
    _people("people_exited", "exited"),
    _people("people_passed", "passed"),
    CamerasSensorDescription(
        key="disk_status",
        translation_key="disk_status",
        device_class=SensorDeviceClass.ENUM,
        options=DISK_STATUSES,
        supported_fn=has(Capability.DISKS),
        needs=_DISK,
        index_fn=_disk_ids,
        value_fn=_disk_status,
    ),
    CamerasSensorDescription(
        key="disk_total",
        translation_key="disk_total",
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.GIGABYTES,
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.DISKS),
        needs=_DISK,
        index_fn=_disk_ids,
        value_fn=lambda state, i: (d.total_gb if (d := _disk(state, i)) else None),
    ),
    CamerasSensorDescription(
        key="disk_free",
        translation_key="disk_free",
        device_class=SensorDeviceClass.DATA_SIZE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfInformation.GIGABYTES,
        supported_fn=has(Capability.DISKS),
        needs=_DISK,
        index_fn=_disk_ids,
        value_fn=lambda state, i: (d.free_gb if (d := _disk(state, i)) else None),
    ),
    CamerasSensorDescription(
        key="poe_budget",
        translation_key="poe_budget",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.POE),
        needs=_POE,
        value_fn=lambda state, _i: state.poe_total_w,
    ),
    CamerasSensorDescription(
        key="poe_power",
        translation_key="poe_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        supported_fn=has(Capability.POE),
        needs=_POE,
        value_fn=lambda state, _i: state.poe_used_w,
    ),
    CamerasSensorDescription(
        key="poe_port_power",
        translation_key="poe_port_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        entity_registry_enabled_default=False,
        supported_fn=has(Capability.POE),
        needs=_POE,
        index_fn=_port_numbers,
        value_fn=lambda state, i: (p.power_w if (p := _port(state, i)) else None),
    ),
    CamerasSensorDescription(
        key="ntp_server",
        translation_key="ntp_server",
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.TIMING),
        needs=frozenset({StateGroup.TIMING}),
        value_fn=lambda state, _i: state.ntp_server,
    ),
    CamerasSensorDescription(
        key="main_resolution",
        translation_key="main_resolution",
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.STREAM_SETTINGS),
        needs=frozenset({StateGroup.STREAMS}),
        value_fn=_main_stream("resolution"),
    ),
    CamerasSensorDescription(
        key="main_bitrate",
        translation_key="main_bitrate",
        device_class=SensorDeviceClass.DATA_RATE,
        native_unit_of_measurement=UnitOfDataRate.KILOBITS_PER_SECOND,
        entity_category=EntityCategory.DIAGNOSTIC,
        supported_fn=has(Capability.STREAM_SETTINGS),
        needs=frozenset({StateGroup.STREAMS}),
        value_fn=_main_stream("bitrate_kbps"),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors every device supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, SENSORS, CamerasSensor))


class CamerasSensor(CamerasEntity, SensorEntity):
    """A sensor driven by a value_fn."""

    entity_description: CamerasSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value from the latest state."""
        description = self.entity_description
        if description.coordinator_fn is not None:
            return description.coordinator_fn(self.coordinator)
        state = self.device_state
        if state is None:
            return None
        return description.value_fn(state, self._index)
