"""The support probe against the VIGI simulator, run as a user runs it."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from simulators.sunmi import SunmiSimulator
from simulators.vigi import VigiSimulator

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Probe-Secret-9"
SUNMI_SECRET = "Sunmi-Probe-Secret"
CERT_PASSWORD = "Probe-Cert-Password"


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


@pytest.fixture
async def sunmi(tmp_path: Path) -> AsyncIterator[SunmiSimulator]:
    simulator = SunmiSimulator(
        host="127.0.0.61",
        app_id="APP-1",
        secret_key=SUNMI_SECRET,
        activation_code="code",
        model="FS",
        sn="FS101D8BS00777",
        activated=True,
        cert_dir=tmp_path,
        cert_password=CERT_PASSWORD,
        https_port=443,
        channel_port=10021,
        discovery_port=10001,
    )
    await simulator.start()
    yield simulator
    await simulator.stop()


async def sunmi_probe(*args: str, secret: str = SUNMI_SECRET) -> tuple[int, str, str]:
    env = {**os.environ, "PROBE_SECRET": secret, "PROBE_CERT_PASSWORD": CERT_PASSWORD}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "scripts.probe", "sunmi", *args,
        cwd=ROOT, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_sunmi_discover(sunmi: SunmiSimulator) -> None:
    code, out, err = await sunmi_probe("--discover", "--target", sunmi.host)
    assert code == 0, err
    cameras = json.loads(out)["cameras"]
    assert [camera["ip"] for camera in cameras] == [sunmi.host]
    assert cameras[0]["model"] == "FM020"
    assert "FS101D8BS00777" not in out  # serial numbers are redacted


async def test_sunmi_report(sunmi: SunmiSimulator) -> None:
    base = ("--host", sunmi.host, "--app-id", "APP-1", "--cert", str(sunmi.p12_path))
    code, out, _err = await sunmi_probe(*base)
    assert code == 3
    assert json.loads(out) == {"certificate_sha256": sunmi.server_fingerprint}
    code, out, err = await sunmi_probe(*base, "--accept-certificate")
    assert code == 0, err
    report = json.loads(out)
    assert "face_events" in report["capabilities"]
    assert report["state"]["camera"]["memory_card"] is not None
    for secret in (SUNMI_SECRET, CERT_PASSWORD, "FS101D8BS00777"):
        assert secret not in out
    code, _out, err = await sunmi_probe(*base, "--accept-certificate", secret="wrong")
    assert code == 4
    assert "wrong" not in err
