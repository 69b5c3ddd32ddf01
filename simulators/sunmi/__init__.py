"""Faithful simulator of a SUNMI IP camera (SS/FS): OpenAPI, message channel, discovery."""

from .server import SunmiSimulator

__all__ = ["SunmiSimulator"]
