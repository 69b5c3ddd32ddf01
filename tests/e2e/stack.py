"""The e2e stack: scripts.demo's simulators and real Home Assistant, plus the VIGI RTSP server.

It runs the demo's own set-up (the real config flows, the SUNMI discovery) in a fresh demo
directory under artifacts/e2e (its logs stay there for CI), with Home Assistant on a free port
of 127.0.0.1 and its ``stream`` integration loaded. Every process it starts is stopped again,
also when the set-up fails half-way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from scripts import demo
from scripts.demo import Children, Demo, HassApi

from .hass import Registry
from .loop import LoopThread

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
RUN_DIR = ARTIFACTS / "demo"  # like .demo; wiped when a run starts, kept after it for its logs

SYSTEM_PYTHON = "/usr/bin/python3"  # the RTSP server needs Debian's python3-gi
RTSP_PORT = 554  # the integration always builds rtsp://...:554/live/<ch>/<stream>/avm
RTSP_LINE = re.compile(r"VIGI RTSP simulator listening on (rtsp://\S+)")

# Device names as the flows and the simulators make them; the registry finds entities by them.
VIGI_HUB = f"VIGI NVR {demo.SIM_HOST}"
SUNMI_SS = f"SUNMI Store Sense Camera {demo.SS_CAMERA.sn}"
SUNMI_FS = f"SUNMI Face Sense Camera {demo.FS_CAMERA.sn}"
TUMS_IPC = demo.TUMS_EVENT_DEVICE  # the cloud lists its devices by their names

START_TIMEOUT = 150.0
STOP_TIMEOUT = 90.0
CALL_TIMEOUT = 60.0


def vigi_channel(number: int) -> str:
    """The device of an NVR channel: the simulator names its cameras "IPC<n> OSD"."""
    assert number != 2, "the simulator names channel 2 'Entrée & Hof'"
    return f"IPC{number} OSD"


def free_port(host: str) -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def use_run_dir(patch: pytest.MonkeyPatch, run_dir: Path) -> None:
    """Point scripts.demo at run_dir instead of .demo, with Home Assistant's stream loaded."""
    patch.setattr(demo, "DEMO_DIR", run_dir)
    patch.setattr(demo, "CONFIG_DIR", run_dir / "config")
    patch.setattr(demo, "SUNMI_CERT_DIR", run_dir / "sunmi-cert")
    patch.setattr(demo, "SUNMI_P12", run_dir / "sunmi-cert" / "openapi.p12")
    patch.setattr(demo, "TUMS_CERT_DIR", run_dir / "tums-cert")
    configuration_yaml = demo.configuration_yaml
    patch.setattr(demo, "configuration_yaml", lambda port: configuration_yaml(port) + "stream:\n")


def rtsp_argv() -> list[str]:
    """The RTSP server for the NVR's channels, with the NVR's account."""
    return [
        SYSTEM_PYTHON,
        "-m",
        "simulators.vigi.rtsp",
        "--host",
        demo.SIM_HOST,
        "--port",
        str(RTSP_PORT),
        "--username",
        demo.SIM_USERNAME,
        "--password-env",
        "VIGI_SIM_PASSWORD",
        "--channels",
        str(demo.SIM_CHANNELS),
    ]


def parse_rtsp_line(text: str) -> str | None:
    """The URL in the RTSP server's "listening" line."""
    match = RTSP_LINE.search(text)
    return None if match is None else match[1]


@dataclass
class Stack:
    """What the tests reach: the APIs, the demo's findings, the registries."""

    loop: LoopThread
    api: HassApi
    demo: Demo
    registry: Registry
    rtsp_url: str | None  # None when the RTSP server did not start; rtsp_error says why
    rtsp_error: str | None

    def run[T](self, coro: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT) -> T:
        """Run a coroutine on the stack's loop (where the session and the browser live)."""
        return self.loop.run(coro, timeout)

    @property
    def vigi_control(self) -> str:
        """The VIGI simulator's control API."""
        assert self.demo.vigi.control_url is not None
        return self.demo.vigi.control_url

    @property
    def session(self) -> aiohttp.ClientSession:
        """The stack's HTTP client session."""
        return self.api.session


async def _new_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))


async def _start(loop: LoopThread, children: Children, api: HassApi) -> Stack:
    env = {**os.environ, "VIGI_SIM_PASSWORD": demo.SIM_PASSWORD}
    rtsp = await children.spawn(
        "VIGI RTSP server", rtsp_argv(), demo.DEMO_DIR / "rtsp.log", env, demo.SIM_STOP_TIMEOUT
    )
    found = await demo.set_up(argparse.Namespace(fresh=True), children, api)
    rtsp_url, rtsp_error = None, None
    try:
        rtsp_url = await demo.wait_for_listening(rtsp, parse_rtsp_line)
    except demo.DemoError as err:
        rtsp_error = f"{err} (scripts/e2e-deps installs GStreamer's RTSP server)"
    registry = await Registry.read(api)
    return Stack(loop, api, found, registry, rtsp_url, rtsp_error)


async def _stop(children: Children, api: HassApi) -> None:
    try:
        await api.revoke()
        await api.session.close()
    finally:
        await children.stop_all()


@contextlib.contextmanager
def running_stack() -> Iterator[Stack]:
    """Start everything, yield the Stack, stop every process it started."""
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    loop = LoopThread()
    children = Children()
    try:
        with pytest.MonkeyPatch.context() as patch:
            use_run_dir(patch, RUN_DIR)
            api = HassApi(loop.run(_new_session(), 10), free_port(demo.HASS_HOST))
            try:
                yield loop.run(_start(loop, children, api), START_TIMEOUT)
            finally:
                loop.run(_stop(children, api), STOP_TIMEOUT)
    finally:
        loop.stop()
