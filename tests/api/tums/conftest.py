"""Loopback fixtures: the TUMS cloud simulator and an aiohttp session, stopped after each test."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.business_cameras.api.tums.client import TumsClient
from simulators.tums import TumsSimulator

SimFactory = Callable[..., Awaitable[TumsSimulator]]
ClientFactory = Callable[..., TumsClient]
AK = "AK"
SK = "SK"


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A session the test owns (the integration injects Home Assistant's)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def make_sim(tmp_path: Path) -> AsyncIterator[SimFactory]:
    """Start simulators on a free port; stop them afterwards."""
    started: list[TumsSimulator] = []

    async def factory(host: str = "127.0.0.81", **options: Any) -> TumsSimulator:
        options.setdefault("devices", 20)
        options.setdefault("app_type", "device")
        cert_dir = tmp_path / f"certs-{len(started)}"
        cert_dir.mkdir()
        sim = TumsSimulator(
            host=host, port=0, access_key=AK, secret_key=SK, cert_dir=cert_dir, **options
        )
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> ClientFactory:
    """A client trusting the simulator's CA, with fast back-off."""

    def factory(sim: TumsSimulator, **options: Any) -> TumsClient:
        context = ssl.create_default_context(cafile=str(sim.ca_path))
        options.setdefault("timeout", 5.0)
        options.setdefault("backoff", 0.01)
        options.setdefault("access_key", AK)
        options.setdefault("secret_key", SK)
        return TumsClient(session, sim.url, ssl_context=context, **options)

    return factory
