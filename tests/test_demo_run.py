"""The demo's own self-test: simulator + real hass, configured through the flow, an event seen."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # like aiohttp, ignore TIME_WAIT
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


async def test_demo_exit_after_setup() -> None:
    if not port_free("127.0.0.2", 20443):
        pytest.skip("a demo is already running on 127.0.0.2:20443")
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
    assert "demo / demo-password" in text
