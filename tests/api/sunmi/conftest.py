"""Loopback fixtures: simulated SUNMI cameras and clients for them, all stopped afterwards."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.business_cameras.api.sunmi.backend import SunmiBackend
from custom_components.business_cameras.api.sunmi.client import SunmiClient
from custom_components.business_cameras.api.sunmi.tls import build_ssl_context
from simulators.sunmi import SunmiSimulator

APP_ID = "A"
SECRET = "S"
ACTIVATION = "C"
P12_PASSWORD = "P"
FS_SN = "FS101D8BS00106"
SS_SN = "SS101D8BS00083"

SimFactory = Callable[..., Awaitable[SunmiSimulator]]
ClientFactory = Callable[..., SunmiClient]
BackendFactory = Callable[..., SunmiBackend]


@pytest.fixture(scope="session")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CA and client certificate for every simulator (server certificates per host)."""
    return tmp_path_factory.mktemp("sunmi-certs")


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A session the test owns (the integration injects Home Assistant's)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def make_sim(cert_dir: Path) -> AsyncIterator[SimFactory]:
    """Start simulators on free ports; stop them after the test."""
    started: list[SunmiSimulator] = []

    async def factory(host: str, **options: Any) -> SunmiSimulator:
        options.setdefault("app_id", APP_ID)
        options.setdefault("secret_key", SECRET)
        options.setdefault("activation_code", ACTIVATION)
        options.setdefault("model", "FS")
        options.setdefault("sn", FS_SN if options["model"] == "FS" else SS_SN)
        options.setdefault("activated", True)
        options.setdefault("cert_password", P12_PASSWORD)
        sim = SunmiSimulator(
            host=host,
            cert_dir=cert_dir,
            https_port=0,
            channel_port=0,
            discovery_port=0,
            **options,
        )
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


def ssl_context_for(sim: SunmiSimulator) -> ssl.SSLContext:
    """A fresh client context from the simulator's openapi.p12 (as the integration builds)."""
    return build_ssl_context(sim.p12_path.read_bytes(), sim.p12_password)


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> ClientFactory:
    """A client for a simulator, pinned to its certificate unless told otherwise."""

    def factory(sim: SunmiSimulator, **options: Any) -> SunmiClient:
        options.setdefault("app_id", APP_ID)
        options.setdefault("secret_key", SECRET)
        options.setdefault("fingerprint", sim.server_fingerprint)
        options.setdefault("timeout", 5.0)
        if "ssl_context" not in options:
            options["ssl_context"] = ssl_context_for(sim)
        return SunmiClient(session, sim.host, port=sim.https_port, **options)

    return factory


@pytest.fixture
async def make_backend(make_client: ClientFactory) -> AsyncIterator[BackendFactory]:
    """A backend for a simulator; its channel is stopped after the test."""
    backends: list[SunmiBackend] = []

    def factory(sim: SunmiSimulator, **options: Any) -> SunmiBackend:
        client_options = options.pop("client_options", {})
        options.setdefault("sn", sim.sn)
        options.setdefault("model", sim.model.code)
        options.setdefault("channel_port", sim.channel_port)
        backend = SunmiBackend(make_client(sim, **client_options), **options)
        backends.append(backend)
        return backend

    yield factory
    for backend in backends:
        await backend.async_close()


async def wait_for(
    predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.02
) -> None:
    """Poll ``predicate`` until it holds (fails the test after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
