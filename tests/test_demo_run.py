"""The demo's own self-test: simulators + real hass, configured through the flows, events seen."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest

from scripts.demo import (
    SIM_CONTROL_PORT,
    SIM_HOST,
    SIM_PORT,
    SUNMI_CAMERAS,
    TUMS_CONTROL_PORT,
    TUMS_HOST,
    TUMS_PORT,
    port_is_free,
)

ROOT = Path(__file__).resolve().parent.parent


def demo_ports() -> list[tuple[str, int, socket.SocketKind]]:
    """Every address the demo's simulators listen on."""
    ports = [
        (SIM_HOST, SIM_PORT, socket.SOCK_STREAM),
        (SIM_HOST, SIM_CONTROL_PORT, socket.SOCK_STREAM),
        (TUMS_HOST, TUMS_PORT, socket.SOCK_STREAM),
        (TUMS_HOST, TUMS_CONTROL_PORT, socket.SOCK_STREAM),
    ]
    for camera in SUNMI_CAMERAS:
        for port in (443, 10021, camera.control_port):
            ports.append((camera.host, port, socket.SOCK_STREAM))
        ports.append((camera.host, 10001, socket.SOCK_DGRAM))
    return ports


def busy_ports() -> list[str]:
    return [f"{h}:{p}" for h, p, kind in demo_ports() if not port_is_free(h, p, kind)]


async def test_demo_exit_after_setup() -> None:
    if busy := busy_ports():
        pytest.skip(f"a demo is already running ({', '.join(busy)} in use)")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "scripts.demo",
        "--exit-after-setup",
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 300)
    text = out.decode()
    assert process.returncode == 0, text
    assert "all checks passed" in text
    assert "check: TUMS push: simulator answered" in text
    assert "demo / demo-password" in text
    for camera in SUNMI_CAMERAS:
        assert f"{camera.model} {camera.sn}" in text
    assert "fired 'face', group 'vip'" in text
    assert busy_ports() == [], "the demo left a simulator behind"
