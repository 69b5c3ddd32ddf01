"""Faithful simulator of a TP-Link VIGI NVR's local OpenAPI (document V1.0 + V1.3/V1.4)."""

from .server import VigiSimulator

__all__ = ["VigiSimulator"]
