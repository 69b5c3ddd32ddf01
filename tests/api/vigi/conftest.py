"""Loopback fixtures: simulated NVRs and an aiohttp session, all stopped after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from custom_components.business_cameras.api.vigi import VigiClient
from simulators.vigi import VigiSimulator

PASSWORD = "s3cr3t pa$$/wörd"

SimFactory = Callable[..., Awaitable[VigiSimulator]]
ClientFactory = Callable[..., VigiClient]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A session the test owns (the integration injects Home Assistant's)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def make_sim() -> AsyncIterator[SimFactory]:
    """Start simulators on a free port (host chosen per test module); stop them afterwards."""
    started: list[VigiSimulator] = []

    async def factory(host: str, **options: Any) -> VigiSimulator:
        options.setdefault("password", PASSWORD)
        options.setdefault("channels", 4)
        sim = VigiSimulator(host=host, port=0, **options)
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> ClientFactory:
    """A client for a simulator, pinned to its certificate unless told otherwise."""

    def factory(sim: VigiSimulator, **options: Any) -> VigiClient:
        options.setdefault("username", "admin")
        options.setdefault("password", PASSWORD)
        options.setdefault("fingerprint", sim.fingerprint)
        options.setdefault("timeout", 5.0)
        return VigiClient(session, sim.host, sim.port, **options)

    return factory


def total_requests(sim: VigiSimulator) -> int:
    """Every request the simulator has seen."""
    return sum(sim.requests.values())
