"""VIGI benchmark: requests per poll, push-to-state latency, setup time. Prints, never asserts.

Run from the repository root: `.venv/bin/python -m bench.vigi [--channels 64] [--events 1000]`.
Everything talks to a simulator on 127.0.0.8 and a Home Assistant HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from homeassistant import loader
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.business_cameras import PLATFORMS
from custom_components.business_cameras.api.vigi.client import VigiClient
from custom_components.business_cameras.const import DOMAIN
from simulators.vigi import VigiSimulator

HOST = "127.0.0.8"
PASSWORD = "Bench-Password-1"
WEBHOOK_ID = "b" * 32


def per_cycle(counter_before: dict[str, int], counter_after: dict[str, int]) -> int:
    """Requests sent between two snapshots of the simulator's counter."""
    return sum(counter_after.values()) - sum(counter_before.values())


async def naive_cycle(sim: VigiSimulator, channels: int) -> int:
    """Requests a client sends that reads every documented GET endpoint once per poll."""
    before = dict(sim.requests)
    async with aiohttp.ClientSession() as session:
        client = VigiClient(
            session,
            host=sim.host,
            port=sim.port,
            username="admin",
            password=PASSWORD,
            fingerprint=sim.fingerprint,
        )
        await client.login()
        nvr_reads: list[Callable[[], Awaitable[Any]]] = [
            client.added_devices,
            client.disks,
            client.esata_disks,
            client.timing_mode,
            client.ntp,
            client.poe_info,
            client.poe_status,
            client.poe_link_status,
            client.poe_link_mode,
            client.event_servers,
            client.module_list,
        ]
        for read in nvr_reads:
            await read()
        for channel in range(1, channels + 1):
            for stream in ("main", "minor"):
                await client.resolution(channel, stream)
                await client.bitrate(channel, stream)
            await client.audio_output(channel)
            await client.audio_input(channel)
            await client.snapshot(channel)
    after = dict(sim.requests)
    # The login is not part of a poll cycle.
    return (
        per_cycle(before, after)
        - after.get("GET /openapi/token", 0)
        + before.get("GET /openapi/token", 0)
    )


async def serve_http(hass: HomeAssistant) -> tuple[web.AppRunner, int]:
    """Serve Home Assistant's HTTP app on 127.0.0.1 (the harness does not bind a port)."""
    runner = web.AppRunner(hass.http.app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    return runner, port


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(channels: int, events: int, cycles: int) -> None:
    """Set up Home Assistant with the integration against a simulator and measure."""
    sim = VigiSimulator(host=HOST, port=0, password=PASSWORD, channels=channels, poe_ports=16)
    await sim.start()
    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        # Everything that registers HTTP routes comes before the server freezes its router.
        for component in ("http", "webhook", "repairs", *PLATFORMS):
            await async_setup_component(hass, component, {})
        runner, port = await serve_http(hass)
        await hass.config.async_update(internal_url=f"http://127.0.0.1:{port}")
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="Bench NVR",
            unique_id=sim.fingerprint,
            data={
                "platform": "vigi",
                "host": sim.host,
                "port": sim.port,
                "username": "admin",
                "password": PASSWORD,
                "fingerprint": sim.fingerprint,
                "hub_id": sim.fingerprint,
                "webhook_id": WEBHOOK_ID,
            },
        )
        entry.add_to_hass(hass)

        started = time.perf_counter()
        setup_requests_before = sum(sim.requests.values())
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        registry = er.async_get(hass)
        entities = er.async_entries_for_config_entry(registry, entry.entry_id)
        enabled = [e for e in entities if e.disabled_by is None]
        unavailable = [
            e.entity_id
            for e in enabled
            if (s := hass.states.get(e.entity_id)) is None or s.state == STATE_UNAVAILABLE
        ]
        setup_seconds = time.perf_counter() - started
        setup_requests = sum(sim.requests.values()) - setup_requests_before

        coordinator = entry.runtime_data.coordinator
        counts = []
        for _ in range(cycles):
            before = dict(sim.requests)
            await coordinator.async_refresh()
            counts.append(per_cycle(before, dict(sim.requests)))
        naive = await naive_cycle(sim, channels)

        latencies = await measure_push(hass, sim, entry, channels, events)

        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        await runner.cleanup()
        await hass.async_stop(force=True)
    await sim.stop()

    mean = statistics.mean(counts)
    print(f"VIGI NVR simulator, {channels} channels")
    print(f"entities: {len(entities)} ({len(enabled)} enabled by default)")
    print(
        f"setup: {setup_seconds:.2f} s to {len(enabled) - len(unavailable)}/{len(enabled)} "
        f"enabled entities available, {setup_requests} requests"
    )
    print(
        f"requests per poll cycle (default entities, {cycles} cycles): "
        f"min {min(counts)}, mean {mean:.1f}, max {max(counts)}"
    )
    print(f"poll-every-endpoint client: {naive} requests per cycle")
    print(f"ratio: {naive / mean:.1f}x fewer requests")
    if latencies:
        print(
            f"push to state over {len(latencies)} events: "
            f"p50 {quantile(latencies, 0.5) * 1000:.1f} ms, "
            f"p99 {quantile(latencies, 0.99) * 1000:.1f} ms, "
            f"max {max(latencies) * 1000:.1f} ms"
        )


async def measure_push(
    hass: HomeAssistant, sim: VigiSimulator, entry: MockConfigEntry, channels: int, events: int
) -> list[float]:
    """Time from the simulator sending an event to the event entity's new state."""
    registry = er.async_get(hass)
    targets = {}
    for channel in range(1, channels + 1):
        entity_id = registry.async_get_entity_id(
            "event", DOMAIN, f"{entry.data['hub_id']}_ch{channel}_camera_event"
        )
        if entity_id is not None:
            targets[entity_id] = channel
    waiting: dict[int, tuple[float, asyncio.Future[float]]] = {}

    @callback
    def on_change(event: Event[EventStateChangedData]) -> None:
        channel = targets.get(event.data["entity_id"])
        if channel is None or channel not in waiting:
            return
        sent, future = waiting.pop(channel)
        if not future.done():
            future.set_result(time.perf_counter() - sent)

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, on_change)
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    try:
        for number in range(events):
            channel = number % channels + 1
            future: asyncio.Future[float] = loop.create_future()
            waiting[channel] = (time.perf_counter(), future)
            sub_type = (2, 21, 22, 4)[number % 4]
            await sim.trigger_event(channel=channel, type=1, sub_types=[sub_type], picture=False)
            try:
                latencies.append(await asyncio.wait_for(future, 5))
            except TimeoutError:
                waiting.pop(channel, None)
    finally:
        unsubscribe()
    return latencies


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--channels", type=int, default=64)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.channels, args.events, args.cycles))


if __name__ == "__main__":
    main()
