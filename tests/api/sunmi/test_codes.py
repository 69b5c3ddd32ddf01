"""Return codes: typed errors and messages."""

from __future__ import annotations

import pytest

from custom_components.business_cameras.api.errors import ApiError, AuthError
from custom_components.business_cameras.api.sunmi import codes
from custom_components.business_cameras.api.sunmi.errors import NotActivatedError

SEED_CODES = {
    *range(0, 6),
    *range(7, 13),
    100,
    101,
    *range(110, 121),
    200,
    201,
    202,
    *range(204, 209),
    210,
    211,
    212,
    220,
    221,
    *range(230, 238),
    *range(240, 244),
    *range(260, 284),
    310,
    311,
}


def test_every_code_of_the_seed_has_a_meaning() -> None:
    assert set(codes.MEANINGS) == SEED_CODES


@pytest.mark.parametrize(("code", "kind"), [(3, AuthError), (7, AuthError), (5, NotActivatedError)])
def test_typed_errors(code: int, kind: type[ApiError]) -> None:
    error = codes.error_for(code, "device/getInfo")
    assert type(error) is kind
    assert error.code == code
    assert error.endpoint == "device/getInfo"


def test_other_codes_are_plain_api_errors() -> None:
    for code in SEED_CODES - {0, 3, 5, 7}:
        assert type(codes.error_for(code)) is ApiError
    error = codes.error_for(999, "x")
    assert error.message == "vendor error 999"
    assert "vendor error 220" in str(codes.error_for(220, "config/formatMemoryCard"))
