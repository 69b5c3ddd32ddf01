"""strings.json, en.json and zh-Hans.json agree; every key the code uses has a text and an icon."""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path
from typing import Any

import yaml
from homeassistant.helpers.entity import EntityDescription

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "business_cameras"


def load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def leaves(node: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(node, dict):
        out: dict[str, str] = {}
        for key, value in node.items():
            out.update(leaves(value, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: str(node)}


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_translations_have_the_same_keys_and_placeholders() -> None:
    strings = leaves(load(INTEGRATION / "strings.json"))
    for language in ("en", "zh-Hans"):
        translated = leaves(load(INTEGRATION / "translations" / f"{language}.json"))
        assert set(translated) == set(strings), language
        for key, text in strings.items():
            if text.startswith("[%key:"):
                continue
            assert placeholders(translated[key]) == placeholders(text), (language, key)


def test_english_matches_strings() -> None:
    strings = leaves(load(INTEGRATION / "strings.json"))
    english = leaves(load(INTEGRATION / "translations" / "en.json"))
    for key, text in strings.items():
        if not text.startswith("[%key:"):
            assert english[key] == text, key


PLATFORMS = (
    "binary_sensor",
    "button",
    "camera",
    "event",
    "image",
    "number",
    "select",
    "sensor",
    "switch",
)


def entity_translation_keys() -> set[tuple[str, str]]:
    """(platform, translation_key) of every entity description table in the integration."""
    found: set[tuple[str, str]] = set()
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.business_cameras.{platform}")
        for value in vars(module).values():
            if isinstance(value, tuple) and value and isinstance(value[0], EntityDescription):
                found.update(
                    (platform, d.translation_key) for d in value if d.translation_key is not None
                )
    return found


def exception_keys_in_code() -> set[str]:
    """translation_key of every call that also names the translation_domain (errors, issues)."""
    found: set[str] = set()
    for path in INTEGRATION.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            kwargs = {kw.arg: kw.value for kw in node.keywords}
            key = kwargs.get("translation_key")
            if "translation_domain" in kwargs and isinstance(key, ast.Constant):
                found.add(str(key.value))
    return found


def test_every_entity_translation_key_has_a_name_and_icon() -> None:
    strings = load(INTEGRATION / "strings.json")
    icons = load(INTEGRATION / "icons.json")
    keys = entity_translation_keys()
    assert len(keys) > 20
    for platform, key in keys:
        assert "name" in strings["entity"][platform][key], (platform, key)
        assert key in icons["entity"][platform], (platform, key)


def test_every_exception_key_has_a_message() -> None:
    strings = load(INTEGRATION / "strings.json")
    keys = exception_keys_in_code()
    assert "confirm_required" in keys
    for key in keys:
        assert strings["exceptions"][key]["message"], key


def test_every_service_has_strings_and_an_icon() -> None:
    services = yaml.safe_load(  # type: ignore[no-untyped-call]
        (INTEGRATION / "services.yaml").read_text(encoding="utf-8")
    )
    strings = load(INTEGRATION / "strings.json")["services"]
    icons = load(INTEGRATION / "icons.json")["services"]
    assert set(services) == set(strings) == set(icons)
    for name, spec in services.items():
        assert strings[name]["name"]
        assert strings[name]["description"]
        assert set(spec.get("fields", {})) == set(strings[name].get("fields", {})), name
