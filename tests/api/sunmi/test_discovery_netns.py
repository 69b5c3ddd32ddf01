"""Real UDP broadcast discovery between two network namespaces this test creates.

A camera in namespace A listens on 0.0.0.0:10001 as a real one does; Home Assistant's scanner in
namespace B sends to the broadcast address of its own interface (found by broadcast_targets()).
Nothing leaves the two namespaces. Skipped where namespaces cannot be created (not root, no
iproute2, or a sandbox without CAP_NET_ADMIN).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SUBNET = "10.213.97"  # only ever configured inside the test's own namespaces
SN = "FS101D8BS04242"

SCAN = """
import asyncio, json
from custom_components.business_cameras.api.sunmi.discovery import broadcast_targets, discover
targets = broadcast_targets()
cameras = asyncio.run(discover(targets, wait=1.0))
print(json.dumps({"targets": targets, "cameras": [[c.sn, c.ip, c.model] for c in cameras]}))
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=False, capture_output=True, text=True, timeout=30)


@pytest.fixture
def namespaces() -> Iterator[tuple[str, str]]:
    """Two namespaces joined by a veth pair; removed afterwards whatever happens."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 to create network namespaces")
    suffix = str(os.getpid())
    camera_ns, scanner_ns = f"bc-cam-{suffix}", f"bc-ha-{suffix}"
    if run("ip", "netns", "add", camera_ns).returncode != 0:
        pytest.skip("this machine does not allow creating network namespaces")
    try:
        steps = [
            ("ip", "netns", "add", scanner_ns),
            ("ip", "link", "add", f"vc{suffix}", "type", "veth", "peer", "name", f"vh{suffix}"),
            ("ip", "link", "set", f"vc{suffix}", "netns", camera_ns),
            ("ip", "link", "set", f"vh{suffix}", "netns", scanner_ns),
            ("ip", "-n", camera_ns, "addr", "add", f"{SUBNET}.1/24", "brd", "+",
             "dev", f"vc{suffix}"),
            ("ip", "-n", scanner_ns, "addr", "add", f"{SUBNET}.2/24", "brd", "+",
             "dev", f"vh{suffix}"),
            ("ip", "-n", camera_ns, "link", "set", f"vc{suffix}", "up"),
            ("ip", "-n", scanner_ns, "link", "set", f"vh{suffix}", "up"),
            ("ip", "-n", camera_ns, "link", "set", "lo", "up"),
            ("ip", "-n", scanner_ns, "link", "set", "lo", "up"),
        ]  # fmt: skip
        for step in steps:
            result = run(*step)
            if result.returncode != 0:
                pytest.skip(f"cannot set up the namespaces: {result.stderr.strip()}")
        yield camera_ns, scanner_ns
    finally:
        run("ip", "netns", "del", camera_ns)
        run("ip", "netns", "del", scanner_ns)


def test_broadcast_discovery_between_namespaces(namespaces: tuple[str, str]) -> None:
    camera_ns, scanner_ns = namespaces
    with tempfile.TemporaryDirectory() as cert_dir:
        camera = subprocess.Popen(
            [
                "ip", "netns", "exec", camera_ns, sys.executable, "-m", "simulators.sunmi",
                "--host", f"{SUBNET}.1", "--in-netns", "--app-id", "A", "--activation-code", "C",
                "--model", "FS", "--sn", SN, "--activated",
                "--cert-dir", cert_dir, "--cert-password", "P",
            ],
            cwd=ROOT,
            env={**os.environ, "SUNMI_SIM_SECRET_KEY": "S"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        try:
            assert camera.stdout is not None
            line = camera.stdout.readline()
            assert "listening" in line, line
            scan = subprocess.run(
                ["ip", "netns", "exec", scanner_ns, sys.executable, "-c", SCAN],
                cwd=ROOT,
                check=False,
                capture_output=True,
                text=True,
                timeout=60,
            )
        finally:
            camera.terminate()
            camera.wait(timeout=10)
    assert scan.returncode == 0, scan.stderr
    report = json.loads(scan.stdout.strip().splitlines()[-1])
    assert report["targets"] == [f"{SUBNET}.255"]
    assert report["cameras"] == [[SN, f"{SUBNET}.1", "FM020"]]
