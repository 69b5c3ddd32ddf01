"""The support probe against the VIGI simulator, run as a user runs it."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from simulators.vigi import VigiSimulator

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Probe-Secret-9"


@pytest.fixture
async def sim() -> AsyncIterator[VigiSimulator]:
    simulator = VigiSimulator(host="127.0.0.6", port=0, password=PASSWORD, channels=3)
    await simulator.start()
    yield simulator
    await simulator.stop()


async def probe(*args: str, password: str = PASSWORD) -> tuple[int, str, str]:
    env = {**os.environ, "PROBE_PASSWORD": password}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "scripts.probe",
        *args,
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_without_acceptance_prints_the_fingerprint_only(sim: VigiSimulator) -> None:
    code, out, err = await probe(
        "vigi", "--host", sim.host, "--port", str(sim.port), "--username", "admin"
    )
    assert code == 3
    assert json.loads(out) == {"certificate_sha256": sim.fingerprint}
    assert "--accept-certificate" in err
    assert sim.requests["GET /openapi/token"] == 0


async def test_report_is_redacted(sim: VigiSimulator) -> None:
    code, out, err = await probe(
        "vigi",
        "--host",
        sim.host,
        "--port",
        str(sim.port),
        "--username",
        "admin",
        "--accept-certificate",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["model"] == "VIGI NVR"
    assert len(report["channels"]) == 3
    assert "disks" in report["capabilities"]
    assert report["state"]["nvr"]["disks"]
    assert PASSWORD not in out
    assert "00:ff:00:13:31:01" not in out
    assert "00-ff-00-13-31-01" not in out


async def test_wrong_password_and_unreachable(sim: VigiSimulator) -> None:
    code, _out, err = await probe(
        "vigi", "--host", sim.host, "--port", str(sim.port), "--username", "admin",
        "--accept-certificate", password="wrong",
    )  # fmt: skip
    assert code == 4
    assert err.count("\n") == 1
    assert "wrong" not in err
    code, _out, err = await probe(
        "vigi", "--host", "127.0.0.7", "--port", "1", "--username", "admin"
    )
    assert code == 6
    assert err.startswith("probe: cannot reach")
