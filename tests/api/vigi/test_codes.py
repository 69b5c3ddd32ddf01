"""Appendix I error codes and their classification."""

from __future__ import annotations

import pytest

from custom_components.business_cameras.api.errors import ApiError, AuthError, LockedError
from custom_components.business_cameras.api.vigi import codes

APPENDIX_I = [
    *range(-40101, -40111, -1),
    *range(-40201, -40214, -1),
    -40301, -40302, -40303, -40304, -40309,
    -40401, -40402, -40403, -40404, -40405, -40406, -40408,
    -70301, -70302, -70303, -70304, -70312,
    *range(-70901, -70912, -1),
    *range(-71101, -71116, -1),
    -76209,
]  # fmt: skip


def test_every_appendix_code_has_a_message() -> None:
    assert len(APPENDIX_I) == 67
    assert set(codes.ERROR_MESSAGES) == set(APPENDIX_I)
    assert all(codes.message_for(code) for code in APPENDIX_I)
    assert codes.message_for(-1) == "Unknown error code"


@pytest.mark.parametrize("code", [-40401, -70301, -70302, -70312])
def test_credential_errors(code: int) -> None:
    error = codes.error_for(code, "token")
    assert isinstance(error, AuthError)
    assert (error.code, error.endpoint) == (code, "token")


@pytest.mark.parametrize(
    ("code", "retry"),
    [(-40404, codes.LOCKOUT_SECONDS), (-40408, codes.LOCKOUT_SECONDS), (-40406, 30.0)],
)
def test_lockouts(code: int, retry: float) -> None:
    error = codes.error_for(code)
    assert isinstance(error, LockedError)
    assert error.retry_after == retry


def test_other_codes_are_plain_api_errors() -> None:
    error = codes.error_for(-40209, "bitrate")
    assert type(error) is ApiError
    assert str(error) == "error -40209 on bitrate: Parameter error"
    assert -40403 in codes.SESSION_ERRORS
