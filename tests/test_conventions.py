"""HACS and hassfest conventions that their tools check, checked here on our files."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "business_cameras"

# Every rule of the Integration Quality Scale (Bronze to Platinum).
RULES = {
    "action-setup", "appropriate-polling", "brands", "common-modules",
    "config-flow-test-coverage", "config-flow", "dependency-transparency", "docs-actions",
    "docs-high-level-description", "docs-installation-instructions",
    "docs-removal-instructions", "entity-event-setup", "entity-unique-id", "has-entity-name",
    "runtime-data", "test-before-configure", "test-before-setup", "unique-config-entry",
    "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
    "docs-installation-parameters", "entity-unavailable", "integration-owner",
    "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    "devices", "diagnostics", "discovery-update-info", "discovery", "docs-data-update",
    "docs-examples", "docs-known-limitations", "docs-supported-devices",
    "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
    "entity-category", "entity-device-class", "entity-disabled-by-default",
    "entity-translations", "exception-translations", "icon-translations",
    "reconfiguration-flow", "repair-issues", "stale-devices", "async-dependency",
    "inject-websession", "strict-typing",
}  # fmt: skip
PLATFORM_MODULES = ("binary_sensor", "button", "camera", "event", "image", "number", "select",
                    "sensor", "switch")  # fmt: skip


def test_brand_images_are_256_square() -> None:
    for name in ("icon.png", "logo.png"):
        with Image.open(INTEGRATION / "brand" / name) as image:
            assert image.size == (256, 256), name
            assert image.format == "PNG"


def test_quality_scale_lists_every_rule_as_done_or_exempt() -> None:
    scale = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))  # type: ignore[no-untyped-call]
    rules = scale["rules"]
    assert set(rules) == RULES
    for name, value in rules.items():
        status = value if isinstance(value, str) else value["status"]
        assert status in ("done", "exempt"), name
        if status == "exempt":
            assert value["comment"].strip(), f"{name}: an exemption needs a reason"


def test_parallel_updates_is_set_on_every_platform() -> None:
    for module in PLATFORM_MODULES:
        tree = ast.parse((INTEGRATION / f"{module}.py").read_text(encoding="utf-8"))
        names = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        assert "PARALLEL_UPDATES" in names, module


def test_user_guide_covers_the_documentation_rules() -> None:
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    for heading in ("Supported devices", "Installation", "Options", "Entities", "Actions",
                    "How data is updated", "Examples", "Use cases", "Known limitations",
                    "Troubleshooting", "Removal"):  # fmt: skip
        assert f"## {heading}" in guide, heading
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))  # type: ignore[no-untyped-call]
    for service in services:
        assert f"business_cameras.{service}" in guide, service
