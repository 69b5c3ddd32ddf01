"""Faithful simulator of a TP-Link VIGI NVR's local OpenAPI (document V1.0 + V1.3/V1.4).

VigiSimulator is imported on first use, so that ``python3 -m simulators.vigi.rtsp`` runs under
the system Python (stdlib + gi only, no aiohttp).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import VigiSimulator

__all__ = ["VigiSimulator"]


def __getattr__(name: str) -> Any:
    if name == "VigiSimulator":
        from .server import VigiSimulator

        return VigiSimulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
