"""Pytest plugin: a test fails when Home Assistant reports our integration's use of its API.

Home Assistant announces most deprecations by logging, not with warnings.warn, so pyproject's
`filterwarnings = ["error::DeprecationWarning:custom_components.*"]` does not see them:

- helpers/frame.py `report_usage`: "Detected that custom integration 'business_cameras' ...
  This will stop working in Home Assistant 2027.8.0, please create a bug report at <tracker>"
  (logged once per call site and process; raised only for core integrations);
- helpers/deprecation.py: "The deprecated constant X was used from business_cameras. ...";
- entity and platform checks that end in "please create a bug report at <our issue tracker>" or
  "report it to the author of the 'business_cameras' custom integration".

Loaded with `-p scripts.newest.report_guard` by scripts/test-newest; tests/conftest.py can load it
for every run with `pytest_plugins = ["scripts.newest.report_guard"]`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads(
    (ROOT / "custom_components" / "business_cameras" / "manifest.json").read_text(encoding="utf-8")
)
DOMAIN: str = MANIFEST["domain"]
MARKERS: tuple[str, ...] = (
    f"custom integration '{DOMAIN}'",
    f"'{DOMAIN}' custom integration",
    f"was used from {DOMAIN}.",
    *([MANIFEST["issue_tracker"]] if MANIFEST.get("issue_tracker") else []),
)


class ReportCatcher(logging.Handler):
    """Keeps every warning or error whose text points at our integration."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken log call is not ours to judge here
            return
        if any(marker in text for marker in MARKERS):
            self.reports.append(f"{record.name}: {text}")


@pytest.fixture(autouse=True)
def fail_on_home_assistant_reports() -> Iterator[None]:
    """Fail the test (at teardown) when Home Assistant logged a report about us."""
    catcher = ReportCatcher()
    root = logging.getLogger()
    root.addHandler(catcher)
    try:
        yield
    finally:
        root.removeHandler(catcher)
    if catcher.reports:
        pytest.fail(
            "Home Assistant reported the integration:\n" + "\n".join(catcher.reports),
            pytrace=False,
        )
