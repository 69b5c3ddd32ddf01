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

from scripts.demo import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    banner,
    configuration_yaml,
    login_is_valid,
    motion_states,
    onboarding_storage,
    parse_listening_line,
    pretty_fingerprint,
)

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


def test_motion_states() -> None:
    states = [
        {"entity_id": "binary_sensor.ipc3_osd_motion", "state": "off"},
        {"entity_id": "binary_sensor.nvr_disk_error", "state": "off"},
        {"entity_id": "sensor.motion_count", "state": "3"},
    ]
    assert motion_states(states) == {"binary_sensor.ipc3_osd_motion": "off"}


def test_banner() -> None:
    info = parse_listening_line(
        f"VIGI simulator listening on https://127.0.0.2:20443 fingerprint={FINGERPRINT}"
        " control=http://127.0.0.2:20080"
    )
    assert info is not None
    text = banner(8123, info, 16)
    assert "http://127.0.0.1:8123" in text
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in text
    assert "curl -X POST http://127.0.0.2:20080/event" in text
    assert "Ctrl-C stops everything" in text


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
