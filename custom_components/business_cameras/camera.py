"""Cameras: live stream (RTSP where the platform has one) and still images."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from homeassistant.components.camera import Camera, CameraEntityDescription, CameraEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import CamerasConfigEntry
from .api.errors import CameraError
from .api.model import Capability, Device
from .const import CONF_STREAM, DOMAIN, STREAM_MAIN
from .coordinator import CamerasCoordinator
from .entity import CamerasEntity, CamerasEntityDescription, build_entities

_LOGGER = logging.getLogger(__name__)
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CamerasCameraDescription(CamerasEntityDescription, CameraEntityDescription):
    """A camera of a channel."""


CAMERAS: tuple[CamerasCameraDescription, ...] = (
    CamerasCameraDescription(
        key="camera",
        name=None,
        supported_fn=lambda device: bool(
            {Capability.LIVE_STREAM, Capability.SNAPSHOT} & device.capabilities
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CamerasConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a camera per channel that streams or takes snapshots."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(build_entities(coordinator, CAMERAS, CamerasCamera))


class CamerasCamera(CamerasEntity, Camera):
    """Live view from the stream chosen in the options; stills from the device."""

    entity_description: CamerasCameraDescription

    def __init__(
        self,
        coordinator: CamerasCoordinator,
        device: Device,
        description: CamerasCameraDescription,
        index: int | None,
    ) -> None:
        """Set up both parents (Camera keeps its own access tokens)."""
        CamerasEntity.__init__(self, coordinator, device, description, index)
        Camera.__init__(self)
        self._stream = coordinator.config_entry.options.get(CONF_STREAM, STREAM_MAIN)
        if Capability.LIVE_STREAM in device.capabilities:
            self._attr_supported_features = CameraEntityFeature.STREAM

    @property
    def use_stream_for_stills(self) -> bool:
        """Stills come from the stream where the device has no snapshot of its own."""
        caps = self.device.capabilities
        return Capability.LIVE_STREAM in caps and Capability.SNAPSHOT not in caps

    async def stream_source(self) -> str | None:
        """The RTSP URL (credentials inside it; Home Assistant never shows it)."""
        return await self.coordinator.backend.async_stream_source(self.device, self._stream)

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """A current still image from the device."""
        if Capability.SNAPSHOT not in self.device.capabilities:
            return None
        try:
            return await self.coordinator.backend.async_snapshot(self.device)
        except CameraError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="snapshot_failed",
                translation_placeholders={"device": self.device.name, "error": str(err)},
            ) from err
