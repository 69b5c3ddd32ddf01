"""The TUMS capability cache: freshness rules, persistence, and the requests it spares."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.business_cameras.api.backend import Action
from custom_components.business_cameras.api.model import Capability, Device
from custom_components.business_cameras.api.tums.backend import TumsBackend
from custom_components.business_cameras.api.tums.capability_cache import (
    DEFAULT_MAX_AGE,
    VERSION,
    CapabilityCache,
    Probe,
)
from custom_components.business_cameras.api.tums.client import Path
from custom_components.business_cameras.api.tums.errors import DeviceUnsupportedError
from custom_components.business_cameras.api.tums.parsers import DeviceRef
from simulators.tums import TumsSimulator

from .conftest import ClientFactory, SimFactory

HOST = "127.0.0.87"
IPC1 = "16E00900000000001"
IPC2 = "16E00900000000002"
NVR0 = "16E00900000000000"
PROBE_PATHS = (
    Path.CAPABILITY,
    Path.PTZ_RESET_SUPPORT,
    Path.LAMP_CAPABILITY,
    Path.VIDEO_CAPABILITY,
)
PROBE = Probe(
    frozenset({Capability.PTZ_RESET, Capability.IR_MODE}),
    ir_modes=("auto", "night"),
    resolutions=("2560*1440", "1920*1080"),
)


class Clock:
    """Unix seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def changed(cache: CapabilityCache) -> bool:
    """The flag, read through a call: mypy would keep an asserted property narrowed."""
    return cache.changed


# --- unit --------------------------------------------------------------------------------


def test_fresh_entry_until_max_age() -> None:
    clock = Clock()
    cache = CapabilityCache(clock=clock)
    assert not changed(cache)
    assert cache.get("a", "C540") is None
    cache.put("a", "C540", PROBE)
    assert changed(cache)
    clock.now += DEFAULT_MAX_AGE
    assert cache.get("a", "C540") == PROBE
    clock.now += 1
    cache.mark_saved()
    assert cache.get("a", "C540") is None
    assert "a" not in cache  # dropped, and the owner is told to save
    assert changed(cache)


def test_clock_going_back_drops_the_entry() -> None:
    clock = Clock()
    cache = CapabilityCache(clock=clock)
    cache.put("a", "C540", PROBE)
    clock.now -= 60
    assert cache.get("a", "C540") is None


def test_model_change_invalidates() -> None:
    cache = CapabilityCache()
    cache.put("a", "VIGI C540", PROBE)
    cache.put("b", None, PROBE)
    assert cache.get("b", None) == PROBE
    assert cache.get("a", "VIGI C540V") is None
    assert cache.get("a", "VIGI C540") is None  # gone for good, not merely hidden


def test_invalidate_and_changed_flag() -> None:
    cache = CapabilityCache()
    cache.invalidate("missing")
    assert not changed(cache)
    cache.put("a", "m", PROBE)
    cache.put("b", "m", PROBE)
    cache.mark_saved()
    cache.get("a", "m")
    assert not changed(cache)  # reading a fresh entry is no change
    cache.invalidate("a")
    assert changed(cache)
    assert cache.get("a", "m") is None
    cache.mark_saved()
    cache.retain({"b"})
    assert not changed(cache)
    cache.retain({"c"})
    assert changed(cache)
    assert len(cache) == 0


def test_firmware_change_invalidates() -> None:
    cache = CapabilityCache()
    cache.put("a", "m", PROBE)
    cache.mark_saved()
    cache.note_firmware("a", None)
    assert not changed(cache)
    cache.note_firmware("a", "1.0.0")
    assert changed(cache)  # recorded for the next start
    cache.mark_saved()
    cache.note_firmware("a", "1.0.0")
    assert not changed(cache)
    cache.note_firmware("a", "1.1.0")
    assert cache.get("a", "m") is None
    restored = CapabilityCache.from_dict({"version": VERSION, "devices": {}})
    restored.note_firmware("unknown", "1.0.0")
    assert not changed(restored)


def test_round_trip() -> None:
    clock = Clock()
    cache = CapabilityCache(clock=clock)
    cache.put("a", "C540", PROBE)
    cache.put("b:ch1", None, Probe())
    cache.note_firmware("a", "1.0.0")
    data = cache.to_dict()
    restored = CapabilityCache.from_dict(data, clock=clock)
    assert not changed(restored)
    assert restored.to_dict() == data
    assert restored.get("a", "C540") == PROBE
    assert restored.get("b:ch1", None) == Probe()
    restored.note_firmware("a", "2.0.0")
    assert restored.get("a", "C540") is None


GOOD: dict[str, Any] = {
    "model": "C540",
    "read_at": 1_700_000_000,
    "capabilities": ["ptz_reset"],
    "ir_modes": [],
    "resolutions": ["1920*1080"],
    "firmware": None,
}


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "garbage",
        {"version": 0, "devices": {"a": GOOD}},
        {"version": VERSION + 1, "devices": {"a": GOOD}},
        {"version": VERSION},
        {"version": VERSION, "devices": ["a"]},
    ],
)
def test_from_dict_unreadable_whole(data: object) -> None:
    cache = CapabilityCache.from_dict(data)
    assert len(cache) == 0
    assert cache.changed is (data is not None)


@pytest.mark.parametrize(
    "change",
    [
        {"model": 5},
        {"read_at": "yesterday"},
        {"read_at": True},
        {"read_at": float("nan")},
        {"capabilities": "ptz_reset"},
        {"capabilities": ["ptz_reset", 3]},
        {"capabilities": ["no_such_capability"]},
        {"capabilities": ["live_stream"]},  # not one the four requests decide
        {"ir_modes": None},
        {"resolutions": [1080]},
        {"firmware": 1.0},
    ],
)
def test_from_dict_drops_bad_entries(change: dict[str, Any]) -> None:
    clock = Clock()
    data = {"version": VERSION, "devices": {"good": GOOD, "bad": {**GOOD, **change}, "odd": 7}}
    cache = CapabilityCache.from_dict(data, clock=clock)
    assert cache.changed
    assert "bad" not in cache
    assert "odd" not in cache
    assert cache.get("good", "C540") == Probe(frozenset({Capability.PTZ_RESET}), (), ("1920*1080",))


# --- loopback ------------------------------------------------------------------------------


def _probe_requests(sim: TumsSimulator) -> int:
    return sum(sim.requests[path] for path in PROBE_PATHS)


def _shape(devices: list[Device]) -> dict[str, tuple[object, ...]]:
    return {
        d.key: (d.capabilities, d.ir_modes, d.resolutions, d.flip_modes, d.parent) for d in devices
    }


async def _backend(
    sim: TumsSimulator, make_client: ClientFactory, cache: CapabilityCache | None
) -> TumsBackend:
    backend = TumsBackend(make_client(sim), account_id="acct-1", capability_cache=cache)
    await backend.async_connect()
    return backend


async def test_warm_cache_sends_no_capability_request(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    reference = _shape(await (await _backend(sim, make_client, None)).async_get_devices())
    cold = _probe_requests(sim)
    assert cold == 4 * (18 + 2 * 4)  # 18 IPCs and 8 NVR channels, four requests each

    cache = CapabilityCache()
    first = await _backend(sim, make_client, cache)
    assert _shape(await first.async_get_devices()) == reference
    assert _probe_requests(sim) == 2 * cold
    assert cache.changed
    assert len(cache) == 18 + 2 * 4  # NVRs themselves are no cameras: nothing to cache

    # A reload or restart: a new backend over the persisted cache.
    warm = CapabilityCache.from_dict(cache.to_dict())
    second = await _backend(sim, make_client, warm)
    assert _shape(await second.async_get_devices()) == reference
    assert _probe_requests(sim) == 2 * cold
    assert not warm.changed
    assert (
        Capability.PTZ_RESET
        in {d.key: d for d in await second.async_get_devices()}[IPC1].capabilities
    )


async def test_soft_failures_and_unlicensed_devices_are_not_cached(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    sim.set_licensed(IPC1, False)
    sim.set_online(IPC2, False)
    cache = CapabilityCache()
    backend = await _backend(sim, make_client, cache)
    devices = {d.key: d for d in await backend.async_get_devices()}
    assert devices[IPC1].capabilities == frozenset()
    assert IPC1 not in cache
    assert IPC2 not in cache  # offline: every request failed
    assert "16E00900000000003" in cache

    # One unreadable answer: the rest still counts, but nothing is remembered.
    sim.set_online(IPC2, True)
    sim.inject_fault("malformed_json", 1, path=Path.LAMP_CAPABILITY)
    cache = CapabilityCache()
    backend = await _backend(sim, make_client, cache)
    await backend.async_get_devices()
    assert len(cache) == 18 + 2 * 4 - 2  # IPC1 unlicensed, one camera's lamp answer was garbage


async def test_not_supported_is_a_lasting_answer_and_cached(
    make_sim: SimFactory, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = await make_sim(HOST)
    cache = CapabilityCache()
    backend = await _backend(sim, make_client, cache)
    client = backend._client  # the one request this model refuses is patched below
    real = client.get_supplement_lamp_capability

    async def no_lamp(ref: DeviceRef) -> dict[str, Any]:
        if ref.qr_code == IPC1:
            raise DeviceUnsupportedError(-80391, "not supported", "lamp")
        return await real(ref)

    monkeypatch.setattr(client, "get_supplement_lamp_capability", no_lamp)
    devices = {d.key: d for d in await backend.async_get_devices()}
    assert Capability.IR_MODE not in devices[IPC1].capabilities
    assert Capability.PTZ_RESET in devices[IPC1].capabilities
    cached = cache.get(IPC1, devices[IPC1].model)
    assert cached is not None
    assert cached.ir_modes == ()


async def test_model_change_and_firmware_upgrade_read_again(
    make_sim: SimFactory, make_client: ClientFactory
) -> None:
    sim = await make_sim(HOST)
    cache = CapabilityCache()
    backend = await _backend(sim, make_client, cache)
    await backend.async_get_devices()
    before = _probe_requests(sim)

    found = sim.state.find(IPC2)
    assert found is not None
    found.model = "VIGI C540V"
    devices = {d.key: d for d in await backend.async_get_devices()}
    assert _probe_requests(sim) == before + 4  # only the camera whose model changed

    cache.mark_saved()
    await backend.async_action(devices[IPC2], Action.UPDATE_FIRMWARE)
    assert IPC2 not in cache
    assert cache.changed
    await backend.async_get_devices()
    assert _probe_requests(sim) == before + 8
    assert IPC2 in cache
