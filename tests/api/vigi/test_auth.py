"""Digest challenge/response and the token holder, against the document's vectors."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from custom_components.business_cameras.api.errors import ProtocolError
from custom_components.business_cameras.api.vigi.auth import (
    DigestChallenge,
    TokenHolder,
    authorization_header,
    digest_response,
    parse_challenge,
)

from .doc_vectors import ACCESS_TOKEN, CHALLENGE, REFRESH_TOKEN, TOKEN_REPLY


def _b64url_json(segment: str) -> object:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_document_challenge() -> None:
    challenge = parse_challenge(CHALLENGE)
    assert challenge == DigestChallenge(
        realm="TP-LINK NVR",
        nonce="5b032b462e0ad5ea60a0b44eaa871377",
        algorithm="SHA-256",
        uri="/openapi/token",
    )


@pytest.mark.parametrize(
    "header",
    [
        'digest   url="/openapi/token",nonce="abc" ,realm="TP-LINK NVR",algorithm=SHA-256',
        'Digest nonce=abc, realm="TP-LINK NVR", algorithm="sha256"',
        'Digest realm="TP-LINK NVR", nonce="abc", uri="/openapi/token", algorithm="SHA-256"',
    ],
)
def test_challenge_tolerates_order_quoting_and_spaces(header: str) -> None:
    challenge = parse_challenge(header)
    assert (challenge.realm, challenge.nonce, challenge.algorithm) == (
        "TP-LINK NVR",
        "abc",
        "SHA-256",
    )


def test_challenge_defaults_to_md5_as_the_v10_text_says() -> None:
    assert parse_challenge('Digest realm="r", nonce="n"').algorithm == "MD5"


def test_challenge_with_escaped_quote() -> None:
    assert parse_challenge(r'Digest realm="a\"b", nonce="n"').realm == 'a"b'


@pytest.mark.parametrize(
    "header",
    [
        'Basic realm="TP-LINK NVR"',
        'Digest realm="TP-LINK NVR"',
        'Digest nonce="abc"',
        'Digest realm="r", nonce="n", algorithm="SHA-512"',
        "",
    ],
)
def test_bad_challenges(header: str) -> None:
    with pytest.raises(ProtocolError):
        parse_challenge(header)


@pytest.mark.parametrize(("algorithm", "name"), [("SHA-256", "sha256"), ("MD5", "md5")])
def test_digest_response(algorithm: str, name: str) -> None:
    def h(text: str) -> str:
        return hashlib.new(name, text.encode()).hexdigest()

    expected = h(
        f"{h('admin:TP-LINK NVR:secret')}:5b032b462e0ad5ea60a0b44eaa871377:"
        f"{h('GET:/openapi/token')}"
    )
    got = digest_response(
        "admin",
        "secret",
        "TP-LINK NVR",
        "5b032b462e0ad5ea60a0b44eaa871377",
        algorithm=algorithm,
    )
    assert got == expected
    assert re.fullmatch(r"[0-9a-f]+", got)


def test_authorization_header_is_the_documented_four_field_form() -> None:
    header = authorization_header("admin", "secret", parse_challenge(CHALLENGE))
    match = re.fullmatch(
        r'Digest username="admin", nonce="5b032b462e0ad5ea60a0b44eaa871377", '
        r'realm="TP-LINK NVR", response="([0-9a-f]{64})"',
        header,
    )
    assert match is not None
    assert "secret" not in header


def test_document_token_is_decoded_and_refresh_kept_as_received() -> None:
    holder = TokenHolder()
    holder.update(TOKEN_REPLY, now=100.0)
    assert holder.expires_at == 1900.0
    assert holder.generation == 1
    access = holder.access_token
    assert access is not None
    assert "%" not in access
    assert {"/", "+", "="} <= set(access)
    header, payload, signature = access.split(".")
    assert _b64url_json(header) == {"alg": "RS256", "typ": "JWT"}
    assert _b64url_json(payload) == {"usr": "admin", "grp": "root", "exp": "2024-12-26 12:42:01"}
    assert len(base64.b64decode(signature, validate=True)) == 128
    assert holder.refresh_token == REFRESH_TOKEN
    assert ACCESS_TOKEN not in repr(holder)
    assert access not in repr(holder)


def test_token_validity_margin() -> None:
    holder = TokenHolder()
    assert not holder.valid(0.0)
    holder.update({"access_token": "a", "expires_in": "120"}, now=0.0)
    assert holder.valid(59.0, margin=60.0)
    assert not holder.valid(61.0, margin=60.0)
    assert holder.refresh_token is None
    holder.clear()
    assert not holder.valid(0.0)
    assert holder.generation == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"access_token": ""},
        {"access_token": 5},
        {"access_token": "a", "expires_in": "soon"},
        {"access_token": "a", "expires_in": -1},
        {"access_token": "a", "expires_in": True},
    ],
)
def test_bad_token_answers(payload: dict[str, object]) -> None:
    with pytest.raises(ProtocolError):
        TokenHolder().update(payload, now=0.0)
