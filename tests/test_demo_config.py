"""The pure parts of scripts/demo.py: nothing here starts a process or opens a socket."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import bcrypt
import pytest
from homeassistant.components.onboarding import STORAGE_KEY, STORAGE_VERSION
from homeassistant.components.onboarding.const import STEPS
from homeassistant.util.yaml import parse_yaml

from custom_components.business_cameras.discovery import ENV_DISCOVERY_TARGETS
from scripts.demo import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    DISCOVERY_TARGETS_ENV,
    FS_CAMERA,
    SS_CAMERA,
    SUNMI_CAMERAS,
    SUNMI_SECRET_KEY,
    TUMS_CONTROL_URL,
    DemoError,
    SunmiCamera,
    banner,
    check_fingerprint,
    configuration_yaml,
    discovery_flows,
    discovery_targets,
    entities_of,
    entry_titled,
    login_is_valid,
    onboarding_storage,
    parse_listening_line,
    parse_sunmi_listening_line,
    pretty_fingerprint,
    states_of,
    sunmi_argv,
)
from simulators.sunmi.__main__ import _parser as sunmi_parser

ONLINE = ("default_config", "met", "radio_browser", "google_translate", "shopping_list")
FINGERPRINT = "88c7acb80520eaa8a6fad058b7e90c85f264846919eb4e635a4753efbcaae1b0"


def _parsed(text: str) -> dict[str, Any]:
    """configuration.yaml as Home Assistant's own loader reads it."""
    config = parse_yaml(text)
    assert isinstance(config, dict)
    return config


@pytest.mark.parametrize("port", [8123, 8124])
def test_configuration_is_local_and_offline(port: int) -> None:
    text = configuration_yaml(port)
    config = _parsed(text)
    for domain in ONLINE:
        assert not re.search(rf"\b{domain}\b", text)
        assert domain not in config
    assert config["http"] == {"server_host": ["127.0.0.1"], "server_port": port}
    assert config["homeassistant"]["internal_url"] == f"http://127.0.0.1:{port}"
    for host in re.findall(r"https?://([^:/\s]+)", text):
        assert host.startswith("127.")


def test_configuration_needs_no_questions() -> None:
    config = _parsed(configuration_yaml(8123))
    core = config["homeassistant"]
    for key in ("latitude", "longitude", "elevation", "time_zone", "country", "currency"):
        assert key in core
    assert core["unit_system"] == "metric"
    assert {"frontend", "config", "api", "http", "logger"} <= set(config)
    logs = config["logger"]["logs"]
    assert logs["custom_components.business_cameras"] == "info"


def test_onboarding_storage_matches_home_assistant() -> None:
    doc = onboarding_storage(["core_config", "analytics", "integration"])
    assert doc["key"] == STORAGE_KEY
    assert doc["version"] == STORAGE_VERSION
    assert doc["data"] == {"done": ["core_config", "analytics", "integration"]}
    assert set(onboarding_storage(STEPS)["data"]["done"]) == set(STEPS)
    json.dumps(doc)


def test_onboarding_storage_rejects_unknown_steps() -> None:
    with pytest.raises(ValueError, match="bogus"):
        onboarding_storage(["user", "bogus"])


def test_parse_listening_line() -> None:
    output = (
        "some warning\n"
        f"VIGI simulator listening on https://127.0.0.2:20443 fingerprint={FINGERPRINT.upper()}"
        " control=http://127.0.0.2:20080\n"
    )
    info = parse_listening_line(output)
    assert info is not None
    assert info.url == "https://127.0.0.2:20443"
    assert (info.host, info.port) == ("127.0.0.2", 20443)
    assert info.fingerprint == FINGERPRINT
    assert info.control_url == "http://127.0.0.2:20080"


def test_parse_listening_line_without_control_or_line() -> None:
    info = parse_listening_line(
        f"VIGI simulator listening on https://127.0.0.5:1 fingerprint={FINGERPRINT}\n"
    )
    assert info is not None
    assert info.control_url is None
    assert parse_listening_line("Traceback (most recent call last):\n") is None


def test_pretty_fingerprint() -> None:
    assert pretty_fingerprint("0a1b2c") == "0A:1B:2C"


def test_states_of() -> None:
    states = [
        {"entity_id": "binary_sensor.ipc3_osd_motion", "state": "off"},
        {"entity_id": "binary_sensor.nvr_disk_error", "state": "off"},
        {"entity_id": "binary_sensor.sunmi_ss_motion", "state": "on"},
    ]
    wanted = {"binary_sensor.ipc3_osd_motion", "binary_sensor.gone_motion"}
    assert states_of(states, wanted) == {"binary_sensor.ipc3_osd_motion": "off"}


def test_parse_sunmi_listening_line() -> None:
    output = (
        "WARNING something\n"
        "SUNMI simulator listening on https://127.0.0.4:443 sn=FS101D8BS00106 model=FS\n"
    )
    info = parse_sunmi_listening_line(output)
    assert info is not None
    assert (info.url, info.host) == ("https://127.0.0.4:443", "127.0.0.4")
    assert (info.sn, info.model, info.fingerprint) == ("FS101D8BS00106", "FS", "")
    assert parse_sunmi_listening_line("VIGI simulator listening on https://x:1") is None


def test_sunmi_cameras_are_local_and_distinct() -> None:
    assert [c.model for c in SUNMI_CAMERAS] == ["SS", "FS"]
    assert len({c.host for c in SUNMI_CAMERAS}) == len({c.sn for c in SUNMI_CAMERAS}) == 2
    for camera in SUNMI_CAMERAS:
        assert camera.host.startswith("127.")
        assert camera.host not in ("127.0.0.1", "127.0.0.2")
        assert camera.control_url == f"http://{camera.host}:{camera.control_port}"
        assert camera.log.name == f"sunmi-{camera.model.lower()}.log"


@pytest.mark.parametrize("camera", SUNMI_CAMERAS, ids=lambda c: c.model)
def test_sunmi_argv_fits_the_simulator_cli(
    camera: SunmiCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = sunmi_argv(camera)
    assert SUNMI_SECRET_KEY not in argv  # it goes in the environment
    assert argv[1:3] == ["-m", "simulators.sunmi"]
    monkeypatch.setenv("SUNMI_SIM_SECRET_KEY", SUNMI_SECRET_KEY)
    args = sunmi_parser().parse_args(argv[3:])
    assert (args.host, args.model, args.sn) == (camera.host, camera.model, camera.sn)
    assert args.activated
    assert args.control_port == camera.control_port
    assert args.secret_key == SUNMI_SECRET_KEY
    assert (args.https_port, args.channel_port, args.discovery_port) == (443, 10021, 10001)


def test_discovery_targets_are_the_simulators() -> None:
    assert DISCOVERY_TARGETS_ENV == ENV_DISCOVERY_TARGETS
    assert discovery_targets(SUNMI_CAMERAS) == f"{SS_CAMERA.host},{FS_CAMERA.host}"


def test_discovery_flows() -> None:
    progress: list[dict[str, Any]] = [
        {
            "flow_id": "f1",
            "handler": "business_cameras",
            "step_id": "sunmi_discovered",
            "context": {"source": "integration_discovery", "unique_id": "FS101D8BS00106"},
        },
        {  # confirmed already: a user (or the demo) is on the credentials form
            "flow_id": "f2",
            "handler": "business_cameras",
            "step_id": "sunmi",
            "context": {"source": "integration_discovery", "unique_id": "SS101D8BS00083"},
        },
        {
            "flow_id": "f3",
            "handler": "other",
            "step_id": "sunmi_discovered",
            "context": {"unique_id": "X"},
        },
        {"flow_id": "f4", "handler": "business_cameras", "step_id": "sunmi_discovered"},
    ]
    assert discovery_flows(progress) == {"FS101D8BS00106": "f1"}


def test_entry_titled() -> None:
    entries = [
        {"domain": "business_cameras", "title": "SS101D8BS00083", "source": "ignore"},
        {"domain": "other", "title": "VIGI NVR x", "source": "user"},
        {"domain": "business_cameras", "title": "VIGI NVR 127.0.0.2", "source": "user"},
        {"domain": "business_cameras", "title": "SUNMI Store Sense Camera SS101D8BS00083"},
    ]
    assert entry_titled(entries, "VIGI") is entries[2]
    assert entry_titled(entries, "SS101D8BS00083") is entries[3]
    assert entry_titled(entries, "FS101D8BS00106") is None


def test_entities_of() -> None:
    registry: list[dict[str, Any]] = [
        {
            "entity_id": "event.fs_camera_event",
            "config_entry_id": "fs",
            "translation_key": "camera_event",
        },
        {
            "entity_id": "event.ss_camera_event",
            "config_entry_id": "ss",
            "translation_key": "camera_event",
        },
        {
            "entity_id": "sensor.fs_event_path",
            "config_entry_id": "fs",
            "translation_key": "event_path",
        },
        {"entity_id": "sensor.renamed", "config_entry_id": "fs", "translation_key": "camera_event"},
        {"entity_id": "light.kitchen", "config_entry_id": None, "translation_key": None},
    ]
    assert entities_of(registry, "fs", "event", "camera_event") == ["event.fs_camera_event"]
    assert entities_of(registry, "fs", "sensor", "event_path") == ["sensor.fs_event_path"]
    assert entities_of(registry, "vigi", "binary_sensor", "motion") == []


def test_check_fingerprint() -> None:
    step = {"description_placeholders": {"fingerprint": pretty_fingerprint(FINGERPRINT)}}
    assert check_fingerprint(step, FINGERPRINT) == pretty_fingerprint(FINGERPRINT)
    with pytest.raises(DemoError, match="simulator has"):
        check_fingerprint(step, "00" * 32)


def test_banner() -> None:
    info = parse_listening_line(
        f"VIGI simulator listening on https://127.0.0.2:20443 fingerprint={FINGERPRINT}"
        " control=http://127.0.0.2:20080"
    )
    assert info is not None
    text = banner(8123, info, 16, "16E00900000000001")
    assert "http://127.0.0.1:8123" in text
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in text
    assert "curl -X POST http://127.0.0.2:20080/event" in text
    assert "Ctrl-C stops everything" in text
    for camera in SUNMI_CAMERAS:
        assert f"{camera.model} {camera.sn}  https://{camera.host}" in text
        assert camera.log.name in text
    face = re.search(r"curl -X POST (\S+)/face .* -d '(.*)'", text)
    assert face is not None
    assert face[1] == FS_CAMERA.control_url
    assert json.loads(face[2])["group_name"] == "vip"
    push = re.search(r"curl -X POST (\S+)/push .* -d '(.*)'", text)
    assert push is not None
    assert push[1] == TUMS_CONTROL_URL
    assert json.loads(push[2]) == {"kind": "movementDetected", "device_id": "16E00900000000001"}
    assert f"curl -X POST {SS_CAMERA.control_url}/motion" in text


def _write_storage(storage: Path, done: list[str], password: str) -> None:
    storage.mkdir()
    (storage / "onboarding").write_text(json.dumps(onboarding_storage(done)))
    hashed = base64.b64encode(bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)))
    users = {"data": {"users": [{"username": DEMO_USERNAME, "password": hashed.decode()}]}}
    (storage / "auth_provider.homeassistant").write_text(json.dumps(users))


def test_login_is_valid(tmp_path: Path) -> None:
    _write_storage(tmp_path / "ok", list(STEPS), DEMO_PASSWORD)
    assert login_is_valid(tmp_path / "ok")


@pytest.mark.parametrize(
    ("done", "password"),
    [(list(STEPS), "changed-in-the-ui"), (["core_config", "analytics", "integration"], None)],
)
def test_login_is_not_valid(tmp_path: Path, done: list[str], password: str | None) -> None:
    _write_storage(tmp_path / "s", done, password or DEMO_PASSWORD)
    assert not login_is_valid(tmp_path / "s")
    assert not login_is_valid(tmp_path / "missing")
