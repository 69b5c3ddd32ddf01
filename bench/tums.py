"""TUMS benchmark: requests per poll cycle, setup with at most 4 requests in flight, a warm reload
(the same setup over the capability cache the first one filled), and the share of requests that
batching and paging saved. Prints counts and ratios; the only check is the bound on requests in
flight (exit status 1 when it is exceeded), never a timing.

Run from the repository root:
`.venv/bin/python -m bench.tums [--devices 500] [--app-type device|project] [--cycles 10]
[--rtt-ms 0]`.
The simulated cloud listens on 127.0.0.91 (HTTPS, its generated CA trusted explicitly). The
measurement is at backend level (TumsBackend, the object the coordinator drives); poll cycles
follow the coordinator's schedule (slow groups every Nth cycle, SLOW_GROUPS).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp import web

from custom_components.business_cameras.api.model import Device, StateGroup
from custom_components.business_cameras.api.tums.backend import CONCURRENCY, TumsBackend
from custom_components.business_cameras.api.tums.capability_cache import CapabilityCache
from custom_components.business_cameras.api.tums.client import MAX_IN_FLIGHT, TumsClient
from custom_components.business_cameras.coordinator import SLOW_GROUPS
from simulators.tums import TumsSimulator

HOST = "127.0.0.91"
ACCESS_KEY = "bench-ak"
SECRET_KEY = "Bench-Secret-Key-1"
# Every state group: the backend reads those it supports (the bench assumes an enabled entity
# needs each of them) and ignores the rest.
GROUPS: tuple[StateGroup, ...] = tuple(StateGroup)
PROJECTED_RTT = 0.05  # a cloud round trip for the projection line (50 ms)
# The requests the capability cache spares (last path segment, as Tally.by_path counts them).
CAPABILITY_PATHS: tuple[str, ...] = (
    "getDeviceCapability",
    "getPtzDeviceResetSupport",
    "getDeviceSupplementLampCapability",
    "getDeviceVideoCapability",
)


@dataclass(slots=True)
class Exchange:
    """One request the simulator answered: its path, and the bodies both ways."""

    path: str
    request: bytes
    response: bytes


class CountingSimulator(TumsSimulator):
    """The simulator, recording each exchange and how many requests it holds at once.

    ``rtt`` delays every answer, like a distant cloud; the requests then overlap at the server
    exactly as far as the client lets them.
    """

    def __init__(self, *args: Any, rtt: float = 0.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rtt = rtt
        self.exchanges: list[Exchange] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.busy = 0.0  # seconds spent handling requests (the same event loop as the client)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self.rtt:
                await asyncio.sleep(self.rtt)
            started = time.perf_counter()
            response = await super()._handle(request)
            self.busy += time.perf_counter() - started
        finally:
            self.in_flight -= 1
        body = response.body if isinstance(response, web.Response) else b""
        self.exchanges.append(
            Exchange(
                request.rel_url.raw_path,
                await request.read(),  # cached by aiohttp: the bytes the handler read
                body if isinstance(body, bytes) else b"",
            )
        )
        return response


class InFlightTrace:
    """An aiohttp trace counting the client's requests between sending and the answer."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.peak = 0
        self.config = aiohttp.TraceConfig()
        # aiohttp 3.11 annotates its signals for aiosignal < 1.4 (Signal[callback]); 1.4 made
        # Signal generic over the arguments, so mypy rejects every callback: hence the ignores.
        self.config.on_request_start.append(self._start)  # type: ignore[arg-type]
        self.config.on_request_end.append(self._end)  # type: ignore[arg-type]
        self.config.on_request_exception.append(self._end)  # type: ignore[arg-type]

    async def _start(
        self, _session: aiohttp.ClientSession, _ctx: SimpleNamespace, _params: object
    ) -> None:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)

    async def _end(
        self, _session: aiohttp.ClientSession, _ctx: SimpleNamespace, _params: object
    ) -> None:
        self.in_flight -= 1


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def items_served(exchange: Exchange) -> int:
    """How many device or list items one request carried: a naive client's request count.

    A batch (``devList``, ``devInfoList``) counts its devices; a page of a listing counts its
    entries (a naive client pages one entry at a time); an NVR's channel list counts its channels;
    every other request counts one.
    """
    request = _json(exchange.request)
    filter_and = request.get("filterAnd")
    for batch in (
        request.get("devList"),
        filter_and.get("devInfoList") if isinstance(filter_and, dict) else None,
    ):
        if isinstance(batch, list):
            return max(1, len(batch))
    result = _json(exchange.response).get("result")
    if isinstance(result, dict):
        for key in ("list", "channelList", "deviceInfoList"):
            entries = result.get(key)
            if isinstance(entries, list):
                return max(1, len(entries))
    return 1


@dataclass(slots=True)
class Tally:
    """Requests sent in one phase, what a naive client would have sent, and by endpoint."""

    requests: int = 0
    naive: int = 0
    by_path: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, exchanges: Iterable[Exchange]) -> Tally:
        """Sum a slice of the simulator's exchanges."""
        tally = cls()
        for exchange in exchanges:
            tally.requests += 1
            tally.naive += items_served(exchange)
            tally.by_path[exchange.path.rsplit("/", 1)[-1]] += 1
        return tally

    @property
    def saved(self) -> float:
        """The share of the naive requests that batching and paging saved."""
        return 1 - self.requests / self.naive if self.naive else 0.0


@dataclass(slots=True)
class Result:
    """What one run measured (for the smoke test; main prints it)."""

    top_level: int
    nvrs: int
    channels: int
    devices: int
    connect_seconds: float
    state_seconds: float
    simulator_seconds: float
    setup: Tally
    setup_devices: Tally
    setup_state: Tally
    cycles: list[Tally]
    steady: Tally
    full: Tally
    peak_trace: int
    peak_server: int
    warm: Phases
    warm_same_devices: bool


@dataclass(slots=True)
class Phases:
    """One setup: connect and device list (with capabilities), then the first full read."""

    devices_seconds: float
    state_seconds: float
    devices: Tally
    state: Tally

    @property
    def requests(self) -> int:
        """Both phases."""
        return self.devices.requests + self.state.requests

    @property
    def capability_requests(self) -> int:
        """The four capability requests among them."""
        return sum(self.devices.by_path[path] for path in CAPABILITY_PATHS)


def groups_for_cycle(cycle: int) -> set[StateGroup]:
    """The groups the coordinator reads on poll ``cycle`` (1-based; cycle 0 is the first read)."""
    return {g for g in GROUPS if g not in SLOW_GROUPS or cycle % SLOW_GROUPS[g] == 0}


async def measure(devices: int, app_type: str, cycles: int, rtt: float, cert_dir: Path) -> Result:
    """Stand up the simulator, then set up and poll through one TumsBackend."""
    sim = CountingSimulator(
        host=HOST,
        port=0,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        devices=devices,
        app_type=app_type,
        cert_dir=cert_dir,
        rtt=rtt,
    )
    await sim.start()
    trace = InFlightTrace()
    try:
        context = ssl.create_default_context(cafile=str(sim.ca_path))
        async with aiohttp.ClientSession(trace_configs=[trace.config]) as session:

            def new_client() -> TumsClient:
                return TumsClient(
                    session,
                    sim.url,
                    access_key=ACCESS_KEY,
                    secret_key=SECRET_KEY,
                    ssl_context=context,
                    timeout=30.0,
                )

            cache = CapabilityCache()
            backend = TumsBackend(new_client(), account_id="bench", capability_cache=cache)
            started = time.perf_counter()
            sim.busy = 0.0
            await backend.async_connect()
            found = await backend.async_get_devices()
            listed = time.perf_counter()
            after_devices = len(sim.exchanges)
            by_key: dict[str, Device] = {device.key: device for device in found}
            await backend.async_get_state(by_key, set(GROUPS))
            state_seconds = time.perf_counter() - listed
            connect_seconds = listed - started
            after_setup = len(sim.exchanges)
            simulator_seconds = sim.busy
            peak_trace, peak_server = trace.peak, sim.peak_in_flight

            polls: list[Tally] = []
            for cycle in range(1, cycles + 1):
                before = len(sim.exchanges)
                await backend.async_get_state(by_key, groups_for_cycle(cycle))
                polls.append(Tally.of(sim.exchanges[before:]))
            before = len(sim.exchanges)
            slow = set(SLOW_GROUPS)
            await backend.async_get_state(by_key, {g for g in GROUPS if g not in slow})
            steady = Tally.of(sim.exchanges[before:])
            before = len(sim.exchanges)
            await backend.async_get_state(by_key, set(GROUPS))
            full = Tally.of(sim.exchanges[before:])
            await backend.async_close()
            # A reload or restart: Home Assistant builds a new client and backend over the
            # cache it stored after the first setup.
            warm_cache = CapabilityCache.from_dict(cache.to_dict())
            warm_backend = TumsBackend(
                new_client(), account_id="bench", capability_cache=warm_cache
            )
            before = len(sim.exchanges)
            started = time.perf_counter()
            await warm_backend.async_connect()
            warm_found = await warm_backend.async_get_devices()
            listed = time.perf_counter()
            warm_after_devices = len(sim.exchanges)
            await warm_backend.async_get_state(
                {device.key: device for device in warm_found}, set(GROUPS)
            )
            warm = Phases(
                devices_seconds=listed - started,
                state_seconds=time.perf_counter() - listed,
                devices=Tally.of(sim.exchanges[before:warm_after_devices]),
                state=Tally.of(sim.exchanges[warm_after_devices:]),
            )
            await warm_backend.async_close()
            peak_trace = max(peak_trace, trace.peak)
            peak_server = max(peak_server, sim.peak_in_flight)
    finally:
        await sim.stop()
    channels = sum(1 for device in found if device.parent is not None)
    return Result(
        top_level=len(found) - channels,
        nvrs=len({device.parent for device in found if device.parent is not None}),
        channels=channels,
        devices=len(found),
        connect_seconds=connect_seconds,
        state_seconds=state_seconds,
        simulator_seconds=simulator_seconds,
        setup=Tally.of(sim.exchanges[:after_setup]),
        setup_devices=Tally.of(sim.exchanges[:after_devices]),
        setup_state=Tally.of(sim.exchanges[after_devices:after_setup]),
        cycles=polls,
        steady=steady,
        full=full,
        peak_trace=peak_trace,
        peak_server=peak_server,
        warm=warm,
        warm_same_devices=warm_found == found,
    )


def _saved(tally: Tally) -> str:
    return f"{tally.requests} of {tally.naive} naive requests, {tally.saved:.1%} saved"


def report(result: Result, app_type: str, rtt: float) -> list[str]:
    """The printed lines."""
    devices = result.devices
    warm = result.warm
    counts = [tally.requests for tally in result.cycles]
    lines = [
        f"TUMS cloud simulator, {app_type} application: {result.top_level} bound devices "
        f"({result.nvrs} NVRs with {result.channels} channels), {devices} devices in all"
        + (f", {rtt * 1000:.0f} ms simulated round trip" if rtt else ""),
        f"setup (connect, devices with capabilities, first read of every group): "
        f"{result.connect_seconds + result.state_seconds:.2f} s "
        f"({result.connect_seconds:.2f} s + {result.state_seconds:.2f} s), "
        f"{result.setup.requests} requests "
        f"({result.setup_devices.requests} + {result.setup_state.requests}); "
        f"{result.simulator_seconds:.2f} s of it the simulator's own work in the same process",
        f"max requests in flight: {result.peak_trace} (client trace), "
        f"{result.peak_server} (at the simulator); bound {CONCURRENCY} "
        f"(backend), {MAX_IN_FLIGHT} (client)",
        f"setup at a {PROJECTED_RTT * 1000:.0f} ms cloud round trip with {CONCURRENCY} in flight: "
        f">= {result.setup.requests / CONCURRENCY * PROJECTED_RTT:.1f} s",
        f"warm reload (the same setup, capability cache filled by the first): "
        f"{warm.devices_seconds + warm.state_seconds:.2f} s "
        f"({warm.devices_seconds:.2f} s + {warm.state_seconds:.2f} s), {warm.requests} requests "
        f"({warm.devices.requests} + {warm.state.requests}), "
        f"{warm.capability_requests} capability requests "
        f"(cold: {sum(result.setup_devices.by_path[p] for p in CAPABILITY_PATHS)}); "
        f"same devices: {'yes' if result.warm_same_devices else 'NO'}; "
        f"at {PROJECTED_RTT * 1000:.0f} ms and {CONCURRENCY} in flight: "
        f">= {warm.requests / CONCURRENCY * PROJECTED_RTT:.1f} s, of it the device list "
        f">= {warm.devices.requests / CONCURRENCY * PROJECTED_RTT:.1f} s "
        f"(cold: {result.setup_devices.requests / CONCURRENCY * PROJECTED_RTT:.1f} s)",
    ]
    if counts:
        mean = statistics.mean(counts)
        lines.append(
            f"requests per poll cycle ({len(counts)} cycles, coordinator schedule): "
            f"min {min(counts)}, mean {mean:.1f}, max {max(counts)}; "
            f"per device: mean {mean / devices:.3f}"
        )
    for name, tally in (
        ("steady cycle (groups read every poll)", result.steady),
        ("full cycle (every group)", result.full),
    ):
        lines.append(
            f"{name}: {tally.requests} requests, {tally.requests / devices:.3f} per device; "
            + ", ".join(f"{path} {n}" for path, n in tally.by_path.most_common())
        )
    total = Tally(
        requests=result.setup.requests + sum(t.requests for t in result.cycles),
        naive=result.setup.naive + sum(t.naive for t in result.cycles),
    )
    lines += [
        "batching and paging saved (naive: one request per device and item):",
        f"  setup, device list: {_saved(result.setup_devices)}",
        f"  setup, first state read: {_saved(result.setup_state)}",
        f"  steady cycle: {_saved(result.steady)}",
        f"  full cycle: {_saved(result.full)}",
        f"  setup and {len(result.cycles)} cycles: {_saved(total)}",
    ]
    return lines


async def run(
    devices: int = 500, app_type: str = "device", cycles: int = 10, rtt: float = 0.0
) -> Result:
    """Measure and print."""
    with tempfile.TemporaryDirectory(prefix="bench-tums-") as cert_dir:
        result = await measure(devices, app_type, cycles, rtt, Path(cert_dir))
    for line in report(result, app_type, rtt):
        print(line)
    return result


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--app-type", default="device", choices=["device", "project"])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--rtt-ms", type=float, default=0.0, help="simulated cloud round trip")
    args = parser.parse_args()
    result = asyncio.run(run(args.devices, args.app_type, args.cycles, args.rtt_ms / 1000))
    if max(result.peak_trace, result.peak_server) > CONCURRENCY:
        sys.exit(f"more than {CONCURRENCY} requests were in flight")


if __name__ == "__main__":
    main()
