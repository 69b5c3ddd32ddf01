"""Python requirements of the Home Assistant components our integration loads, one per line.

    python scripts/newest/ha_requirements.py custom_components/business_cameras

The harness installs Home Assistant's core dependencies only; Home Assistant installs a
component's own requirements (its manifest's "requirements") when it sets the component up, which
the harness does not. 2025.4 still had PyTurboJPEG (camera) among its core dependencies; newer
releases do not. This walks the manifests of the installed Home Assistant: our manifest's
dependencies, the entity platforms we implement (camera.py -> camera, ...), and theirs in turn.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path


def components_dir() -> Path:
    spec = importlib.util.find_spec("homeassistant.components")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("ha_requirements: homeassistant is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def manifest(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: list(data.get(key, [])) for key in ("dependencies", "requirements")}


def requirements(integration: Path, components: Path) -> list[str]:
    own = manifest(integration / "manifest.json")
    todo = list(own["dependencies"])
    todo += [
        p.stem
        for p in integration.glob("*.py")
        if (components / p.stem / "manifest.json").is_file()
    ]
    seen: set[str] = set()
    found: set[str] = set(own["requirements"])
    while todo:
        domain = todo.pop()
        if domain in seen:
            continue
        seen.add(domain)
        path = components / domain / "manifest.json"
        if not path.is_file():
            continue
        data = manifest(path)
        found.update(data["requirements"])
        todo.extend(data["dependencies"])
    return sorted(found)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for line in requirements(Path(argv[0]), components_dir()):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
