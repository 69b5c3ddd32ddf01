"""Sign Rules: the seed's examples, public parameters, verification."""

from __future__ import annotations

import hashlib
import re

from custom_components.business_cameras.api.sunmi import auth

# Seed "Sign example": the parameters and the string it builds (its sign is a placeholder).
SEED_PARAMS = {
    "app_id": "2039dds",
    "product_id": "389238",
    "user_id": "29389",
    "content": "newproductmask",
    "environment": "test",
    "timestamp": "1593029283",
    "random": "289192",
}
SEED_STR1 = (
    "app_id=2039dds&content=newproductmask&environment=test&product_id=389238"
    "&random=289192&timestamp=1593029283&user_id=29389"
)
SEED_KEY = "kdsofkdsnflke9382938k"

# Seed "Activation Example": signed with the activation code; this sign is a real MD5.
ACTIVATION = {
    "app_id": "JO83UNV983U9OR",
    "random": "289192",
    "sn": "FS101D8BS00106",
    "timestamp": "1593029283",
}
ACTIVATION_CODE = "12345678"
ACTIVATION_SIGN = "72CB1C1031D3BA103D2FA1A57E171C2D"


def test_seed_sign_example_string() -> None:
    assert auth.signing_string(SEED_PARAMS) == SEED_STR1
    expected = (
        hashlib.md5(f"{SEED_STR1}&key={SEED_KEY}".encode(), usedforsecurity=False)
        .hexdigest()
        .upper()
    )
    assert auth.sign(SEED_PARAMS, SEED_KEY) == expected
    # sign itself is never part of the signed string
    assert auth.sign({**SEED_PARAMS, "sign": "IDKNFLK392038KDS932K"}, SEED_KEY) == expected


def test_seed_activation_example() -> None:
    assert auth.sign(ACTIVATION, ACTIVATION_CODE) == ACTIVATION_SIGN
    assert auth.verify_sign({**ACTIVATION, "sign": ACTIVATION_SIGN}, ACTIVATION_CODE)
    assert auth.verify_sign({**ACTIVATION, "sign": ACTIVATION_SIGN.lower()}, ACTIVATION_CODE)
    assert not auth.verify_sign({**ACTIVATION, "sign": ACTIVATION_SIGN}, "12345679")
    assert not auth.verify_sign(ACTIVATION, ACTIVATION_CODE)


def test_public_params_activation_reproduces_the_seed() -> None:
    params = auth.public_params(
        "JO83UNV983U9OR",
        ACTIVATION_CODE,
        {"sn": "FS101D8BS00106"},
        now=1593029283.9,
        random="289192",
    )
    assert params == {**ACTIVATION, "sign": ACTIVATION_SIGN}


def test_lists_are_signed_as_compact_json() -> None:
    params = {"event_list": ["face_recog_event", "dynamic_detect_event"], "app_id": "a"}
    assert auth.signing_string(params) == (
        'app_id=a&event_list=["face_recog_event","dynamic_detect_event"]'
    )
    assert auth.public_params("a", "k", params, now=1, random="123456")["event_list"] == (
        '["face_recog_event","dynamic_detect_event"]'
    )


def test_verify_sign_with_a_subset_of_fields() -> None:
    params = {"app_id": "a", "random": "123456", "timestamp": "1700000000", "payload": "{}"}
    signed = {k: params[k] for k in ("app_id", "random", "timestamp")}
    params["sign"] = auth.sign(signed, "k")
    assert not auth.verify_sign(params, "k")
    assert auth.verify_sign(params, "k", fields=("app_id", "random", "timestamp"))


def test_random_is_6_to_10_digits_and_varies() -> None:
    values = {auth.random_string() for _ in range(2000)}
    assert len(values) > 1990
    lengths = {len(value) for value in values}
    assert lengths == set(range(6, 11))
    assert all(re.fullmatch(r"[1-9][0-9]{5,9}", value) for value in values)


def test_timestamp_is_ten_digits() -> None:
    assert auth.timestamp(1593029283.999) == "1593029283"
    assert re.fullmatch(r"\d{10}", auth.timestamp())
