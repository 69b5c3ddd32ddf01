"""The support probe against the TUMS cloud simulator on loopback, run as a user runs it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from simulators.tums import TumsSimulator

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.62"
ACCESS_KEY = "probe-ak-1"
SECRET = "Tums-Probe-Secret-42"


async def start(tmp_path: Path, **options: object) -> TumsSimulator:
    sim = TumsSimulator(
        host=HOST,
        port=0,
        access_key=ACCESS_KEY,
        secret_key=SECRET,
        cert_dir=tmp_path,
        **options,  # type: ignore[arg-type]
    )
    await sim.start()
    return sim


@pytest.fixture
async def sim(tmp_path: Path) -> AsyncIterator[TumsSimulator]:
    simulator = await start(tmp_path, devices=12, app_type="device")
    yield simulator
    await simulator.stop()


async def probe(*args: str, secret: str = SECRET) -> tuple[int, str, str]:
    env = {**os.environ, "PROBE_SECRET": secret}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "scripts.probe", "tums", *args,
        cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def base(sim: TumsSimulator) -> tuple[str, ...]:
    return ("--base-url", sim.url, "--access-key", ACCESS_KEY, "--cafile", str(sim.ca_path))


def assert_no_identifiers(sim: TumsSimulator, text: str) -> None:
    """No secret, device code or MAC in any spelling; no signature or nonce material."""
    assert SECRET not in text
    assert "Signature" not in text
    assert "X-Authorization" not in text
    for device in sim.state.all_devices():
        mac = device.mac.lower()
        for value in (device.qr_code, mac, mac.replace("-", ":"), mac.replace("-", "")):
            assert value not in text.lower()


async def test_device_application_report(sim: TumsSimulator) -> None:
    code, out, err = await probe(*base(sim), "--limit", "2")
    assert code == 0, err
    report = json.loads(out)
    assert report["platform"] == "tums"
    assert report["app_type"] == "device"
    assert report["regions"] is None
    # 12 bound devices; device 0 and 10 are NVRs with four connected channels each.
    assert report["counts"] == {
        "devices": 12,
        "nvrs_with_channels": 2,
        "channels": 8,
        "without_capabilities": 0,
    }
    assert report["overview"]["allNvrNum"] == 2
    assert report["capabilities"]["ptz_reset"] >= 1
    assert report["capabilities"]["reboot"] == 12
    keys = [device["key"] for device in report["devices"]]
    assert sorted(keys) == ["device-1", *(f"device-1:ch{c}" for c in range(1, 5)), "device-2"]
    channel = next(d for d in report["devices"] if d["key"] == "device-1:ch2")
    assert channel["parent"] == "device-1"
    assert channel["mac"] == "**REDACTED**"
    camera = next(d for d in report["devices"] if d["key"] == "device-2")
    assert camera["serial"] == "**REDACTED**"
    assert "ptz_reset" in camera["capabilities"]  # index 1 has a PTZ
    state = report["state"]["device-2"]
    assert state["online"] is True
    assert state["memory_card"]["total_gb"] == pytest.approx(119.1)
    assert state["timing_mode"] == "ntp"
    assert set(report["state"]) == set(keys)
    assert isinstance(report["clock_skew_seconds"], int | float)
    assert_no_identifiers(sim, out)
    assert_no_identifiers(sim, err)


async def test_project_application_report(tmp_path: Path) -> None:
    sim = await start(tmp_path, devices=6, app_type="project")
    try:
        code, out, err = await probe(*base(sim), "--limit", "3")
    finally:
        await sim.stop()
    assert code == 0, err
    report = json.loads(out)
    assert report["app_type"] == "project"
    assert {"Shop", "Warehouse"} <= {region["name"] for region in report["regions"]}
    assert report["capabilities"]["people_flow"] >= 1  # index 1 counts people
    assert report["state"]["device-2"]["people_flow"] is not None
    assert_no_identifiers(sim, out)


async def test_wrong_secret_clock_skew_and_tls(sim: TumsSimulator) -> None:
    code, out, err = await probe(*base(sim), secret="Not-The-Secret")
    assert (code, out) == (4, "")
    assert err.count("\n") == 1
    assert "Not-The-Secret" not in err
    sim.set_clock_skew(3600)
    code, _out, err = await probe(*base(sim))
    assert code == 4
    assert "clock" in err
    # The simulator shifts its own clock but not its Date header, so no number is shown.
    assert re.fullmatch(r"probe: [^\n]*clock[^\n]*\n", err)
    sim.set_clock_skew(0)
    code, out, err = await probe("--base-url", sim.url, "--access-key", ACCESS_KEY)
    assert (code, out) == (5, "")
    assert "--cafile" in err
    assert SECRET not in err


async def test_unreachable_and_usage(sim: TumsSimulator) -> None:
    code, _out, err = await probe(
        "--base-url", "https://127.0.0.63:1", "--access-key", ACCESS_KEY, "--cafile",
        str(sim.ca_path),
    )  # fmt: skip
    assert code == 6
    assert err.startswith("probe: ConnectError")
    code, _out, err = await probe("--base-url", f"http://{HOST}:1", "--access-key", ACCESS_KEY)
    assert code == 2
    assert "https://" in err
