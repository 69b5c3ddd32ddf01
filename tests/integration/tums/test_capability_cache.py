"""The TUMS capability cache in Home Assistant: kept across reloads, removed with the entry."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras import capability_store
from custom_components.business_cameras.api.tums.client import Path as ApiPath
from custom_components.business_cameras.capability_store import STORAGE_VERSION, storage_key
from simulators.tums import TumsSimulator
from simulators.vigi import VigiSimulator
from tests.integration.logs import assert_no_traceback

from ..conftest import setup_entry
from .conftest import IPC1

PROBE_PATHS = (
    ApiPath.CAPABILITY,
    ApiPath.PTZ_RESET_SUPPORT,
    ApiPath.LAMP_CAPABILITY,
    ApiPath.VIDEO_CAPABILITY,
)
# Five IPCs and the NVR's four channels, four requests each.
COLD = 4 * (5 + 4)


def probe_requests(sim: TumsSimulator) -> int:
    return sum(sim.requests[path] for path in PROBE_PATHS)


def entities(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, tuple[str, str | None]]:
    """unique_id -> (entity_id, state) of every entity of ``entry``."""
    found: dict[str, tuple[str, str | None]] = {}
    for item in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        current = hass.states.get(item.entity_id)
        found[item.unique_id] = (item.entity_id, current.state if current else None)
    return found


def stored_devices(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    stored = hass_storage[storage_key(entry.entry_id)]
    assert stored["version"] == STORAGE_VERSION
    devices = stored["data"]["devices"]
    assert isinstance(devices, dict)
    return devices


async def test_reload_sends_no_capability_request(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(capability_store, "SAVE_DELAY", 0)
    await setup_entry(hass, tums_entry)
    assert probe_requests(tums_sim) == COLD
    before = entities(hass, tums_entry)
    assert before
    # Saved after the setup (delay 0 here), without waiting for an unload.
    await hass.async_block_till_done()
    await asyncio.sleep(0)
    await hass.async_block_till_done()
    assert len(stored_devices(hass_storage, tums_entry)) == 5 + 4

    assert await hass.config_entries.async_reload(tums_entry.entry_id)
    await hass.async_block_till_done()
    assert tums_entry.state is ConfigEntryState.LOADED
    assert probe_requests(tums_sim) == COLD
    assert entities(hass, tums_entry).keys() == before.keys()
    assert {v[0] for v in entities(hass, tums_entry).values()} == {v[0] for v in before.values()}
    cached = stored_devices(hass_storage, tums_entry)
    assert len(cached) == 5 + 4
    assert "ptz_reset" in cached[IPC1]["capabilities"]
    # No key of the application in what is stored.
    assert tums_entry.data["secret_key"] not in str(hass_storage[storage_key(tums_entry.entry_id)])


async def test_remove_entry_deletes_the_store(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, tums_entry)
    assert await hass.config_entries.async_reload(tums_entry.entry_id)  # writes the cache
    await hass.async_block_till_done()
    assert storage_key(tums_entry.entry_id) in hass_storage
    await hass.config_entries.async_remove(tums_entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(tums_entry.entry_id) not in hass_storage


@pytest.mark.parametrize(
    "stored",
    [
        {"version": STORAGE_VERSION, "data": "garbage"},
        {"version": STORAGE_VERSION, "data": {"version": 1, "devices": {IPC1: {"model": 5}}}},
        {"version": STORAGE_VERSION + 1, "data": {}},  # written by a newer integration
        {"version": STORAGE_VERSION, "data": {"version": 99, "devices": {}}},
    ],
)
async def test_unreadable_store_is_ignored(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    stored: dict[str, Any],
) -> None:
    hass_storage[storage_key(tums_entry.entry_id)] = stored
    caplog.set_level(logging.DEBUG)
    await setup_entry(hass, tums_entry)
    assert tums_entry.state is ConfigEntryState.LOADED
    assert probe_requests(tums_sim) == COLD
    assert "capability cache" in caplog.text
    assert_no_traceback(caplog)
    await hass.config_entries.async_unload(tums_entry.entry_id)
    assert len(stored_devices(hass_storage, tums_entry)) == 5 + 4  # replaced by a clean one


async def test_corrupt_file_is_ignored_without_a_repair(
    hass: HomeAssistant,
    tums_sim: TumsSimulator,
    tums_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A file on disk that is not JSON at all (the test harness keeps storage in memory only).
    monkeypatch.setattr(hass.config, "config_dir", str(tmp_path))
    path = tmp_path / ".storage" / storage_key(tums_entry.entry_id)
    path.parent.mkdir()
    path.write_bytes(b'{"version": 1, "data": {"devi')
    await setup_entry(hass, tums_entry)
    assert tums_entry.state is ConfigEntryState.LOADED
    assert probe_requests(tums_sim) == COLD
    assert "Ignoring the unreadable capability cache" in caplog.text
    assert_no_traceback(caplog)
    assert not ir.async_get(hass).issues  # no "restore from backup" repair for a cache


async def test_other_platforms_are_removed_as_before(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    vigi_sim: VigiSimulator,
    vigi_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, vigi_entry)
    assert vigi_entry.runtime_data.capabilities is None
    await hass.config_entries.async_remove(vigi_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.config_entries.async_get_entry(vigi_entry.entry_id) is None
    assert storage_key(vigi_entry.entry_id) not in hass_storage
    assert_no_traceback(caplog)
