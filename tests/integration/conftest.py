"""Home Assistant harness fixtures: a real VIGI simulator on loopback and a config entry for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras import PLATFORMS
from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.discovery import DATA_DISCOVERY_TARGETS
from simulators.vigi import VigiSimulator

VIGI_HOST = "127.0.0.2"
VIGI_PASSWORD = "Sim-Password-1"
# Stable across runs (the simulator makes a new certificate each time), so snapshots are too.
HUB_ID = "5a" * 32


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/ in every harness test."""


@pytest.fixture(autouse=True)
def no_discovery_broadcast(hass: HomeAssistant) -> None:
    """Never probe the host's networks: discovery tests name their 127.0.0.x targets."""
    hass.data[DATA_DISCOVERY_TARGETS] = []


@pytest.fixture
def sim_options() -> dict[str, Any]:
    """Overridden by tests that need another NVR shape."""
    return {}


@pytest.fixture
async def vigi_sim(sim_options: dict[str, Any]) -> AsyncIterator[VigiSimulator]:
    """A 4-channel VIGI NVR simulator on 127.0.0.2, on a free port."""
    options: dict[str, Any] = {"channels": 4, "poe_ports": 4, "reboot_seconds": 0.2}
    options.update(sim_options)
    sim = VigiSimulator(host=VIGI_HOST, port=0, password=VIGI_PASSWORD, **options)
    await sim.start()
    yield sim
    await sim.stop()


def vigi_entry_data(sim: VigiSimulator) -> dict[str, Any]:
    """Entry data as the config flow stores it for ``sim``."""
    return {
        "platform": "vigi",
        "host": sim.host,
        "port": sim.port,
        "username": "admin",
        "password": VIGI_PASSWORD,
        "fingerprint": sim.fingerprint,
        "hub_id": HUB_ID,
        "webhook_id": "0123456789abcdef0123456789abcdef",
    }


@pytest.fixture
async def vigi_entry(
    hass: HomeAssistant, vigi_sim: VigiSimulator
) -> AsyncIterator[MockConfigEntry]:
    """A config entry for the simulator (not yet set up); unloaded before the simulator stops."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"VIGI NVR {vigi_sim.host}",
        unique_id=vigi_sim.fingerprint,
        data=vigi_entry_data(vigi_sim),
    )
    entry.add_to_hass(hass)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and wait until every platform is done."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def routes_ready(hass: HomeAssistant) -> None:
    """Set up every component that registers HTTP routes before a test client freezes them."""
    for component in ("http", "webhook", "repairs", "file_upload", *PLATFORMS):
        assert await async_setup_component(hass, component, {})
