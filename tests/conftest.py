"""Shared fixtures: real loopback sockets for simulators on 127.0.0.0/8."""

from __future__ import annotations

import atexit
import shutil
import tempfile

import pytest
import pytest_socket

# Home Assistant keeps uploads in one machine-wide folder under the temp dir and deletes it
# when an instance stops: a private temp dir keeps a demo or a second test run out of ours.
tempfile.tempdir = tempfile.mkdtemp(prefix="business-cameras-tests-")
atexit.register(shutil.rmtree, tempfile.tempdir, ignore_errors=True)

# The harness blocks every socket; our tests talk to simulators on loopback addresses only.
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", *(f"127.0.0.{n}" for n in range(2, 255))]


@pytest.fixture(autouse=True)
def loopback_sockets() -> None:
    """Allow TCP/UDP sockets, but connections only to 127.0.0.x."""
    pytest_socket.enable_socket()  # type: ignore[no-untyped-call]
    pytest_socket.socket_allow_hosts(LOOPBACK_HOSTS, allow_unix_socket=True)  # type: ignore[no-untyped-call]
