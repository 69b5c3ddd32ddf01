"""The api package never imports Home Assistant; simulators never import the integration."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_api_never_imports_homeassistant() -> None:
    files = list((ROOT / "custom_components" / "business_cameras" / "api").rglob("*.py"))
    assert files
    for path in files:
        bad = {m for m in imported_modules(path) if m.split(".")[0] == "homeassistant"}
        assert not bad, f"{path} imports {bad}"


def test_simulators_never_import_the_integration() -> None:
    files = list((ROOT / "simulators").rglob("*.py"))
    assert files
    for path in files:
        bad = {m for m in imported_modules(path) if m.split(".")[0] == "custom_components"}
        assert not bad, f"{path} imports {bad}"


def test_integration_never_imports_simulators() -> None:
    for path in (ROOT / "custom_components").rglob("*.py"):
        bad = {m for m in imported_modules(path) if m.split(".")[0] == "simulators"}
        assert not bad, f"{path} imports {bad}"
