"""The TUMS cloud simulator on loopback and config entries for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.business_cameras.api.tums.client import TumsClient
from custom_components.business_cameras.const import DOMAIN
from simulators.tums import TumsSimulator

TUMS_HOST = "127.0.0.85"
AK = "TestAccessKey01"
SK = "TestSecretKey-0123456789"
WEBHOOK_ID = "7ums0123456789abcdef0123456789ab"
# Six top-level devices: NVR 0 (four channels), IPC 1 (PTZ), IPC 2..5.
DEVICES = 6
NVR0 = "16E00900000000000"
IPC1 = "16E00900000000001"
IPC2 = "16E00900000000002"


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries after a rate limit wait milliseconds, not seconds, in these tests."""
    defaults = TumsClient.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "backoff", 0.001)


@pytest.fixture
def tums_options() -> dict[str, Any]:
    """Overridden by tests that need another account shape."""
    return {}


@pytest.fixture
async def tums_sim(tmp_path: Path, tums_options: dict[str, Any]) -> AsyncIterator[TumsSimulator]:
    """A TUMS cloud with a handful of devices on 127.0.0.85, on a free port."""
    options: dict[str, Any] = {"devices": DEVICES, "app_type": "device"}
    options.update(tums_options)
    sim = TumsSimulator(
        host=TUMS_HOST, port=0, access_key=AK, secret_key=SK, cert_dir=tmp_path, **options
    )
    await sim.start()
    yield sim
    await sim.stop()


def tums_entry_data(sim: TumsSimulator, app_type: str = "device") -> dict[str, Any]:
    """Entry data as the config flow stores it for ``sim``."""
    return {
        "platform": "tums",
        "base_url": sim.url,
        "ca_pem": Path(sim.ca_path).read_text(encoding="ascii"),
        "access_key": AK,
        "secret_key": SK,
        "app_type": app_type,
        "terminal_id": "0123456789abcdef0123456789abcdef",
        "webhook_id": WEBHOOK_ID,
    }


@pytest.fixture
async def tums_entry(
    hass: HomeAssistant, tums_sim: TumsSimulator
) -> AsyncIterator[MockConfigEntry]:
    """A config entry for the simulator (not set up); unloaded before the simulator stops."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"TUMS {tums_sim.host} ({tums_sim.state.app_type})",
        unique_id=AK,
        data=tums_entry_data(tums_sim, tums_sim.state.app_type),
    )
    entry.add_to_hass(hass)
    yield entry
    if entry.state is ConfigEntryState.LOADED:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``condition`` until it holds."""
    import asyncio

    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


Waiter = Callable[[Callable[[], bool]], Awaitable[None]]
