"""Build the Backend of a config entry: the only place that knows the platforms by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api.backend import Backend
from .api.vigi.backend import VigiBackend
from .api.vigi.client import VigiClient
from .const import CONF_FINGERPRINT, CONF_HUB_ID, CONF_PLATFORM, PLATFORM_VIGI

if TYPE_CHECKING:
    from . import CamerasConfigEntry


def async_create_backend(hass: HomeAssistant, entry: CamerasConfigEntry) -> Backend:
    """The Backend for ``entry``, sharing Home Assistant's HTTP session."""
    data = entry.data
    platform = data[CONF_PLATFORM]
    if platform == PLATFORM_VIGI:
        client = VigiClient(
            async_get_clientsession(hass),
            host=data[CONF_HOST],
            port=data[CONF_PORT],
            username=data[CONF_USERNAME],
            password=data[CONF_PASSWORD],
            fingerprint=data[CONF_FINGERPRINT],
        )
        return VigiBackend(client, nvr_id=data[CONF_HUB_ID], name=entry.title)
    raise ValueError(f"unknown platform {platform}")
