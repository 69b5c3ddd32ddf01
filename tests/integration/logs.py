"""Log assertions that hold on every Home Assistant release we test with."""

from __future__ import annotations

import logging

import pytest


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """No record above DEBUG carries a traceback.

    Home Assistant 2026's coordinator logs the full chain of an UpdateFailed at DEBUG level;
    what a user sees (INFO and above) must stay a one-line message.
    """
    for record in caplog.records:
        if record.levelno > logging.DEBUG:
            message = record.getMessage()
            assert record.exc_info is None, message
            assert "Traceback" not in message, message
