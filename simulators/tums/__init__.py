"""Faithful simulator of the TP-Link TUMS business-cloud OpenAPI (商用云 OpenAPI)."""

from .server import TumsSimulator

__all__ = ["TumsSimulator"]
