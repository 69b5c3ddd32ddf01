"""End-to-end fixtures: one stack (simulators, real Home Assistant, RTSP) for the whole package.

Run them alone with ``pytest -m e2e`` (or leave them out with ``-m "not e2e"``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pytest_socket

from tests.conftest import LOOPBACK_HOSTS

from .browser import Browser, chromium_missing, open_browser
from .stack import Stack, running_stack


def pytest_configure(config: pytest.Config) -> None:
    """Register the e2e marker."""
    config.addinivalue_line(
        "markers", "e2e: end-to-end test against real Home Assistant, simulators and a browser"
    )


def allow_loopback() -> None:
    """The plugin blocks sockets between tests; the package fixtures run there too."""
    pytest_socket.enable_socket()  # type: ignore[no-untyped-call]
    pytest_socket.socket_allow_hosts(LOOPBACK_HOSTS, allow_unix_socket=True)  # type: ignore[no-untyped-call]


@pytest.fixture(scope="package")
def e2e() -> Iterator[Stack]:
    """The running stack, shared by every e2e test and stopped after the last one."""
    allow_loopback()
    with running_stack() as stack:
        yield stack
        allow_loopback()


@pytest.fixture(scope="package")
def browser(e2e: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium on a fresh profile, for the package's browser tests."""
    if reason := chromium_missing():
        pytest.skip(reason)
    allow_loopback()
    opened = e2e.run(open_browser(tmp_path_factory.mktemp("chromium-profile")))
    try:
        yield opened
    finally:
        allow_loopback()
        e2e.run(opened.close())
