"""Error codes (§1.5) and their classification."""

from __future__ import annotations

from pathlib import Path

import pytest

from custom_components.business_cameras.api.errors import ApiError, AuthError
from custom_components.business_cameras.api.tums import codes
from custom_components.business_cameras.api.tums.errors import (
    ClockSkewError,
    DeviceOfflineError,
    DeviceUnsupportedError,
    NotLicensedError,
    RateLimitedError,
    WrongAppTypeError,
)

REFERENCE = Path("/work/shared/reference/tums-part2.md")


def test_all_419_codes() -> None:
    assert len(codes.ERROR_MESSAGES) == 419
    assert all(code < 0 for code in codes.ERROR_MESSAGES)
    assert all(text for text in codes.ERROR_MESSAGES.values())


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference not available")
def test_codes_match_reference_table() -> None:
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## 9."))
    end = next(i for i, line in enumerate(lines) if line.startswith("## 10."))
    documented = {
        int(line.split("|")[1])
        for line in lines[start:end]
        if line.startswith("| -") and line.split("|")[1].strip().lstrip("-").isdigit()
    }
    assert documented == set(codes.ERROR_MESSAGES)


@pytest.mark.parametrize("code", [-10301, -10304, -10305, -82401])
def test_credential_errors(code: int) -> None:
    error = codes.error_for(code, "/x")
    assert type(error) is AuthError
    assert error.endpoint == "/x"


def test_clock_skew() -> None:
    error = codes.error_for(-10302, "/x", skew=-400.0)
    assert isinstance(error, ClockSkewError)
    assert isinstance(error, AuthError)
    assert error.skew == -400.0


def test_not_licensed_carries_device() -> None:
    error = codes.error_for(-88315, "/x", device_id="16E0091709B04C926")
    assert isinstance(error, NotLicensedError)
    assert error.device_id == "16E0091709B04C926"


def test_wrong_app_type() -> None:
    project = codes.error_for(-88312)
    device = codes.error_for(-88311)
    assert isinstance(project, WrongAppTypeError)
    assert project.required == "project"
    assert isinstance(device, WrongAppTypeError)
    assert device.required == "device"


@pytest.mark.parametrize("code", [-10200, -10201, -20004, -82112, -88303, -20003])
def test_rate_limits(code: int) -> None:
    error = codes.error_for(code)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after > 0


def test_offline_unsupported_and_plain() -> None:
    assert isinstance(codes.error_for(-20571, device_id="d"), DeviceOfflineError)
    assert isinstance(codes.error_for(-80391), DeviceUnsupportedError)
    plain = codes.error_for(-80301)
    assert type(plain) is ApiError
    assert plain.message == "Device does not exist"
    assert codes.error_for(-1).message == "Unknown error code"
