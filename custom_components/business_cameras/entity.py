"""Base entity and description shared by every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api.backend import Setting
from .api.errors import CameraError
from .api.model import Capability, Device, DeviceState, StateGroup
from .const import DOMAIN
from .coordinator import CamerasCoordinator


@dataclass(frozen=True, kw_only=True)
class CamerasEntityDescription(EntityDescription):
    """What every entity description carries.

    ``supported_fn`` decides from a device's capabilities (never its platform) whether the entity
    exists; ``needs`` names the state groups it reads, so a disabled entity costs no request;
    ``index_fn`` makes one entity per index (disk id, PoE port) found at setup.
    """

    supported_fn: Callable[[Device], bool] = lambda device: True
    needs: frozenset[StateGroup] = frozenset()
    index_fn: Callable[[DeviceState], Iterable[int]] | None = None
    # The same from the device itself (what it has, not what it reports now): solar loads.
    device_index_fn: Callable[[Device], Iterable[int]] | None = None
    # An entity whose value survives the device going offline (connectivity).
    always_available: bool = False


def has(*capabilities: Capability) -> Callable[[Device], bool]:
    """A supported_fn that requires every capability given."""
    wanted = frozenset(capabilities)
    return lambda device: wanted <= device.capabilities


def device_identifier(hub_id: str, device_key: str) -> tuple[str, str]:
    """The device registry identifier of one device of a hub."""
    return (DOMAIN, f"{hub_id}_{device_key}")


class CamerasEntity(CoordinatorEntity[CamerasCoordinator]):
    """An entity of one device (a hub or a channel) of one config entry."""

    _attr_has_entity_name = True
    entity_description: CamerasEntityDescription

    def __init__(
        self,
        coordinator: CamerasCoordinator,
        device: Device,
        description: CamerasEntityDescription,
        index: int | None = None,
    ) -> None:
        """Bind the entity to a device; its unique_id never changes."""
        super().__init__(coordinator)
        self.entity_description = description
        self._device = device
        self._index = index
        suffix = "" if index is None else f"_{index}"
        self._attr_unique_id = f"{coordinator.hub_id}_{device.key}_{description.key}{suffix}"
        if index is not None:
            self._attr_translation_placeholders = {"index": str(index)}
        self._attr_device_info = build_device_info(coordinator.hub_id, device)

    @property
    def device(self) -> Device:
        """The device (hub or channel) this entity belongs to."""
        return self._device

    @property
    def device_state(self) -> DeviceState | None:
        """The latest state of this device, if it was read."""
        return self.coordinator.data.states.get(self._device.key)

    @property
    def available(self) -> bool:
        """Unavailable when the hub is unreachable or the channel is offline."""
        if not super().available:
            return False
        state = self.device_state
        if state is None:
            return False
        return self.entity_description.always_available or state.online

    async def async_added_to_hass(self) -> None:
        """Tell the coordinator which state this enabled entity reads."""
        await super().async_added_to_hass()
        if self.entity_description.needs:
            self.async_on_remove(
                self.coordinator.async_register_needs(
                    self.entity_description.needs, self._device.key
                )
            )

    def _update_concerns_me(self) -> bool:
        """False when the last update was a push that touched other devices only."""
        data = self.coordinator.data
        return data is None or data.changed is None or self._device.key in data.changed

    @callback
    def _handle_coordinator_update(self) -> None:
        if self._update_concerns_me():
            super()._handle_coordinator_update()


def build_device_info(hub_id: str, device: Device) -> DeviceInfo:
    """Device registry entry of a hub or a channel (channels are via their hub)."""
    info = DeviceInfo(
        identifiers={device_identifier(hub_id, device.key)},
        name=device.name,
        manufacturer=device.manufacturer,
    )
    if device.model:
        info["model"] = device.model
    if device.sw_version:
        info["sw_version"] = device.sw_version
    if device.hw_version:
        info["hw_version"] = device.hw_version
    if device.serial:
        info["serial_number"] = device.serial
    if device.area:
        info["suggested_area"] = device.area
    if device.mac:
        info["connections"] = {(CONNECTION_NETWORK_MAC, device.mac)}
    return info


@callback
def async_register_devices(
    hass: HomeAssistant, entry_id: str, coordinator: CamerasCoordinator
) -> None:
    """Register every device before its entities, then link each channel to its hub.

    Not through DeviceInfo's via_device: Home Assistant 2026 reports that as deprecated (and
    refuses a via_device that is not registered yet); via_device_id works on both versions.
    """
    registry = dr.async_get(hass)
    ids: dict[str, str] = {}
    for device in coordinator.devices.values():
        info = build_device_info(coordinator.hub_id, device)
        ids[device.key] = registry.async_get_or_create(config_entry_id=entry_id, **info).id
    for device in coordinator.devices.values():
        if device.parent is not None and device.parent in ids:
            registry.async_update_device(ids[device.key], via_device_id=ids[device.parent])


def build_entities[E: CamerasEntity, D: CamerasEntityDescription](
    coordinator: CamerasCoordinator,
    descriptions: Iterable[D],
    factory: Callable[[CamerasCoordinator, Device, D, int | None], E],
) -> list[E]:
    """Instantiate every supported description for every device of the coordinator."""
    entities: list[E] = []
    states = coordinator.data.states if coordinator.data else {}
    for device in coordinator.devices.values():
        for description in descriptions:
            if not description.supported_fn(device):
                continue
            if description.device_index_fn is not None:
                entities.extend(
                    factory(coordinator, device, description, index)
                    for index in description.device_index_fn(device)
                )
                continue
            if description.index_fn is None:
                entities.append(factory(coordinator, device, description, None))
                continue
            state = states.get(device.key)
            if state is None:
                continue
            entities.extend(
                factory(coordinator, device, description, index)
                for index in description.index_fn(state)
            )
    return entities


async def async_write_setting(
    entity: CamerasEntity, setting: Setting, value: Any, group: StateGroup | None
) -> None:
    """Write one setting through the backend, then re-read its group (if any) at once."""
    coordinator = entity.coordinator
    try:
        await coordinator.backend.async_set(entity.device, setting, value)
    except CameraError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="write_failed",
            translation_placeholders={"setting": setting.value, "error": str(err)},
        ) from err
    if group is not None:
        await coordinator.async_refresh_after_write(group)
