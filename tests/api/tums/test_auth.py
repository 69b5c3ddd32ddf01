"""Signing: the document's rule (§1.2.2), recomputed independently with hmac/hashlib."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.tums import auth

PATH = "/tums/open/resource/v1/getPagedRootRegions"
# The document's code samples (§1.2.2.3) send exactly this body (json.dumps of the dict).
BODY = b'{"start": 0, "limit": 10, "needDevNum": 0}'
TS = "1706701924"
NONCE = "1407447e996cf697488957375fd03d98"  # the document's sample header
TERMINAL = "fa5d13475934410b9398a95be95f7079"  # the document's sample header


def reference_signature(sk: str, ts: str, path: str, payload: bytes, method: str = "POST") -> str:
    """The document's flow chart, written out independently of the module under test."""
    hashed = hashlib.sha256(payload).hexdigest()
    to_sign = f"HmacSHA256\n{ts}\n{method} {path} tp-link_request\n{hashed}"
    k_date = hmac.new(sk.encode(), ts.encode(), hashlib.sha256).digest()
    k_service = hmac.new(k_date, path.encode(), hashlib.sha256).digest()
    k_signing = hmac.new(k_service, b"tp-link", hashlib.sha256).digest()
    return hmac.new(k_signing, to_sign.encode(), hashlib.sha256).hexdigest()


def test_signature_matches_independent_computation() -> None:
    expected = reference_signature("testSK", TS, PATH, BODY)
    assert auth.signature("testSK", TS, PATH, BODY) == expected
    # Cross-checked in the reference (part 1 §3.5) with openssl as well.
    assert expected == "f544ddb64b88b3a337bfb322ce57588bb5c937cd6296021835d8e5b4552f608c"


def test_intermediate_values() -> None:
    assert (
        auth.hashed_payload(BODY)
        == "89cfbb2c95909793320c0f8255e32b586878ad3dca5b7a05472f4a60e607102a"
    )
    assert auth.credential_scope(PATH) == f"POST {PATH} tp-link_request"
    assert auth.string_to_sign(TS, PATH, BODY) == (
        "HmacSHA256\n1706701924\nPOST /tums/open/resource/v1/getPagedRootRegions "
        "tp-link_request\n89cfbb2c95909793320c0f8255e32b586878ad3dca5b7a05472f4a60e607102a"
    )
    assert (
        auth.signing_key("testSK", TS, PATH).hex()
        == "ed5a932d9ee6cdec6b02a27925e177f9f35b4fc978a075a9d390274ad2ba06ce"
    )


@pytest.mark.parametrize("body", [b"", b"not json", b"\xff\xfe"])
def test_empty_or_non_json_body_signs_braces(body: bytes) -> None:
    path = "/tums/open/deviceManager/v1/getApplicationOverview"
    expected = reference_signature("testSK", TS, path, b"{}")
    assert auth.signature("testSK", TS, path, body) == expected
    assert expected == "d918a88a4214c1ee2fa5fc41b21378aef5f79897f5fdd29e59ca9f258ec9aa5d"


def test_body_bytes_matter() -> None:
    compact = b'{"start":0,"limit":10,"needDevNum":0}'
    assert auth.signature("testSK", TS, PATH, compact) != auth.signature("testSK", TS, PATH, BODY)
    assert auth.signature("testSK", TS, PATH, compact) == reference_signature(
        "testSK", TS, PATH, compact
    )


def test_utf8_body_and_other_secret() -> None:
    body = '{"regionName":"默认分组"}'.encode()
    path = "/tums/open/resource/v1/addRegion"
    assert auth.signature("S€cret", TS, path, body) == reference_signature("S€cret", TS, path, body)


def test_header_format() -> None:
    header = auth.authorization_header(
        access_key="testAK",
        secret_key="testSK",
        path=PATH,
        body=BODY,
        terminal_id=TERMINAL,
        timestamp=TS,
        nonce=NONCE,
    )
    assert header == (
        "Timestamp=1706701924,Nonce=1407447e996cf697488957375fd03d98,AccessKey=testAK,"
        "Signature=f544ddb64b88b3a337bfb322ce57588bb5c937cd6296021835d8e5b4552f608c,"
        "TerminalId=fa5d13475934410b9398a95be95f7079"
    )
    assert " " not in header
    fields = auth.parse_authorization(header)
    assert list(fields) == list(auth.HEADER_FIELDS)


def test_header_rejects_bad_terminal_id() -> None:
    with pytest.raises(ValueError, match="terminal"):
        auth.authorization_header(
            access_key="a",
            secret_key="s",
            path=PATH,
            body=BODY,
            terminal_id="x" * 65,
            timestamp=TS,
            nonce=NONCE,
        )


def test_parse_authorization_rejects_missing_field() -> None:
    with pytest.raises(ProtocolError):
        auth.parse_authorization("Timestamp=1,Nonce=2,AccessKey=3,Signature=4")


def test_timestamp_and_nonce() -> None:
    assert auth.format_timestamp(1706701924.9) == "1706701924"
    with pytest.raises(ValueError, match="10"):
        auth.format_timestamp(12345)
    nonce = auth.new_nonce()
    assert len(nonce) == 32
    assert nonce != auth.new_nonce()
    assert len(auth.new_terminal_id()) == 32


def test_credentials_validity() -> None:
    temp = auth.Credentials("ak", "sk", expires_at=1000.0, temporary=True)
    assert temp.valid(800.0, margin=100.0)
    assert not temp.valid(950.0, margin=100.0)
    assert "sk" not in repr(temp)
    assert auth.Credentials("ak", "sk").valid(1e12)
