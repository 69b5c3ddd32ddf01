"""SUNMI benchmark: discovery scan size, channel push latency, requests per poll. Prints only.

Run from the repository root: `.venv/bin/python -m bench.sunmi [--cameras 50] [--events 1000]`.
Simulators listen on 127.0.1.x; Home Assistant runs in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import tempfile
import time
from pathlib import Path

from homeassistant import loader
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.business_cameras.api.sunmi.discovery import discover
from custom_components.business_cameras.const import DOMAIN
from custom_components.business_cameras.discovery import DATA_DISCOVERY_TARGETS
from simulators.sunmi import SunmiSimulator

APP_ID = "BENCHAPP"
SECRET = "Bench-Secret-Key"
CERT_PASSWORD = "Bench-Cert"


def host(number: int) -> str:
    """The loopback address of simulator ``number`` (1-based)."""
    return f"127.0.1.{number}"


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def start_cameras(count: int, cert_dir: Path) -> list[SunmiSimulator]:
    """``count`` FS/SS cameras on 127.0.1.1.. with the real ports."""
    sims = [
        SunmiSimulator(
            host=host(number),
            app_id=APP_ID,
            secret_key=SECRET,
            activation_code="bench",
            model="FS" if number % 2 else "SS",
            sn=f"{'FS' if number % 2 else 'SS'}101D8BS{number:05d}",
            activated=True,
            cert_dir=cert_dir,
            cert_password=CERT_PASSWORD,
            https_port=443,
            channel_port=10021,
            discovery_port=10001,
        )
        for number in range(1, count + 1)
    ]
    await asyncio.gather(*(sim.start() for sim in sims))
    return sims


async def measure_scan(sims: list[SunmiSimulator]) -> tuple[int, float]:
    """Cameras found by one scan of every simulator's address, and its duration."""
    started = time.perf_counter()
    found = await discover([sim.host for sim in sims])
    return len(found), time.perf_counter() - started


async def measure_camera(sim: SunmiSimulator, events: int, cycles: int) -> None:
    """Set one camera up in Home Assistant; time channel pushes and count poll requests."""
    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        hass.data[DATA_DISCOVERY_TARGETS] = []
        entry = MockConfigEntry(
            domain=DOMAIN,
            unique_id=sim.sn,
            data={
                "platform": "sunmi",
                "host": sim.host,
                "port": 443,
                "app_id": APP_ID,
                "secret_key": SECRET,
                "certificate_data": base64.b64encode(Path(sim.p12_path).read_bytes()).decode(),
                "certificate_password": CERT_PASSWORD,
                "fingerprint": sim.server_fingerprint,
                "hub_id": sim.sn,
                "sn": sim.sn,
                "model": "FS",
                "webhook_id": "c" * 32,
            },
        )
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        coordinator = entry.runtime_data.coordinator

        counts = []
        for _ in range(cycles):
            before = sum(sim.requests.values())
            await coordinator.async_refresh()
            counts.append(sum(sim.requests.values()) - before)

        latencies = await measure_push(hass, sim, entry, events)
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        await hass.async_stop(force=True)

    print(
        f"requests per poll cycle per camera (default entities, {cycles} cycles): "
        f"min {min(counts)}, mean {statistics.mean(counts):.1f}, max {max(counts)}"
    )
    if latencies:
        print(
            f"channel push to state over {len(latencies)} events: "
            f"p50 {quantile(latencies, 0.5) * 1000:.1f} ms, "
            f"p99 {quantile(latencies, 0.99) * 1000:.1f} ms, "
            f"max {max(latencies) * 1000:.1f} ms"
        )


async def measure_push(
    hass: HomeAssistant, sim: SunmiSimulator, entry: MockConfigEntry, events: int
) -> list[float]:
    """Time from the simulator publishing to the event entity's new state."""
    entity_id = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{sim.sn}_camera_camera_event"
    )
    if entity_id is None:
        return []
    async with asyncio.timeout(20):
        while entry.runtime_data.coordinator.push_method.value != "channel":
            await asyncio.sleep(0.05)
    loop = asyncio.get_running_loop()
    pending: list[tuple[float, asyncio.Future[float]]] = []

    @callback
    def on_change(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == entity_id and pending:
            sent, future = pending.pop(0)
            if not future.done():
                future.set_result(time.perf_counter() - sent)

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, on_change)
    latencies: list[float] = []
    try:
        for number in range(events):
            future: asyncio.Future[float] = loop.create_future()
            pending.append((time.perf_counter(), future))
            if number % 2:
                await sim.publish_face(faceid=str(number), group_name="regular", pic=False)
            else:
                await sim.publish_motion(detect_type=1)
            try:
                latencies.append(await asyncio.wait_for(future, 5))
            except TimeoutError:
                pending.clear()
    finally:
        unsubscribe()
    return latencies


async def run(cameras: int, events: int, cycles: int) -> None:
    """Start the simulators, then measure."""
    with tempfile.TemporaryDirectory() as cert_dir:
        sims = await start_cameras(cameras, Path(cert_dir))
        try:
            found, seconds = await measure_scan(sims)
            print(f"SUNMI simulators: {cameras}")
            print(f"discovery: {found}/{cameras} cameras found in one scan ({seconds:.1f} s)")
            await measure_camera(sims[0], events, cycles)
        finally:
            await asyncio.gather(*(sim.stop() for sim in sims))


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=50)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.cameras, args.events, args.cycles))


if __name__ == "__main__":
    main()
