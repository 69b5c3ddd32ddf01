"""Image entities: the picture that came with a channel's last pushed event."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.model import CameraEvent, Capability, Device
from .coordinator import CamerasCoordinator
from .entity import CamerasEntity, CamerasEntityDescription, build_entities, has

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CamerasImageDescription(CamerasEntityDescription, ImageEntityDescription):
    """The last event image of a channel."""


IMAGES: tuple[CamerasImageDescription, ...] = (
    CamerasImageDescription(
        key="last_event_image",
        translation_key="last_event_image",
        supported_fn=has(Capability.MOTION_EVENTS),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an event image per channel that pushes events."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, IMAGES, CamerasEventImage))


class CamerasEventImage(CamerasEntity, ImageEntity):
    """Holds the JPEG of the newest event that carried one."""

    entity_description: CamerasImageDescription
    _attr_content_type = "image/jpeg"

    def __init__(
        self,
        coordinator: CamerasCoordinator,
        device: Device,
        description: CamerasImageDescription,
        index: int | None,
    ) -> None:
        """Set up both parents."""
        CamerasEntity.__init__(self, coordinator, device, description, index)
        ImageEntity.__init__(self, coordinator.hass)
        self._image: bytes | None = None

    async def async_added_to_hass(self) -> None:
        """Listen to this channel's events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_event_listener(self.device.key, self._on_event)
        )

    @callback
    def _on_event(self, event: CameraEvent) -> None:
        if event.image is None:
            return
        self._image = event.image
        self._attr_image_last_updated = event.time
        self.async_write_ha_state()

    async def async_image(self) -> bytes | None:
        """The last event's JPEG."""
        return self._image
