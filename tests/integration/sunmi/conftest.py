"""SUNMI simulators on loopback and config entries for them."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras.const import DOMAIN
from simulators.sunmi import SunmiSimulator

FS_HOST = "127.0.0.41"
SS_HOST = "127.0.0.42"
APP_ID = "08BABCDABBB661234567"
SECRET_KEY = "ABCDEFG3F2BB03917123"
ACTIVATION_CODE = "abcd2986jnts8987hntl1234"
CERT_PASSWORD = "p12-Password"
FS_SN = "FS101D8BS00106"
SS_SN = "SS101D8BS00083"
DISCOVERY_PORT = 10001


@pytest.fixture
def sunmi_options() -> dict[str, Any]:
    """Overridden by tests that need another camera."""
    return {}


@pytest.fixture
async def fs_sim(tmp_path: Path, sunmi_options: dict[str, Any]) -> AsyncIterator[SunmiSimulator]:
    """A Face Sense camera (FM020), activated, on 127.0.0.41 with the real ports."""
    options: dict[str, Any] = {
        "host": FS_HOST,
        "app_id": APP_ID,
        "secret_key": SECRET_KEY,
        "activation_code": ACTIVATION_CODE,
        "model": "FS",
        "sn": FS_SN,
        "activated": True,
        "cert_dir": tmp_path / "vendor",  # one vendor CA and openapi.p12 for every camera
        "cert_password": CERT_PASSWORD,
        "https_port": 443,
        "channel_port": 10021,
        "discovery_port": DISCOVERY_PORT,
    }
    options.update(sunmi_options)
    sim = SunmiSimulator(**options)
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def ss_sim(tmp_path: Path) -> AsyncIterator[SunmiSimulator]:
    """A Store Sense camera (FM010), activated, on 127.0.0.42."""
    sim = SunmiSimulator(
        host=SS_HOST,
        app_id=APP_ID,
        secret_key=SECRET_KEY,
        activation_code=ACTIVATION_CODE,
        model="SS",
        sn=SS_SN,
        activated=True,
        cert_dir=tmp_path / "vendor",
        cert_password=CERT_PASSWORD,
        https_port=443,
        channel_port=10021,
        discovery_port=DISCOVERY_PORT,
    )
    await sim.start()
    yield sim
    await sim.stop()


def sunmi_entry_data(sim: SunmiSimulator, model: str) -> dict[str, Any]:
    """Entry data as the config flow stores it for ``sim``."""
    return {
        "platform": "sunmi",
        "host": sim.host,
        "port": 443,
        "app_id": APP_ID,
        "secret_key": SECRET_KEY,
        "certificate_data": base64.b64encode(Path(sim.p12_path).read_bytes()).decode(),
        "certificate_password": CERT_PASSWORD,
        "fingerprint": sim.server_fingerprint,
        "hub_id": sim.sn,
        "sn": sim.sn,
        "model": model,
        "webhook_id": "fedcba9876543210fedcba9876543210",
    }


@pytest.fixture
async def fs_entry(hass: HomeAssistant, fs_sim: SunmiSimulator) -> AsyncIterator[MockConfigEntry]:
    """A config entry for the FS simulator; unloaded before the simulator stops."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"SUNMI Face Sense Camera {FS_SN}",
        unique_id=FS_SN,
        data=sunmi_entry_data(fs_sim, "FS"),
    )
    entry.add_to_hass(hass)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
