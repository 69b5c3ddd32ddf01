"""The TUMS capability cache of one config entry, persisted in Home Assistant's storage."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import json as json_util

from .api.tums.capability_cache import CapabilityCache
from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION: Final = 1
# Seconds: a poll that changes the cache again within this time costs one write, not two.
SAVE_DELAY: Final = 10


def storage_key(entry_id: str) -> str:
    """The storage key of ``entry_id``'s cache."""
    return f"{DOMAIN}.{entry_id}.tums_capabilities"


class CapabilityStore:
    """Loads the cache before the backend is built and writes it back when it changed."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """An empty cache until ``async_load``."""
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, storage_key(entry_id))
        self._pending = False
        self.cache = CapabilityCache()

    async def async_load(self) -> None:
        """Read the stored cache; an unreadable one only costs the capability requests."""
        try:
            # Store.async_load would turn a file that is not JSON into a critical repair issue
            # ("restore from backup"): too much for a cache, hence this look first.
            await self._hass.async_add_executor_job(_check_json, Path(self._store.path))
            data = await self._store.async_load()
        except (
            HomeAssistantError,
            NotImplementedError,
            LookupError,
            OSError,
            TypeError,
            ValueError,
        ) as err:
            # Not JSON, not Store's envelope, or another version: start empty.
            _LOGGER.warning("Ignoring the unreadable capability cache %s: %s", self._store.key, err)
            data = None
        self.cache = CapabilityCache.from_dict(data)
        if self.cache.changed and data is not None:
            _LOGGER.info("Dropped unreadable entries of the capability cache %s", self._store.key)

    @callback
    def async_schedule_save(self) -> None:
        """Write the cache a little later if it changed (and at Home Assistant's final write)."""
        if not self.cache.changed:
            return
        self.cache.mark_saved()
        self._pending = True
        # to_dict runs when the write happens: later changes are included.
        self._store.async_delay_save(self.cache.to_dict, SAVE_DELAY)

    async def async_flush(self) -> None:
        """Write now what is pending (the entry unloads; its next setup reads the file)."""
        if not (self._pending or self.cache.changed):
            return
        self.cache.mark_saved()
        self._pending = False
        await self._store.async_save(self.cache.to_dict())


def _check_json(path: Path) -> None:
    """Raise ValueError when ``path`` exists and is not JSON."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return
    json_util.json_loads(content)


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete ``entry_id``'s stored cache, if any."""
    await Store[dict[str, Any]](hass, STORAGE_VERSION, storage_key(entry_id)).async_remove()
