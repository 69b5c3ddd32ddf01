"""Demo: the VIGI and SUNMI simulators and a real Home Assistant with business_cameras set up.

Everything listens on 127.0.0.0/8 and nothing reaches the internet: the Home Assistant
configuration under .demo/config lists its integrations one by one (no ``default_config``) and
onboarding is finished without the core-config step that adds met, radio_browser,
google_translate and shopping_list. The NVR is added through the config flow; the two SUNMI
cameras are found by the integration's UDP discovery (told to probe only their addresses) and
their discovery flows are confirmed as a user would. Ctrl-C (or SIGTERM) stops every process
this started.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Collection, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / ".demo"
CONFIG_DIR = DEMO_DIR / "config"
DOMAIN = "business_cameras"

HASS_HOST = "127.0.0.1"
DEFAULT_HASS_PORT = 8123
DEMO_NAME = "Demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"

SIM_HOST = "127.0.0.2"
SIM_PORT = 20443
SIM_CONTROL_PORT = 20080
SIM_USERNAME = "admin"
SIM_PASSWORD = "demo-nvr-password"
SIM_CHANNELS = 16
DEMO_EVENT = {"channel": 3, "type": 1, "sub_type": [2], "picture": True}
VIGI_TITLE = "VIGI"  # the flow titles the entry "VIGI NVR <host>"

# SUNMI cameras: demo credentials, the same for both (one vendor account, one openapi.p12).
SUNMI_APP_ID = "demo-sunmi-app"
SUNMI_SECRET_KEY = "demo-sunmi-secret-key"
SUNMI_ACTIVATION_CODE = "demo-activation-code"
SUNMI_CERT_PASSWORD = "demo-p12-password"
SUNMI_CERT_DIR = DEMO_DIR / "sunmi-cert"
SUNMI_P12 = SUNMI_CERT_DIR / "openapi.p12"
SUNMI_TCP_PORTS = (443, 10021)  # HTTPS OpenAPI, message channel: the device's real ports
SUNMI_UDP_PORT = 10001  # discovery
FACE_EVENT = {"faceid": "358526", "group_name": "vip", "age_range": 5, "gender": 2, "pic": True}
DISCOVERY_TARGETS_ENV = "BUSINESS_CAMERAS_DISCOVERY_TARGETS"

# TP-Link TUMS cloud: a device application with two NVRs (four channels each) and IPCs.
TUMS_HOST = "127.0.0.5"
TUMS_PORT = 443
TUMS_ACCESS_KEY = "demo-tums-access-key"
TUMS_SECRET_KEY = "demo-tums-secret-key"
TUMS_DEVICES = 12
TUMS_CONTROL_PORT = 20081
TUMS_SOLAR = 1  # solar power supplies besides the video devices
TUMS_CONTROL_URL = f"http://{TUMS_HOST}:{TUMS_CONTROL_PORT}"
TUMS_EVENT_DEVICE = "IPC 1"  # the camera whose motion the banner shows how to push
TUMS_PUSH_TIMEOUT = 30.0
TUMS_CERT_DIR = DEMO_DIR / "tums-cert"
TUMS_TITLE = "TUMS"  # the flow titles the entry "TUMS <host> (<application type>)"
TUMS_LISTENING_RE = re.compile(r"TUMS simulator listening on (?P<url>https://[\d.]+:\d+)")

ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
ONBOARDING_STORAGE_VERSION = 4
# Integrations that talk to the internet; the demo configuration must set up none of them.
INTERNET_DOMAINS = (
    "default_config",
    "met",
    "radio_browser",
    "google_translate",
    "shopping_list",
    "cloud",
    "mobile_app",
    "homeassistant_alerts",
)

HASS_START_TIMEOUT = 120.0
SIM_START_TIMEOUT = 30.0
ENTRY_TIMEOUT = 60.0
DISCOVERY_TIMEOUT = 30.0  # a scan takes about 5 s (3 requests 1 s apart, then 2 s of replies)
EVENT_PATH_TIMEOUT = 20.0
EVENT_TIMEOUT = 15.0
HASS_STOP_TIMEOUT = 30.0
SIM_STOP_TIMEOUT = 10.0

LISTENING_RE = re.compile(
    r"VIGI simulator listening on (?P<url>https://(?P<host>[\d.]+):(?P<port>\d+))"
    r" fingerprint=(?P<fingerprint>[0-9a-fA-F]+)"
    r"(?: control=(?P<control>http://\S+))?"
)
SUNMI_LISTENING_RE = re.compile(
    r"SUNMI simulator listening on (?P<url>https://(?P<host>[\d.]+):(?P<port>\d+))"
    r" sn=(?P<sn>\S+) model=(?P<model>\S+)"
)


class DemoError(Exception):
    """Something the demo needs did not work; the message says what."""


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived before the demo finished what it was doing."""


# -- pure helpers (tested in tests/test_demo_config.py) ----------------------------------------
@dataclass(frozen=True)
class SimulatorInfo:
    """What the simulator's "listening" line says."""

    url: str
    host: str
    port: int
    fingerprint: str
    control_url: str | None


def parse_listening_line(text: str) -> SimulatorInfo | None:
    """Find the simulator's "VIGI simulator listening on ..." line in its output."""
    match = LISTENING_RE.search(text)
    if match is None:
        return None
    return SimulatorInfo(
        url=match["url"],
        host=match["host"],
        port=int(match["port"]),
        fingerprint=match["fingerprint"].lower(),
        control_url=match["control"],
    )


@dataclass(frozen=True)
class SunmiCamera:
    """One SUNMI camera simulator the demo starts."""

    model: str
    sn: str
    host: str
    control_port: int

    @property
    def control_url(self) -> str:
        """The simulator's plain-HTTP control API."""
        return f"http://{self.host}:{self.control_port}"

    @property
    def log(self) -> Path:
        """Where its output goes."""
        return DEMO_DIR / f"sunmi-{self.model.lower()}.log"


SS_CAMERA = SunmiCamera("SS", "SS101D8BS00083", "127.0.0.3", 20081)
FS_CAMERA = SunmiCamera("FS", "FS101D8BS00106", "127.0.0.4", 20082)  # face recognition
SUNMI_CAMERAS = (SS_CAMERA, FS_CAMERA)


@dataclass(frozen=True)
class SunmiInfo:
    """What a SUNMI simulator's "listening" line says, plus its certificate's fingerprint."""

    url: str
    host: str
    sn: str
    model: str
    fingerprint: str = ""


def parse_sunmi_listening_line(text: str) -> SunmiInfo | None:
    """Find "SUNMI simulator listening on https://HOST:PORT sn=SN model=MODEL" in its output."""
    match = SUNMI_LISTENING_RE.search(text)
    if match is None:
        return None
    return SunmiInfo(url=match["url"], host=match["host"], sn=match["sn"], model=match["model"])


def sunmi_argv(camera: SunmiCamera) -> list[str]:
    """The simulator's command line; the secret key goes in its environment instead."""
    return [
        sys.executable,
        "-m",
        "simulators.sunmi",
        "--host",
        camera.host,
        "--app-id",
        SUNMI_APP_ID,
        "--activation-code",
        SUNMI_ACTIVATION_CODE,
        "--model",
        camera.model,
        "--sn",
        camera.sn,
        "--activated",
        "--cert-dir",
        str(SUNMI_CERT_DIR),
        "--cert-password",
        SUNMI_CERT_PASSWORD,
        "--control-port",
        str(camera.control_port),
    ]


def discovery_targets(cameras: Iterable[SunmiCamera]) -> str:
    """BUSINESS_CAMERAS_DISCOVERY_TARGETS: the only addresses the integration's scan probes."""
    return ",".join(camera.host for camera in cameras)


def discovery_flows(progress: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """SN -> flow id of this integration's SUNMI discovery flows waiting for a confirmation."""
    flows: dict[str, str] = {}
    for flow in progress:
        unique_id = (flow.get("context") or {}).get("unique_id")
        if (
            flow.get("handler") == DOMAIN
            and flow.get("step_id") == "sunmi_discovered"
            and unique_id
        ):
            flows[str(unique_id)] = str(flow["flow_id"])
    return flows


def entry_titled(entries: Iterable[Mapping[str, Any]], marker: str) -> Mapping[str, Any] | None:
    """The first (not ignored) entry of this integration whose title contains marker.

    The flows title entries "VIGI NVR <host>" and "SUNMI <model> <SN>".
    """
    for entry in entries:
        ours = entry.get("domain") == DOMAIN and entry.get("source") != "ignore"
        if ours and marker in str(entry.get("title", "")):
            return entry
    return None


def entities_of(
    registry: Iterable[Mapping[str, Any]], entry_id: str, domain: str, key: str
) -> list[str]:
    """Entity ids of one config entry with the given platform domain and translation key."""
    return sorted(
        str(entity["entity_id"])
        for entity in registry
        if entity.get("config_entry_id") == entry_id
        and entity.get("translation_key") == key
        and str(entity["entity_id"]).startswith(f"{domain}.")
    )


def base_url(port: int) -> str:
    """Home Assistant's URL; also the OAuth client id the demo logs in with."""
    return f"http://{HASS_HOST}:{port}"


def configuration_yaml(port: int) -> str:
    """A minimal configuration.yaml: a usable UI, bound to 127.0.0.1, nothing online."""
    url = base_url(port)
    return f"""\
# Written by scripts/demo on every run: edits here are lost.
# Integrations one by one: the usual all-in-one set pulls in some that reach the internet.
homeassistant:
  name: Business Cameras demo
  latitude: 52.3731
  longitude: 4.8922
  elevation: 0
  unit_system: metric
  time_zone: Europe/Amsterdam
  country: NL
  currency: EUR
  language: en
  internal_url: {url}

http:
  server_host:
    - {HASS_HOST}
  server_port: {port}

frontend:
config:
api:
websocket_api:
lovelace:
history:
logbook:
system_health:

logger:
  default: warning
  logs:
    custom_components.{DOMAIN}: info
"""


def onboarding_storage(done: Iterable[str]) -> dict[str, Any]:
    """The .storage/onboarding document with the given steps marked done."""
    steps = list(done)
    unknown = set(steps) - set(ONBOARDING_STEPS)
    if unknown:
        raise ValueError(f"unknown onboarding steps {sorted(unknown)}")
    return {
        "version": ONBOARDING_STORAGE_VERSION,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": steps},
    }


def pretty_fingerprint(fingerprint: str) -> str:
    """AA:BB:... as the config flow shows it."""
    pairs = (fingerprint[i : i + 2] for i in range(0, len(fingerprint), 2))
    return ":".join(pairs).upper()


def states_of(states: Iterable[Mapping[str, Any]], wanted: Collection[str]) -> dict[str, str]:
    """entity_id -> state of the wanted entities in a GET /api/states answer."""
    return {str(s["entity_id"]): str(s["state"]) for s in states if str(s["entity_id"]) in wanted}


def sunmi_banner(cameras: Iterable[SunmiCamera]) -> str:
    """The SUNMI part of the banner: one line per camera, then what to try."""
    lines = [f"  {c.model} {c.sn}  https://{c.host}  control API {c.control_url}" for c in cameras]
    face = json.dumps(FACE_EVENT)
    return "\n".join(
        [
            "SUNMI cameras:   found by UDP discovery, added through their discovery flows",
            *lines,
            "  Publish a face event on the FS camera:",
            f"    curl -X POST {FS_CAMERA.control_url}/face"
            f" -H 'Content-Type: application/json' -d '{face}'",
            "  Publish motion on the SS camera:",
            f"    curl -X POST {SS_CAMERA.control_url}/motion",
            "  See a simulated camera's state:",
            f"    curl {FS_CAMERA.control_url}/state",
            f"  To add one by hand: app id {SUNMI_APP_ID}, secret key {SUNMI_SECRET_KEY},",
            f"  certificate {SUNMI_P12.relative_to(ROOT)} (password {SUNMI_CERT_PASSWORD})",
        ]
    )


def banner(port: int, sim: SimulatorInfo, entities: int, tums_device: str) -> str:
    """What the user reads once everything runs (tums_device: the qrCode pushes are about)."""
    control = sim.control_url or "(no control API)"
    event = json.dumps(DEMO_EVENT)
    tums_event = json.dumps({"kind": "movementDetected", "device_id": tums_device})
    logs = ", ".join(str(c.log.relative_to(ROOT)) for c in SUNMI_CAMERAS)
    return f"""
Home Assistant:  {base_url(port)}
Login:           {DEMO_USERNAME} / {DEMO_PASSWORD}
VIGI simulator:  {sim.url} ({SIM_CHANNELS} channels, {entities} motion sensors in Home Assistant)
Control API:     {control}
  Trigger a motion event on channel 3:
    curl -X POST {control}/event -H 'Content-Type: application/json' -d '{event}'
  See the simulated NVR's state:
    curl {control}/state
{sunmi_banner(SUNMI_CAMERAS)}
TUMS cloud:      https://{TUMS_HOST}:{TUMS_PORT} (AK {TUMS_ACCESS_KEY}, {TUMS_DEVICES} devices)
  Push a motion message about "{TUMS_EVENT_DEVICE}" to Home Assistant's webhook:
    curl -X POST {TUMS_CONTROL_URL}/push -H 'Content-Type: application/json' -d '{tums_event}'
Logs:            .demo/home-assistant.log, .demo/vigi.log, .demo/tums.log, {logs}

Ctrl-C stops everything.
"""


def login_is_valid(storage_dir: Path) -> bool:
    """True when onboarding is finished and the demo user logs in with the demo password."""
    try:
        onboarding = json.loads((storage_dir / "onboarding").read_text())
        users = json.loads((storage_dir / "auth_provider.homeassistant").read_text())
    except (OSError, ValueError):
        return False
    if set(onboarding.get("data", {}).get("done", [])) != set(ONBOARDING_STEPS):
        return False
    import bcrypt  # Home Assistant's own dependency, as its auth provider uses it

    for user in users.get("data", {}).get("users", []):
        if user.get("username") == DEMO_USERNAME:
            stored = base64.b64decode(user["password"])
            return bool(bcrypt.checkpw(DEMO_PASSWORD.encode(), stored))
    return False


def port_is_free(host: str, port: int, kind: socket.SocketKind = socket.SOCK_STREAM) -> bool:
    """Whether a TCP listener (or with SOCK_DGRAM a UDP socket) could bind host:port now.

    A port this user may not bind at all (443 without root) is a DemoError saying so.
    """
    with socket.socket(socket.AF_INET, kind) as sock:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # like aiohttp
        try:
            sock.bind((host, port))
        except PermissionError as err:
            raise DemoError(
                f"may not bind {host}:{port} ({err.strerror}): ports below 1024 need root, "
                "CAP_NET_BIND_SERVICE or a lower net.ipv4.ip_unprivileged_port_start"
            ) from err
        except OSError:
            return False
    return True


def choose_hass_port(wanted: int) -> int:
    """wanted when free, else the next free port above it."""
    for port in range(wanted, wanted + 100):
        if port_is_free(HASS_HOST, port):
            return port
    raise DemoError(f"no free port on {HASS_HOST} in {wanted}..{wanted + 99}")


def say(message: str) -> None:
    """A progress line."""
    print(f"demo: {message}", flush=True)


# -- the configuration directory ---------------------------------------------------------------
def prepare_config(port: int, *, fresh: bool) -> bool:
    """Write .demo/config; returns True when it starts from scratch (no user yet)."""
    storage = CONFIG_DIR / ".storage"
    new = fresh or not login_is_valid(storage)
    if new and CONFIG_DIR.exists():
        shutil.rmtree(CONFIG_DIR)
    storage.mkdir(parents=True, exist_ok=True)
    if new:
        # Every step but "user": the demo creates its user through the onboarding API.
        done = [step for step in ONBOARDING_STEPS if step != "user"]
        (storage / "onboarding").write_text(json.dumps(onboarding_storage(done), indent=2))
    (CONFIG_DIR / "configuration.yaml").write_text(configuration_yaml(port))
    link = CONFIG_DIR / "custom_components" / DOMAIN
    link.parent.mkdir(exist_ok=True)
    if not link.is_symlink():
        if link.exists():
            shutil.rmtree(link)
        # Relative, so code edits show up and the tree can move.
        link.symlink_to(os.path.relpath(ROOT / "custom_components" / DOMAIN, link.parent))
    return new


# -- child processes ---------------------------------------------------------------------------
def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the demo itself dies (Linux only)."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass
class Child:
    """A process the demo started, leader of its own process group."""

    name: str
    proc: asyncio.subprocess.Process
    log: Path
    stop_timeout: float

    def signal_group(self, sig: signal.Signals) -> None:
        """Send sig to the child's process group, if any of it is left."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of its log, for error messages."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        """Raise DemoError (with its log's tail) if it has exited."""
        if self.proc.returncode is not None:
            raise DemoError(
                f"{self.name} exited with status {self.proc.returncode}; last lines of "
                f"{self.log.relative_to(ROOT)}:\n{self.log_tail()}"
            )

    async def stop(self) -> None:
        """SIGTERM, wait up to stop_timeout, then SIGKILL; sweeps what is left of its group."""
        if self.proc.returncode is None:
            self.signal_group(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), self.stop_timeout)
            except TimeoutError:
                say(f"{self.name} did not stop within {self.stop_timeout:.0f} s; killing it")
                self.signal_group(signal.SIGKILL)
                await self.proc.wait()
        self.signal_group(signal.SIGKILL)


@dataclass
class Children:
    """Every process started, stopped in reverse order."""

    started: list[Child] = field(default_factory=list)

    async def spawn(
        self, name: str, argv: list[str], log: Path, env: Mapping[str, str], stop_timeout: float
    ) -> Child:
        """Start argv in its own session with stdout and stderr going to log."""
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                cwd=ROOT,
                env=dict(env),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        child = Child(name, proc, log, stop_timeout)
        self.started.append(child)
        return child

    def kill_all(self) -> None:
        """SIGKILL every process group at once (a second Ctrl-C)."""
        for child in self.started:
            child.signal_group(signal.SIGKILL)

    async def first_exit(self) -> Child:
        """Until one of the children exits on its own; returns it."""
        waits = {asyncio.ensure_future(c.proc.wait()): c for c in self.started}
        done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        return waits[done.pop()]

    async def stop_all(self) -> None:
        """Stop the children, newest first (Home Assistant before the simulator)."""
        for child in reversed(self.started):
            if child.proc.returncode is None:
                say(f"stopping {child.name}")
            await child.stop()
        self.started.clear()


async def start_simulator(children: Children) -> SimulatorInfo:
    """Start the VIGI simulator and wait for its "listening" line."""
    for port in (SIM_PORT, SIM_CONTROL_PORT):
        if not port_is_free(SIM_HOST, port):
            raise DemoError(f"{SIM_HOST}:{port} is in use (another demo still running?)")
    say(f"starting the VIGI NVR simulator on {SIM_HOST}:{SIM_PORT}")
    argv = [
        sys.executable,
        "-m",
        "simulators.vigi",
        "--host",
        SIM_HOST,
        "--port",
        str(SIM_PORT),
        "--username",
        SIM_USERNAME,
        "--channels",
        str(SIM_CHANNELS),
        "--control-port",
        str(SIM_CONTROL_PORT),
        "--cert-dir",
        str(DEMO_DIR / "vigi-cert"),
    ]
    env = {**os.environ, "VIGI_SIM_PASSWORD": SIM_PASSWORD}
    child = await children.spawn(
        "VIGI simulator", argv, DEMO_DIR / "vigi.log", env, SIM_STOP_TIMEOUT
    )
    return await wait_for_listening(child, parse_listening_line)


async def wait_for_listening[T](child: Child, parse: Callable[[str], T | None]) -> T:
    """Until parse finds the "listening" line in the child's log."""
    deadline = time.monotonic() + SIM_START_TIMEOUT
    while time.monotonic() < deadline:
        info = parse(child.log.read_text(errors="replace"))
        if info is not None:
            return info
        child.check_alive()
        await asyncio.sleep(0.1)
    raise DemoError(f"{child.name} did not say it was listening within {SIM_START_TIMEOUT:.0f} s")


async def start_tums_simulator(children: Children) -> str:
    """Start the TUMS cloud simulator; its base URL."""
    for port in (TUMS_PORT, TUMS_CONTROL_PORT):
        if not port_is_free(TUMS_HOST, port):
            raise DemoError(f"{TUMS_HOST}:{port} is in use (another demo still running?)")
    say(f"starting the TUMS cloud simulator on {TUMS_HOST}:{TUMS_PORT}")
    argv = [
        sys.executable,
        "-m",
        "simulators.tums",
        "--host",
        TUMS_HOST,
        "--port",
        str(TUMS_PORT),
        "--access-key",
        TUMS_ACCESS_KEY,
        "--devices",
        str(TUMS_DEVICES),
        "--cert-dir",
        str(TUMS_CERT_DIR),
        "--control-port",
        str(TUMS_CONTROL_PORT),
        "--solar",
        str(TUMS_SOLAR),
    ]
    env = {**os.environ, "TUMS_SIM_SECRET_KEY": TUMS_SECRET_KEY}
    child = await children.spawn(
        "TUMS simulator", argv, DEMO_DIR / "tums.log", env, SIM_STOP_TIMEOUT
    )
    return await wait_for_listening(child, parse_tums_listening_line)


def parse_tums_listening_line(text: str) -> str | None:
    """The base URL in the TUMS simulator's "listening" line."""
    match = TUMS_LISTENING_RE.search(text)
    return match["url"] if match else None


def check_sunmi_ports(camera: SunmiCamera) -> None:
    """DemoError when another process holds one of the camera's ports."""
    busy = [p for p in (*SUNMI_TCP_PORTS, camera.control_port) if not port_is_free(camera.host, p)]
    if not port_is_free(camera.host, SUNMI_UDP_PORT, socket.SOCK_DGRAM):
        busy.append(SUNMI_UDP_PORT)
    if busy:
        ports = ", ".join(map(str, busy))
        raise DemoError(f"{camera.host} ports {ports} are in use (another demo still running?)")


async def start_sunmi_simulators(
    children: Children, session: aiohttp.ClientSession
) -> dict[str, SunmiInfo]:
    """Start the SUNMI cameras (in parallel, sharing one cert dir); SN -> what each says."""
    for camera in SUNMI_CAMERAS:
        check_sunmi_ports(camera)
    env = {**os.environ, "SUNMI_SIM_SECRET_KEY": SUNMI_SECRET_KEY}
    spawned = []
    for camera in SUNMI_CAMERAS:
        say(f"starting the SUNMI {camera.model} camera simulator on {camera.host}")
        name = f"SUNMI {camera.model} simulator"
        child = await children.spawn(name, sunmi_argv(camera), camera.log, env, SIM_STOP_TIMEOUT)
        spawned.append((camera, child))
    return {camera.sn: await sunmi_ready(camera, child, session) for camera, child in spawned}


async def sunmi_ready(
    camera: SunmiCamera, child: Child, session: aiohttp.ClientSession
) -> SunmiInfo:
    """Wait for a SUNMI simulator's "listening" line; its control API tells the fingerprint."""
    info = await wait_for_listening(child, parse_sunmi_listening_line)
    if (info.host, info.sn, info.model) != (camera.host, camera.sn, camera.model):
        raise DemoError(f"{child.name} says {info}, expected {camera}")
    async with session.get(camera.control_url + "/state") as resp:
        state = await resp.json()
    return replace(info, fingerprint=str(state["fingerprint"]).lower())


async def start_hass(children: Children, port: int) -> Child:
    """Start Home Assistant on .demo/config (no pip: everything is in .venv).

    Its SUNMI discovery probes only the simulators' addresses, never the host's networks. Its
    own TMPDIR: file_upload keeps uploads in <tmp>/home-assistant-file_upload and every Home
    Assistant deletes that directory on its first upload and at stop, so a test run beside the
    demo would delete the p12 the demo just uploaded (and the demo theirs).
    """
    say(f"starting Home Assistant on {base_url(port)} (log: .demo/home-assistant.log)")
    hass = Path(sys.executable).with_name("hass")
    argv = [
        str(hass),
        "--config",
        str(CONFIG_DIR),
        "--skip-pip",
        "--log-file",
        str(DEMO_DIR / "home-assistant.log"),
    ]
    tmp = DEMO_DIR / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        DISCOVERY_TARGETS_ENV: discovery_targets(SUNMI_CAMERAS),
        "TMPDIR": str(tmp),
    }
    return await children.spawn(
        "Home Assistant", argv, DEMO_DIR / "hass-console.log", env, HASS_STOP_TIMEOUT
    )


# -- Home Assistant's HTTP API -----------------------------------------------------------------
@dataclass
class HassApi:
    """Just enough of Home Assistant's REST and websocket APIs for the demo."""

    session: aiohttp.ClientSession
    port: int
    access_token: str | None = None
    refresh_token: str | None = None

    @property
    def url(self) -> str:
        """Base URL, also used as the OAuth client id."""
        return base_url(self.port)

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        form: Mapping[str, str] | aiohttp.FormData | None = None,
        expect: Iterable[int] = (200,),
    ) -> Any:
        """One request; returns the decoded JSON (or None), raises DemoError on other statuses."""
        headers = {}
        if self.access_token is not None:
            headers["Authorization"] = f"Bearer {self.access_token}"
        async with self.session.request(
            method, self.url + path, json=body, data=form, headers=headers
        ) as resp:
            text = await resp.text()
            if resp.status not in set(expect):
                raise DemoError(f"{method} {path} answered {resp.status}: {text[:500]}")
            return json.loads(text) if text and resp.content_type == "application/json" else None

    async def upload(self, path: Path, content_type: str) -> str:
        """Upload a file as the frontend's file selector does; returns its file id."""
        data = aiohttp.FormData()
        data.add_field("file", path.read_bytes(), filename=path.name, content_type=content_type)
        result = await self.call("POST", "/api/file_upload", form=data)
        return str(result["file_id"])

    async def ws_command(self, command: str, **arguments: Any) -> Any:
        """One websocket API command (flows in progress and the entity registry are only there)."""
        async with self.session.ws_connect(self.url + "/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.access_token})
            auth = await ws.receive_json()
            if auth.get("type") != "auth_ok":
                raise DemoError(f"websocket authentication failed: {auth}")
            await ws.send_json({"id": 1, "type": command, **arguments})
            answer = await ws.receive_json()
        if not answer.get("success"):
            raise DemoError(f"websocket command {command} failed: {answer.get('error')}")
        return answer["result"]

    async def status(self, path: str) -> int | None:
        """The HTTP status of GET path, or None while nothing listens."""
        try:
            async with self.session.get(self.url + path) as resp:
                return resp.status
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def use_code(self, code: str) -> None:
        """Trade an authorization code for tokens."""
        form = {"grant_type": "authorization_code", "code": code, "client_id": self.url + "/"}
        tokens = await self.call("POST", "/auth/token", form=form)
        self.access_token = tokens["access_token"]
        self.refresh_token = tokens["refresh_token"]

    async def revoke(self) -> None:
        """Revoke the demo script's refresh token so runs do not pile them up."""
        if self.refresh_token is not None:
            with contextlib.suppress(DemoError, aiohttp.ClientError, TimeoutError):
                async with asyncio.timeout(5):
                    await self.call("POST", "/auth/revoke", form={"token": self.refresh_token})
            self.refresh_token = None


async def wait_for_http(api: HassApi, hass: Child) -> None:
    """Until Home Assistant's HTTP server answers (it starts once the frontend is set up)."""
    deadline = time.monotonic() + HASS_START_TIMEOUT
    while time.monotonic() < deadline:
        hass.check_alive()
        if await api.status("/manifest.json") == 200:
            return
        await asyncio.sleep(0.5)
    raise DemoError(
        f"Home Assistant did not answer within {HASS_START_TIMEOUT:.0f} s; see "
        ".demo/home-assistant.log"
    )


async def create_demo_user(api: HassApi) -> None:
    """The onboarding user step: creates the admin user and logs in as it."""
    body = {
        "client_id": api.url + "/",
        "name": DEMO_NAME,
        "username": DEMO_USERNAME,
        "password": DEMO_PASSWORD,
        "language": "en",
    }
    result = await api.call("POST", "/api/onboarding/users", body)
    await api.use_code(result["auth_code"])
    say(f"created the admin user {DEMO_USERNAME!r}; onboarding is complete")


async def log_in(api: HassApi) -> None:
    """Log in as the demo user through the normal login flow."""
    client_id = api.url + "/"
    flow = await api.call(
        "POST",
        "/auth/login_flow",
        {"client_id": client_id, "handler": ["homeassistant", None], "redirect_uri": client_id},
    )
    creds = {"client_id": client_id, "username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    result = await api.call("POST", f"/auth/login_flow/{flow['flow_id']}", creds)
    if result.get("type") != "create_entry":
        raise DemoError(f"demo login refused ({result.get('errors')}); run ./scripts/demo --fresh")
    await api.use_code(result["result"])


async def wait_until_running(api: HassApi, hass: Child) -> None:
    """Until Home Assistant reports it has finished starting."""
    deadline = time.monotonic() + HASS_START_TIMEOUT
    while time.monotonic() < deadline:
        hass.check_alive()
        config = await api.call("GET", "/api/config")
        if config.get("state") == "RUNNING":
            return
        await asyncio.sleep(0.5)
    raise DemoError("Home Assistant did not finish starting; see .demo/home-assistant.log")


async def domain_entries(api: HassApi) -> list[dict[str, Any]]:
    """This integration's config entries."""
    entries: list[dict[str, Any]] = await api.call(
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
    )
    return entries


async def flow_step(api: HassApi, flow_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Submit one config flow step; a form that comes back with errors is a DemoError."""
    result: dict[str, Any] = await api.call(
        "POST", f"/api/config/config_entries/flow/{flow_id}", data
    )
    if result.get("errors"):
        raise DemoError(f"config flow step {result.get('step_id')} failed: {result['errors']}")
    return result


def check_fingerprint(result: Mapping[str, Any], fingerprint: str) -> str:
    """The fingerprint a certificate step shows; DemoError unless it is the simulator's."""
    shown = str(result.get("description_placeholders", {}).get("fingerprint"))
    if shown != pretty_fingerprint(fingerprint):
        raise DemoError(f"flow shows fingerprint {shown}, simulator has {fingerprint}")
    return shown


async def finish_flow(api: HassApi, flow_id: str, how: str, shown: str) -> None:
    """Confirm the certificate step; DemoError unless that creates the entry."""
    done = await flow_step(api, flow_id, {})
    if done.get("type") != "create_entry":
        raise DemoError(f"config flow did not create an entry: {done}")
    say(f"added {done.get('title')!r} {how} (certificate {shown[:23]}...)")


async def add_vigi_entry(api: HassApi, sim: SimulatorInfo) -> None:
    """Drive the integration's real config flow: menu -> vigi -> vigi_certificate."""
    start = {"handler": DOMAIN, "show_advanced_options": False}
    menu = await api.call("POST", "/api/config/config_entries/flow", start)
    if menu.get("type") != "menu" or "vigi" not in menu.get("menu_options", []):
        raise DemoError(f"expected the platform menu, got {menu}")
    flow_id = menu["flow_id"]
    form = await flow_step(api, flow_id, {"next_step_id": "vigi"})
    credentials = {
        "host": sim.host,
        "port": sim.port,
        "username": SIM_USERNAME,
        "password": SIM_PASSWORD,
    }
    confirm = await flow_step(api, flow_id, credentials)
    if confirm.get("step_id") != "vigi_certificate":
        raise DemoError(f"expected the certificate step after {form.get('step_id')}: {confirm}")
    shown = check_fingerprint(confirm, sim.fingerprint)
    await finish_flow(api, flow_id, "through the config flow", shown)


async def wait_for_entries(api: HassApi, markers: Collection[str]) -> dict[str, Mapping[str, Any]]:
    """Until an entry whose title holds each marker is loaded; marker -> entry."""
    deadline = time.monotonic() + ENTRY_TIMEOUT
    found: dict[str, Mapping[str, Any] | None] = {}
    while time.monotonic() < deadline:
        entries = await domain_entries(api)
        found = {marker: entry_titled(entries, marker) for marker in markers}
        loaded = {m: e for m, e in found.items() if e and e["state"] == "loaded"}
        if len(loaded) == len(markers):
            return loaded
        await asyncio.sleep(0.5)
    states = {m: e and (e.get("title"), e.get("state"), e.get("reason")) for m, e in found.items()}
    raise DemoError(f"{DOMAIN} entries did not load: {states}; see .demo/home-assistant.log")


async def ensure_vigi_entry(api: HassApi, sim: SimulatorInfo) -> Mapping[str, Any]:
    """The VIGI entry, loaded; adds it first when missing."""
    if entry_titled(await domain_entries(api), VIGI_TITLE) is None:
        await add_vigi_entry(api, sim)
    return (await wait_for_entries(api, [VIGI_TITLE]))[VIGI_TITLE]


async def add_tums_entry(api: HassApi, url: str) -> None:
    """Drive the config flow: menu -> tums (server, CA file, AK/SK, detected type)."""
    start = {"handler": DOMAIN, "show_advanced_options": False}
    menu = await api.call("POST", "/api/config/config_entries/flow", start)
    if menu.get("type") != "menu" or "tums" not in menu.get("menu_options", []):
        raise DemoError(f"expected the platform menu, got {menu}")
    flow_id = menu["flow_id"]
    await flow_step(api, flow_id, {"next_step_id": "tums"})
    form = {
        "base_url": url,
        "ca_file": str(TUMS_CERT_DIR / "tums-ca.pem"),
        "access_key": TUMS_ACCESS_KEY,
        "secret_key": TUMS_SECRET_KEY,
        "app_type": "auto",
    }
    done = await flow_step(api, flow_id, form)
    if done.get("type") != "create_entry":
        raise DemoError(f"config flow did not create an entry: {done}")
    say(f"added {done.get('title')!r} through the config flow")


async def ensure_tums_entry(api: HassApi, url: str) -> Mapping[str, Any]:
    """The TUMS entry, loaded, with push on; adds it first when missing."""
    if entry_titled(await domain_entries(api), TUMS_TITLE) is None:
        await add_tums_entry(api, url)
    entry = (await wait_for_entries(api, [TUMS_TITLE]))[TUMS_TITLE]
    if await enable_tums_push(api, str(entry["entry_id"])):
        await wait_for_tums_subscription(api)
        entry = (await wait_for_entries(api, [TUMS_TITLE]))[TUMS_TITLE]
    return entry


async def enable_tums_push(api: HassApi, entry_id: str) -> bool:
    """Webhook push for the TUMS entry, as a user switches it on; False if it already was.

    A cloud pushes to Home Assistant's external URL; here the "cloud" is on loopback, so
    Home Assistant's own loopback URL is that URL.
    """
    config = await api.ws_command("get_config")
    if config.get("external_url") != api.url:
        await api.ws_command("config/core/update", external_url=api.url)
    flows = "/api/config/config_entries/options/flow"
    menu = await api.call("POST", flows, {"handler": entry_id})
    if menu.get("type") != "menu" or "settings" not in menu.get("menu_options", []):
        raise DemoError(f"expected the TUMS options menu, got {menu}")
    form = await api.call("POST", f"{flows}/{menu['flow_id']}", {"next_step_id": "settings"})
    defaults = {field["name"]: field.get("default") for field in form.get("data_schema", [])}
    if "push_method" not in defaults:
        raise DemoError(f"the TUMS options have no push method: {form}")
    if defaults["push_method"] == "webhook":
        await api.call("DELETE", f"{flows}/{form['flow_id']}")
        return False
    done = await api.call(
        "POST", f"{flows}/{form['flow_id']}", {**defaults, "push_method": "webhook"}
    )
    if done.get("type") != "create_entry":
        raise DemoError(f"the TUMS options flow did not finish: {done}")
    say("TUMS push switched on (the simulator posts to Home Assistant's webhook)")
    return True


async def tums_state(api: HassApi) -> dict[str, Any]:
    """The TUMS simulator's control state."""
    async with api.session.get(TUMS_CONTROL_URL + "/state") as resp:
        resp.raise_for_status()
        state: dict[str, Any] = await resp.json()
    return state


async def wait_for_tums_subscription(api: HassApi) -> None:
    """Until the reloaded entry has subscribed Home Assistant's webhook in the simulator."""
    deadline = time.monotonic() + TUMS_PUSH_TIMEOUT
    while time.monotonic() < deadline:
        config = (await tums_state(api)).get("push_config") or {}
        if config.get("openMsgTransport") == 1 and str(config.get("serverUrl", "")).startswith(
            api.url
        ):
            return
        await asyncio.sleep(0.5)
    raise DemoError("the TUMS entry did not subscribe to push; see .demo/home-assistant.log")


async def tums_device_id(api: HassApi, name: str) -> str:
    """A simulated TUMS device's qrCode, by name."""
    for device in (await tums_state(api))["devices"]:
        if device["name"] == name:
            return str(device["qrCode"])
    raise DemoError(f"the TUMS simulator has no device {name!r}")


async def add_sunmi_entry(api: HassApi, flow_id: str, camera: SunmiInfo) -> None:
    """Drive a discovery flow: confirm -> credentials and uploaded p12 -> fingerprint."""
    form = await flow_step(api, flow_id, {})
    if form.get("step_id") != "sunmi":
        raise DemoError(f"expected the credentials form after confirming {camera.sn}: {form}")
    credentials = {
        "app_id": SUNMI_APP_ID,
        "secret_key": SUNMI_SECRET_KEY,
        "certificate": await api.upload(SUNMI_P12, "application/x-pkcs12"),
        "certificate_password": SUNMI_CERT_PASSWORD,
    }
    confirm = await flow_step(api, flow_id, credentials)
    if confirm.get("step_id") != "sunmi_certificate":
        raise DemoError(f"expected the certificate step for {camera.sn}: {confirm}")
    shown = check_fingerprint(confirm, camera.fingerprint)
    await finish_flow(api, flow_id, "from its discovery flow", shown)


async def cameras_without_entry(api: HassApi, sns: Iterable[str]) -> list[str]:
    """The SNs no entry is titled with yet."""
    entries = await domain_entries(api)
    return [sn for sn in sns if entry_titled(entries, sn) is None]


async def add_discovered_cameras(api: HassApi, cameras: Mapping[str, SunmiInfo]) -> None:
    """Confirm the discovery flow of every camera not configured yet, as a user would."""
    missing = await cameras_without_entry(api, cameras)
    if missing:
        targets = discovery_targets(SUNMI_CAMERAS)
        say(f"waiting for discovery (scanning {targets}) to offer {', '.join(missing)}")
    deadline = time.monotonic() + DISCOVERY_TIMEOUT
    while missing:
        flows = discovery_flows(await api.ws_command("config_entries/flow/progress"))
        for sn in missing:
            if sn in flows:
                await add_sunmi_entry(api, flows[sn], cameras[sn])
        missing = await cameras_without_entry(api, cameras)
        if missing and time.monotonic() > deadline:
            raise DemoError(
                f"no discovery flow for {', '.join(missing)} within {DISCOVERY_TIMEOUT:.0f} s "
                "(an ignored or renamed entry? ./scripts/demo --fresh starts over); see "
                ".demo/home-assistant.log"
            )
        if missing:
            await asyncio.sleep(0.5)


async def ensure_sunmi_entries(
    api: HassApi, cameras: Mapping[str, SunmiInfo]
) -> dict[str, Mapping[str, Any]]:
    """SN -> entry of every SUNMI camera, loaded; adds missing ones from discovery."""
    await add_discovered_cameras(api, cameras)
    return await wait_for_entries(api, list(cameras))


async def current_states(api: HassApi, wanted: Collection[str]) -> dict[str, str]:
    """entity_id -> state of the wanted entities."""
    return states_of(await api.call("GET", "/api/states"), wanted)


async def wait_for_motion_sensors(api: HassApi, wanted: Collection[str]) -> dict[str, str]:
    """Until the wanted motion binary sensors exist and none is unavailable."""
    deadline = time.monotonic() + ENTRY_TIMEOUT
    motion: dict[str, str] = {}
    while time.monotonic() < deadline:
        motion = await current_states(api, wanted)
        if wanted and len(motion) == len(wanted) and "unavailable" not in motion.values():
            return motion
        await asyncio.sleep(0.5)
    raise DemoError(f"no available motion binary sensors: {motion or 'none at all'}")


async def state_of(api: HassApi, entity_id: str) -> dict[str, Any]:
    """One entity's state object."""
    state: dict[str, Any] = await api.call("GET", f"/api/states/{entity_id}")
    return state


async def wait_for_state(
    api: HassApi, entity_id: str, done: Callable[[Mapping[str, Any]], bool], within: float
) -> dict[str, Any]:
    """Poll an entity until done(state), for up to `within` seconds; returns the last state."""
    deadline = time.monotonic() + within
    state = await state_of(api, entity_id)
    while not done(state) and time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        state = await state_of(api, entity_id)
    return state


async def control(session: aiohttp.ClientSession, url: str, body: Any = None) -> str:
    """POST to a simulator's control API; returns its answer."""
    async with session.post(url, json=body) as resp:
        answer = (await resp.text()).strip()
        if resp.status != 200:
            raise DemoError(f"simulator control {url} answered {resp.status}: {answer}")
    return answer


@dataclass
class Demo:
    """What set_up found and started; the banner and the self-check read it."""

    vigi: SimulatorInfo
    cameras: dict[str, SunmiInfo]  # SN -> simulator
    entries: dict[str, str]  # VIGI_TITLE or SN -> entry id
    registry: list[dict[str, Any]]  # the entity registry
    motion: dict[str, str]  # the NVR's motion binary sensors -> state
    tums_device: str  # the qrCode of TUMS_EVENT_DEVICE

    def entity(self, owner: str, domain: str, key: str) -> str:
        """The entity with that domain and translation key of one entry (VIGI_TITLE or SN)."""
        found = entities_of(self.registry, self.entries[owner], domain, key)
        if not found:
            raise DemoError(f"{owner} has no {domain} entity with translation key {key!r}")
        return found[0]


# -- --exit-after-setup checks ---------------------------------------------------------------
async def check_onboarding(api: HassApi) -> str:
    """Every onboarding step done (404: onboarding was already complete at start)."""
    async with api.session.get(api.url + "/api/onboarding") as resp:
        if resp.status == 404:
            return "onboarding: complete (its views are not even registered)"
        steps = await resp.json()
    pending = [s["step"] for s in steps if not s["done"]]
    if pending:
        raise DemoError(f"onboarding steps not done: {pending}")
    return "onboarding: every step done (" + ", ".join(s["step"] for s in steps) + ")"


async def check_offline(api: HassApi) -> str:
    """No config entry and no loaded component of an integration that goes online."""
    entries = await api.call("GET", "/api/config/config_entries/entry")
    domains = sorted({e["domain"] for e in entries})
    config = await api.call("GET", "/api/config")
    online = sorted(
        d for d in INTERNET_DOMAINS if d in domains or d in config.get("components", [])
    )
    if online:
        raise DemoError(f"integrations that reach the internet are set up: {online}")
    if DOMAIN not in domains:
        raise DemoError(f"no {DOMAIN} config entry: {domains}")
    return "config entries: " + ", ".join(domains)


async def check_event(api: HassApi, demo: Demo) -> str:
    """Trigger a motion event on the NVR simulator and wait for a motion sensor to turn on."""
    if demo.vigi.control_url is None:
        raise DemoError("the simulator has no control API")
    answer = await control(api.session, demo.vigi.control_url + "/event", DEMO_EVENT)
    deadline = time.monotonic() + EVENT_TIMEOUT
    while time.monotonic() < deadline:
        motion = await current_states(api, demo.motion)
        turned_on = sorted(e for e, s in motion.items() if s == "on" and demo.motion[e] != "on")
        if turned_on:
            return f"event: simulator answered {answer}; now on: {', '.join(turned_on)}"
        await asyncio.sleep(0.25)
    raise DemoError(
        f"simulator answered {answer} but no motion binary sensor turned on within "
        f"{EVENT_TIMEOUT:.0f} s; see .demo/home-assistant.log and .demo/vigi.log"
    )


async def check_sunmi_entries(api: HassApi, demo: Demo) -> str:
    """Both SUNMI cameras have a loaded entry."""
    entries = await domain_entries(api)
    found = {sn: entry_titled(entries, sn) for sn in demo.cameras}
    bad = {sn: e and e.get("state") for sn, e in found.items() if not e or e["state"] != "loaded"}
    if bad:
        raise DemoError(f"SUNMI entries not loaded: {bad}")
    titles = [str(e["title"]) for e in found.values() if e]
    return "SUNMI entries loaded: " + ", ".join(titles)


async def check_event_paths(api: HassApi, demo: Demo) -> str:
    """Every SUNMI camera's event path sensor says "channel" (the message channel is up)."""
    seen = []
    for sn in demo.cameras:
        entity = demo.entity(sn, "sensor", "event_path")
        state = await wait_for_state(
            api, entity, lambda s: s["state"] == "channel", EVENT_PATH_TIMEOUT
        )
        if state["state"] != "channel":
            raise DemoError(
                f"{entity} is {state['state']!r}, not 'channel', after {EVENT_PATH_TIMEOUT:.0f} s"
            )
        seen.append(f"{entity} = channel")
    return "event paths: " + ", ".join(seen)


async def check_face(api: HassApi, demo: Demo) -> str:
    """Publish a face event on the FS camera; its event entity fires "face", group "vip"."""
    entity = demo.entity(FS_CAMERA.sn, "event", "camera_event")
    before = (await state_of(api, entity))["state"]
    answer = await control(api.session, FS_CAMERA.control_url + "/face", FACE_EVENT)

    def fired(state: Mapping[str, Any]) -> bool:
        return bool(state["state"] != before and state["attributes"].get("event_type") == "face")

    state = await wait_for_state(api, entity, fired, EVENT_TIMEOUT)
    group = state["attributes"].get("group")
    if not fired(state) or group != FACE_EVENT["group_name"]:
        raise DemoError(
            f"FS simulator answered {answer} but {entity} did not fire a face event of group "
            f"{FACE_EVENT['group_name']!r} within {EVENT_TIMEOUT:.0f} s: {state}"
        )
    return f"face event: FS simulator answered {answer}; {entity} fired 'face', group {group!r}"


async def check_sunmi_motion(api: HassApi, demo: Demo) -> str:
    """Publish motion on the SS camera; its motion binary sensor turns on."""
    entity = demo.entity(SS_CAMERA.sn, "binary_sensor", "motion")
    before = (await state_of(api, entity))["state"]
    if before == "on":
        raise DemoError(f"{entity} is already on before the SS camera publishes motion")
    answer = await control(api.session, SS_CAMERA.control_url + "/motion", {"detect_type": 1})
    state = await wait_for_state(api, entity, lambda s: s["state"] == "on", EVENT_TIMEOUT)
    if state["state"] != "on":
        raise DemoError(
            f"SS simulator answered {answer} but {entity} is still {state['state']!r} after "
            f"{EVENT_TIMEOUT:.0f} s; see .demo/home-assistant.log and "
            f"{SS_CAMERA.log.relative_to(ROOT)}"
        )
    return f"SUNMI motion: SS simulator answered {answer}; {entity} is on"


async def check_tums(api: HassApi, demo: Demo) -> str:
    """The TUMS account's NVR channels and cameras have entities that are available."""
    online = entities_of(demo.registry, demo.entries[TUMS_TITLE], "binary_sensor", "online")
    states = await current_states(api, online)
    if len(online) < TUMS_DEVICES or any(s != "on" for s in states.values()):
        raise DemoError(f"TUMS online sensors: {states}")
    return f"TUMS: {len(online)} devices and NVR channels online"


async def check_tums_push(api: HassApi, demo: Demo) -> str:
    """The TUMS simulator pushes motion of TUMS_EVENT_DEVICE; its motion sensor turns on."""
    devices = await api.ws_command("config/device_registry/list")
    entry_id = demo.entries[TUMS_TITLE]
    device_ids = {
        d["id"]
        for d in devices
        if d.get("name") == TUMS_EVENT_DEVICE and entry_id in d.get("config_entries", [])
    }
    of_entry = set(entities_of(demo.registry, entry_id, "binary_sensor", "motion"))
    motion = [
        str(r["entity_id"])
        for r in demo.registry
        if r["entity_id"] in of_entry and r.get("device_id") in device_ids
    ]
    if len(motion) != 1:
        raise DemoError(f"no single TUMS motion sensor of {TUMS_EVENT_DEVICE!r}: {motion}")
    body = {"kind": "movementDetected", "device_id": demo.tums_device}
    answer = await control(api.session, TUMS_CONTROL_URL + "/push", body)
    state = await wait_for_state(api, motion[0], lambda s: s["state"] == "on", EVENT_TIMEOUT)
    if state["state"] != "on":
        raise DemoError(
            f"TUMS simulator answered {answer} but {motion[0]} is {state['state']!r} after "
            f"{EVENT_TIMEOUT:.0f} s; see .demo/home-assistant.log and .demo/tums.log"
        )
    return f"TUMS push: simulator answered {answer}; {motion[0]} is on"


async def self_check(api: HassApi, demo: Demo) -> bool:
    """The checks behind --exit-after-setup; prints one line each."""
    checks: list[Callable[[], Awaitable[str]]] = [
        lambda: check_onboarding(api),
        lambda: check_offline(api),
        lambda: check_event(api, demo),
        lambda: check_sunmi_entries(api, demo),
        lambda: check_event_paths(api, demo),
        lambda: check_face(api, demo),
        lambda: check_sunmi_motion(api, demo),
        lambda: check_tums(api, demo),
        lambda: check_tums_push(api, demo),
    ]
    ok = True
    say(f"check: {len(demo.motion)} NVR motion binary sensors, none unavailable")
    for check in checks:
        try:
            say(f"check: {await check()}")
        except DemoError as err:
            say(f"check FAILED: {err}")
            ok = False
    return ok


# -- orchestration -----------------------------------------------------------------------------


async def start_everything(
    args: argparse.Namespace, children: Children, api: HassApi
) -> tuple[SimulatorInfo, dict[str, SunmiInfo], str]:
    """The simulators first (the integration scans for cameras as it loads), then hass."""
    DEMO_DIR.mkdir(exist_ok=True)
    # New simulator certificates would not match those pinned in old config entries.
    new_certificates = not all(d.is_dir() for d in (DEMO_DIR / "vigi-cert", SUNMI_CERT_DIR))
    # (The TUMS entry keeps the CA it was given; a new one is made only with a new cert dir.)
    new_certificates = new_certificates or not TUMS_CERT_DIR.is_dir()
    vigi = await start_simulator(children)
    cameras = await start_sunmi_simulators(children, api.session)
    tums_url = await start_tums_simulator(children)
    new = prepare_config(api.port, fresh=args.fresh or new_certificates)
    say("new Home Assistant configuration in .demo/config" if new else "reusing .demo/config")
    hass = await start_hass(children, api.port)
    say("waiting for Home Assistant (the first start takes a while)")
    await wait_for_http(api, hass)
    if new:
        await create_demo_user(api)
    else:
        await log_in(api)
        say(f"logged in as {DEMO_USERNAME!r}")
    await wait_until_running(api, hass)
    return vigi, cameras, tums_url


async def set_up(args: argparse.Namespace, children: Children, api: HassApi) -> Demo:
    """Start everything, log in and configure the integration."""
    vigi, cameras, tums_url = await start_everything(args, children, api)
    # In a new configuration, the NVR's entry loads the integration, which starts the scan.
    entries = {VIGI_TITLE: await ensure_vigi_entry(api, vigi)}
    entries |= await ensure_sunmi_entries(api, cameras)
    entries[TUMS_TITLE] = await ensure_tums_entry(api, tums_url)
    say("loaded: " + ", ".join(str(entry["title"]) for entry in entries.values()))
    ids = {owner: str(entry["entry_id"]) for owner, entry in entries.items()}
    registry = await api.ws_command("config/entity_registry/list")
    motion_ids = entities_of(registry, ids[VIGI_TITLE], "binary_sensor", "motion")
    motion = await wait_for_motion_sensors(api, motion_ids)
    tums_device = await tums_device_id(api, TUMS_EVENT_DEVICE)
    return Demo(vigi, cameras, ids, registry, motion, tums_device)


async def until_stopped[T](coro: Coroutine[Any, Any, T], stop: asyncio.Event) -> T:
    """Run coro, cancelling it (and raising Interrupted) when stop is set first."""
    task = asyncio.ensure_future(coro)
    waiter = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    raise Interrupted


async def run(args: argparse.Namespace, children: Children, stop: asyncio.Event) -> int:
    """The demo; returns the exit status."""
    port = choose_hass_port(args.port)
    if port != args.port:
        say(f"port {args.port} on {HASS_HOST} is taken; using {port}")
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        api = HassApi(session, port)
        try:
            demo = await until_stopped(set_up(args, children, api), stop)
            print(banner(port, demo.vigi, len(demo.motion), demo.tums_device), flush=True)
            if args.exit_after_setup:
                ok = await until_stopped(self_check(api, demo), stop)
                say("all checks passed" if ok else "some checks FAILED")
                return 0 if ok else 1
            exited = await until_stopped(children.first_exit(), stop)
            exited.check_alive()
            return 1
        finally:
            await api.revoke()


def main() -> int:
    """Parse the arguments and run until done, Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="./scripts/demo", description=__doc__)
    parser.add_argument(
        "--exit-after-setup",
        "--no-wait",
        action="store_true",
        help="check that the demo works (entities, one simulated event), then stop and exit",
    )
    parser.add_argument("--fresh", action="store_true", help="start over with a new .demo/config")
    parser.add_argument("--port", type=int, default=DEFAULT_HASS_PORT, help="Home Assistant port")
    args = parser.parse_args()
    return asyncio.run(_main(args))


async def _main(args: argparse.Namespace) -> int:
    children = Children()
    stop = asyncio.Event()

    def on_signal() -> None:
        if stop.is_set():
            say("second signal: killing everything now")
            children.kill_all()
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    try:
        return await run(args, children, stop)
    except Interrupted:
        print(flush=True)
        return 0 if not args.exit_after_setup else 1
    except DemoError as err:
        say(f"error: {err}")
        return 1
    finally:
        await children.stop_all()
        say("stopped")


if __name__ == "__main__":
    sys.exit(main())
