"""How this host reaches Debian and PyPI, for the sid root of scripts/test-newest.

    python3 scripts/newest/host_settings.py mirror      # the host's Debian archive URI
    python3 scripts/newest/host_settings.py index-env   # NAME=VALUE lines for pip and uv

Runs with the host's own python3 (3.11 here), stdlib only, before any venv exists.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from pathlib import Path

APT_DIR = Path("/etc/apt")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# Suites of the main archive only: not bookworm-security, -updates, -backports.
SUITE_RE = re.compile(r"^(?:[a-z]+|stable|testing|unstable)$")

# uv's own settings, passed into the root as they are.
UV_PASSTHROUGH = (
    "UV_DEFAULT_INDEX",
    "UV_INDEX",
    "UV_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
    "UV_INDEX_STRATEGY",
    "UV_INSECURE_HOST",
    "UV_HTTP_TIMEOUT",
    "UV_CONCURRENT_DOWNLOADS",
)
PROXY_VARS = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


def _deb822_entries(text: str) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = ""
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0].isspace() and key:
                fields[key] += " " + line.strip()
                continue
            key, _, value = line.partition(":")
            key = key.strip().lower()
            fields[key] = value.strip()
        if fields:
            entries.append(fields)
    return entries


def _candidates() -> list[tuple[str, list[str]]]:
    """(URI, suites) of every enabled binary source, in apt's file order."""
    found: list[tuple[str, list[str]]] = []
    lists = [APT_DIR / "sources.list", *sorted((APT_DIR / "sources.list.d").glob("*.list"))]
    for path in lists:
        if not path.is_file():
            continue
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = re.sub(r"\[[^]]*\]", " ", raw.split("#", 1)[0]).split()
            if len(line) >= 3 and line[0] == "deb":
                found.append((line[1], [line[2]]))
    for path in sorted((APT_DIR / "sources.list.d").glob("*.sources")):
        for entry in _deb822_entries(path.read_text(encoding="utf-8", errors="replace")):
            if entry.get("enabled", "yes").lower() == "no":
                continue
            if "deb" not in entry.get("types", "").split():
                continue
            for uri in entry.get("uris", "").split():
                found.append((uri, entry.get("suites", "").split()))
    return found


def debian_mirror() -> str:
    """The URI the host fetches its main Debian archive from (not -security, not third parties)."""
    for uri, suites in _candidates():
        if "security" in uri or not any(SUITE_RE.match(suite) for suite in suites):
            continue
        if uri.rstrip("/").endswith("/debian"):
            return uri.rstrip("/")
    return DEFAULT_MIRROR


def _pip_config() -> configparser.RawConfigParser:
    """pip's configuration files in pip's own order (later ones win)."""
    parser = configparser.RawConfigParser()
    home = Path.home()
    xdg_dirs = os.environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(":")
    files = [Path(d) / "pip" / "pip.conf" for d in xdg_dirs]
    files += [Path("/etc/pip.conf"), home / ".pip" / "pip.conf"]
    files.append(Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "pip" / "pip.conf")
    if config_file := os.environ.get("PIP_CONFIG_FILE"):
        files.append(Path(config_file))
    parser.read([f for f in files if f.is_file()], encoding="utf-8")
    return parser


def _pip_setting(parser: configparser.RawConfigParser, name: str) -> list[str]:
    """A pip setting: PIP_* variable, else [install], else [global]; remote values only."""
    value = os.environ.get("PIP_" + name.upper().replace("-", "_"))
    if value is None:
        for section in ("install", "global"):
            if parser.has_option(section, name):
                value = parser.get(section, name)
                break
    # file:// indexes and wheel folders lie on the host's disk, not in the root.
    return [v for v in (value or "").split() if v.startswith(("http://", "https://"))]


def index_env() -> dict[str, str]:
    """pip and uv settings for the root: the host's index, extra indexes and proxy."""
    env = {name: os.environ[name] for name in (*UV_PASSTHROUGH, *PROXY_VARS) if name in os.environ}
    parser = _pip_config()
    index = _pip_setting(parser, "index-url")
    extra = _pip_setting(parser, "extra-index-url")
    trusted = _pip_setting(parser, "trusted-host")
    if index:
        env["PIP_INDEX_URL"] = index[0]
        if not {"UV_DEFAULT_INDEX", "UV_INDEX_URL"} & env.keys():
            env["UV_DEFAULT_INDEX"] = index[0]
    if extra:
        env["PIP_EXTRA_INDEX_URL"] = " ".join(extra)
        if not {"UV_INDEX", "UV_EXTRA_INDEX_URL"} & env.keys():
            env["UV_INDEX"] = " ".join(extra)
            # pip picks the best version across all indexes; uv's default is the first index.
            env.setdefault("UV_INDEX_STRATEGY", "unsafe-best-match")
    if trusted:
        env["PIP_TRUSTED_HOST"] = " ".join(trusted)
        env.setdefault("UV_INSECURE_HOST", " ".join(trusted))
    return env


def main(argv: list[str]) -> int:
    if argv == ["mirror"]:
        print(debian_mirror())
        return 0
    if argv == ["index-env"]:
        for name, value in sorted(index_env().items()):
            if "\n" in value:
                raise SystemExit(f"host_settings: {name} holds a newline")
            print(f"{name}={value}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
