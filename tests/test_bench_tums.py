"""Smoke test of bench/tums.py with a small account: it runs, prints, and keeps its bounds."""

from __future__ import annotations

import pytest

from bench import tums
from custom_components.business_cameras.api.tums.backend import CONCURRENCY


async def test_bench_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    result = await tums.run(devices=20, app_type="device", cycles=2, rtt=0.002)
    out = capsys.readouterr().out
    assert "requests per poll cycle" in out
    assert "batching and paging saved" in out
    assert result.top_level == 20
    assert result.channels == 8  # two NVRs with four connected channels each
    assert result.devices == 28
    assert 1 <= result.peak_trace <= CONCURRENCY
    assert 1 <= result.peak_server <= CONCURRENCY
    assert len(result.cycles) == 2
    for tally in (result.setup, result.steady, result.full, *result.cycles):
        assert 0 < tally.requests <= tally.naive
    # The device list is paged and the firmware read batched: they save something.
    assert result.setup_state.naive > result.setup_state.requests
    assert result.steady.requests <= result.full.requests
    # The warm reload reads the same devices without a single capability request.
    assert "warm reload" in out
    assert result.warm_same_devices
    assert result.warm.capability_requests == 0
    assert result.warm.devices.requests < result.setup_devices.requests
