"""manifest.json and hacs.json follow hassfest's and HACS's documented rules."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "business_cameras"

# hassfest's manifest schema for custom integrations (keys we may use).
KNOWN_KEYS = {
    "domain", "name", "after_dependencies", "bluetooth", "codeowners", "config_flow",
    "dependencies", "dhcp", "documentation", "homekit", "import_executor", "integration_type",
    "iot_class", "issue_tracker", "loggers", "mqtt", "quality_scale", "requirements", "ssdp",
    "single_config_entry", "usb", "version", "zeroconf",
}  # fmt: skip
IOT_CLASSES = {
    "assumed_state", "cloud_polling", "cloud_push", "local_polling", "local_push", "calculated",
}  # fmt: skip


def load(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_manifest_keys_are_ordered_and_known() -> None:
    manifest = load(INTEGRATION / "manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert set(keys) <= KNOWN_KEYS


def test_manifest_values() -> None:
    manifest = load(INTEGRATION / "manifest.json")
    assert manifest["domain"] == INTEGRATION.name
    assert manifest["config_flow"] is True
    assert manifest["iot_class"] in IOT_CLASSES
    assert manifest["iot_class"] == "local_push"
    assert manifest["integration_type"] == "hub"
    version = str(manifest["version"])
    assert all(part.isdigit() for part in version.split("."))
    for key in ("codeowners", "requirements", "loggers", "dependencies"):
        assert isinstance(manifest[key], list)
    assert str(manifest["documentation"]).startswith("https://")
    assert str(manifest["issue_tracker"]).startswith("https://")
    for matcher in manifest.get("dhcp", []):  # type: ignore[attr-defined]
        assert set(matcher) <= {"macaddress", "hostname", "registered_devices"}


def test_hacs_json() -> None:
    hacs = load(ROOT / "hacs.json")
    assert set(hacs) <= {
        "name", "content_in_root", "zip_release", "filename", "hide_default_branch",
        "country", "homeassistant", "hacs", "persistent_directory", "render_readme",
    }  # fmt: skip
    assert hacs["name"]
    parts = str(hacs["homeassistant"]).split(".")
    assert len(parts) == 3
    assert (int(parts[0]), int(parts[1])) <= (2025, 4)
