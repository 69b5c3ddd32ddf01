"""Pieces every platform's config flow steps share."""

from __future__ import annotations

from homeassistant.helpers import selector


def password_selector() -> selector.TextSelector:
    """A masked text field for passwords and secret keys."""
    return selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
    )


def pretty_fingerprint(fingerprint: str) -> str:
    """AA:BB:... as browsers show certificate fingerprints."""
    return ":".join(fingerprint[i : i + 2] for i in range(0, len(fingerprint), 2)).upper()
