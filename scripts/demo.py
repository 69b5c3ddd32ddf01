"""Demo: the VIGI simulator and a real Home Assistant with business_cameras already set up.

Everything listens on 127.0.0.0/8 and nothing reaches the internet: the Home Assistant
configuration under .demo/config lists its integrations one by one (no ``default_config``) and
onboarding is finished without the core-config step that adds met, radio_browser,
google_translate and shopping_list. Ctrl-C (or SIGTERM) stops every process this started.
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
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
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
EVENT_TIMEOUT = 15.0
HASS_STOP_TIMEOUT = 30.0
SIM_STOP_TIMEOUT = 10.0

LISTENING_RE = re.compile(
    r"VIGI simulator listening on (?P<url>https://(?P<host>[\d.]+):(?P<port>\d+))"
    r" fingerprint=(?P<fingerprint>[0-9a-fA-F]+)"
    r"(?: control=(?P<control>http://\S+))?"
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


def motion_states(states: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """entity_id -> state of every motion binary sensor in a GET /api/states answer."""
    return {
        str(s["entity_id"]): str(s["state"])
        for s in states
        if str(s["entity_id"]).startswith("binary_sensor.") and "motion" in str(s["entity_id"])
    }


def banner(port: int, sim: SimulatorInfo, entities: int) -> str:
    """What the user reads once everything runs."""
    control = sim.control_url or "(no control API)"
    event = json.dumps(DEMO_EVENT)
    return f"""
Home Assistant:  {base_url(port)}
Login:           {DEMO_USERNAME} / {DEMO_PASSWORD}
VIGI simulator:  {sim.url} ({SIM_CHANNELS} channels, {entities} motion sensors in Home Assistant)
Control API:     {control}
  Trigger a motion event on channel 3:
    curl -X POST {control}/event -H 'Content-Type: application/json' -d '{event}'
  See the simulated NVR's state:
    curl {control}/state
Logs:            .demo/home-assistant.log, .demo/vigi.log

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


def port_is_free(host: str, port: int) -> bool:
    """Whether a TCP listener could bind host:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
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
        link.symlink_to(Path("..", "..", "..", "custom_components", DOMAIN))
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
    deadline = time.monotonic() + SIM_START_TIMEOUT
    while time.monotonic() < deadline:
        info = parse_listening_line(child.log.read_text(errors="replace"))
        if info is not None:
            return info
        child.check_alive()
        await asyncio.sleep(0.1)
    raise DemoError(f"the simulator did not say it was listening within {SIM_START_TIMEOUT:.0f} s")


async def start_hass(children: Children, port: int) -> Child:
    """Start Home Assistant on .demo/config (no pip: everything is in .venv)."""
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
    return await children.spawn(
        "Home Assistant", argv, DEMO_DIR / "hass-console.log", os.environ, HASS_STOP_TIMEOUT
    )


# -- Home Assistant's HTTP API -----------------------------------------------------------------
@dataclass
class HassApi:
    """Just enough of Home Assistant's REST API for the demo."""

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
        form: Mapping[str, str] | None = None,
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


async def vigi_entries(api: HassApi) -> list[dict[str, Any]]:
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
    shown = confirm.get("description_placeholders", {}).get("fingerprint")
    if shown != pretty_fingerprint(sim.fingerprint):
        raise DemoError(f"flow shows fingerprint {shown}, simulator has {sim.fingerprint}")
    done = await flow_step(api, flow_id, {})
    if done.get("type") != "create_entry":
        raise DemoError(f"config flow did not create an entry: {done}")
    say(f"added {done.get('title')!r} through the config flow (certificate {shown[:23]}...)")


async def ensure_vigi_entry(api: HassApi, sim: SimulatorInfo) -> dict[str, Any]:
    """The VIGI entry, loaded; adds it first when missing."""
    if not await vigi_entries(api):
        await add_vigi_entry(api, sim)
    deadline = time.monotonic() + ENTRY_TIMEOUT
    entries: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        entries = await vigi_entries(api)
        if entries and all(e.get("state") == "loaded" for e in entries):
            return entries[0]
        await asyncio.sleep(0.5)
    states = [(e.get("title"), e.get("state"), e.get("reason")) for e in entries]
    raise DemoError(f"the {DOMAIN} entry did not load: {states}; see .demo/home-assistant.log")


async def current_motion(api: HassApi) -> dict[str, str]:
    """entity_id -> state of the motion binary sensors."""
    return motion_states(await api.call("GET", "/api/states"))


async def wait_for_motion_sensors(api: HassApi) -> dict[str, str]:
    """Until motion binary sensors exist and none is unavailable."""
    deadline = time.monotonic() + ENTRY_TIMEOUT
    motion: dict[str, str] = {}
    while time.monotonic() < deadline:
        motion = await current_motion(api)
        if motion and "unavailable" not in motion.values():
            return motion
        await asyncio.sleep(0.5)
    raise DemoError(f"no available motion binary sensors: {motion or 'none at all'}")


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


async def check_event(api: HassApi, sim: SimulatorInfo, before: dict[str, str]) -> str:
    """Trigger a motion event on the simulator and wait for a motion sensor to turn on."""
    if sim.control_url is None:
        raise DemoError("the simulator has no control API")
    async with api.session.post(sim.control_url + "/event", json=DEMO_EVENT) as resp:
        answer = await resp.text()
        if resp.status != 200:
            raise DemoError(f"simulator control /event answered {resp.status}: {answer}")
    deadline = time.monotonic() + EVENT_TIMEOUT
    while time.monotonic() < deadline:
        motion = await current_motion(api)
        turned_on = sorted(e for e, s in motion.items() if s == "on" and before.get(e) != "on")
        if turned_on:
            return f"event: simulator answered {answer.strip()}; now on: {', '.join(turned_on)}"
        await asyncio.sleep(0.25)
    raise DemoError(
        f"simulator answered {answer.strip()} but no motion binary sensor turned on within "
        f"{EVENT_TIMEOUT:.0f} s; see .demo/home-assistant.log and .demo/vigi.log"
    )


async def self_check(api: HassApi, sim: SimulatorInfo, motion: dict[str, str]) -> bool:
    """The checks behind --exit-after-setup; prints one line each."""
    checks: list[Callable[[], Awaitable[str]]] = [
        lambda: check_onboarding(api),
        lambda: check_offline(api),
        lambda: check_event(api, sim, motion),
    ]
    ok = True
    say(f"check: {len(motion)} motion binary sensors, none unavailable")
    for check in checks:
        try:
            say(f"check: {await check()}")
        except DemoError as err:
            say(f"check FAILED: {err}")
            ok = False
    return ok


# -- orchestration -----------------------------------------------------------------------------
async def set_up(
    args: argparse.Namespace, children: Children, api: HassApi
) -> tuple[SimulatorInfo, dict[str, str]]:
    """Start everything, log in and configure the integration."""
    DEMO_DIR.mkdir(exist_ok=True)
    # A new simulator certificate would not match the one pinned in an old config entry.
    new_certificate = not (DEMO_DIR / "vigi-cert").is_dir()
    sim = await start_simulator(children)
    new = prepare_config(api.port, fresh=args.fresh or new_certificate)
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
    entry = await ensure_vigi_entry(api, sim)
    say(f"{entry['title']} is loaded")
    motion = await wait_for_motion_sensors(api)
    return sim, motion


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
            sim, motion = await until_stopped(set_up(args, children, api), stop)
            print(banner(port, sim, len(motion)), flush=True)
            if args.exit_after_setup:
                ok = await until_stopped(self_check(api, sim, motion), stop)
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
