"""Rebuild translations/en.json from strings.json, then zh-Hans.json from en.json.

Run `python -m scripts.translations` after changing strings.json.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from scripts.zh_hans import ROOT
from scripts.zh_hans import main as write_chinese

# Home Assistant's shared texts our strings.json refers to, in English.
COMMON = {
    "[%key:common::config_flow::data::host%]": "Host",
    "[%key:common::config_flow::data::port%]": "Port",
    "[%key:common::config_flow::data::username%]": "Username",
    "[%key:common::config_flow::data::password%]": "Password",
    "[%key:common::config_flow::error::cannot_connect%]": "Failed to connect",
    "[%key:common::config_flow::error::invalid_auth%]": "Invalid authentication",
    "[%key:common::config_flow::error::unknown%]": "Unexpected error",
    "[%key:common::config_flow::abort::already_configured_device%]": "Device is already configured",
    "[%key:common::config_flow::abort::reauth_successful%]": "Re-authentication was successful",
    "[%key:common::config_flow::abort::reconfigure_successful%]": "Re-configuration was successful",
    "[%key:common::config_flow::abort::already_in_progress%]": (
        "Configuration flow is already in progress"
    ),
}


def resolve(node: Any) -> Any:
    """The tree with every common-key reference replaced by its English text."""
    if isinstance(node, dict):
        return {key: resolve(value) for key, value in node.items()}
    if isinstance(node, str):
        if node.startswith("[%key:") and node not in COMMON:
            raise KeyError(f"no English text for {node}")
        return COMMON.get(node, node)
    return node


def main() -> int:
    """Write en.json and zh-Hans.json."""
    strings = json.loads((ROOT / "strings.json").read_text(encoding="utf-8"))
    english = json.dumps(resolve(strings), indent=2, ensure_ascii=False) + "\n"
    (ROOT / "translations" / "en.json").write_text(english, encoding="utf-8")
    return write_chinese()


if __name__ == "__main__":
    sys.exit(main())
