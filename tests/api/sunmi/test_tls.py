"""Client certificate loading and certificate pinning against a local mutual-TLS server."""

from __future__ import annotations

import asyncio
import hashlib
import ssl
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from custom_components.business_cameras.api.errors import (
    AuthError,
    CertificateMismatchError,
    ConnectError,
)
from custom_components.business_cameras.api.sunmi import tls
from custom_components.business_cameras.api.sunmi.client import SunmiClient
from custom_components.business_cameras.api.sunmi.errors import (
    CertificateError,
    CertificateNotPinnedError,
)

from .certs import CertBundle, make_certs

HOST = "127.0.0.38"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> CertBundle:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture
async def server(certs: CertBundle) -> AsyncIterator[int]:
    """An HTTPS server that requires the client certificate and answers every POST."""

    async def handle(request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peercert") if request.transport else None
        return web.json_response({"code": 0, "data": {"client": bool(peer)}})

    app = web.Application()
    app.router.add_post("/openapi/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0, ssl_context=certs.server_context)
    await site.start()
    yield runner.addresses[0][1]
    await runner.cleanup()


def test_build_context_and_wrong_password(
    certs: CertBundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    context = tls.build_ssl_context(certs.p12, certs.password)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_NONE
    assert issubclass(context.sslobject_class, tls.PinnedSSLObject)
    assert isinstance(tls.ssl_context_loader(certs.p12, certs.password)(), ssl.SSLContext)
    with pytest.raises(CertificateError) as caught:
        tls.build_ssl_context(certs.p12, "not the password")
    assert isinstance(caught.value, AuthError)
    assert "not the password" not in str(caught.value)
    with pytest.raises(CertificateError):
        tls.build_ssl_context(b"not a p12 file", "x")
    # No key material is left behind in the temporary directory.
    assert list(tmp_path.iterdir()) == []


def test_fingerprint_normalisation() -> None:
    digits = "ab" * 32
    assert tls.normalise_fingerprint(":".join(["AB"] * 32)) == digits
    with pytest.raises(ValueError, match="SHA-256"):
        tls.normalise_fingerprint("abc")


async def test_fetch_fingerprint_and_pinning(certs: CertBundle, server: int) -> None:
    expected = hashlib.sha256(certs.server_der).hexdigest()
    context = tls.build_ssl_context(certs.p12, certs.password)
    assert await tls.fetch_server_fingerprint(HOST, server, context) == expected
    async with aiohttp.ClientSession() as session:
        unpinned = SunmiClient(
            session,
            HOST,
            app_id="a",
            secret_key="s",
            ssl_context=context,
            fingerprint=None,
            port=server,
            timeout=5,
        )
        with pytest.raises(CertificateNotPinnedError) as not_pinned:
            await unpinned.call("device/getInfo")
        assert not_pinned.value.got == expected

        wrong = SunmiClient(
            session,
            HOST,
            app_id="a",
            secret_key="s",
            ssl_context=context,
            fingerprint="00" * 32,
            port=server,
            timeout=5,
        )
        with pytest.raises(CertificateMismatchError) as mismatch:
            await wrong.call("device/getInfo")
        assert mismatch.value.got == expected

        other = tls.build_ssl_context(certs.p12, certs.password)
        right = SunmiClient(
            session,
            HOST,
            app_id="a",
            secret_key="s",
            ssl_context=other,
            fingerprint=expected.upper(),
            port=server,
            timeout=5,
        )
        assert await right.call("device/getInfo") == {"client": True}
    # Still reports the fingerprint once pinned (it matches).
    assert await tls.fetch_server_fingerprint(HOST, server, other) == expected


async def test_fetch_fingerprint_unreachable(certs: CertBundle) -> None:
    context = tls.build_ssl_context(certs.p12, certs.password)
    with pytest.raises(ConnectError):
        await tls.fetch_server_fingerprint(HOST, 9, context, timeout=2)


async def test_plain_tcp_server_is_a_connect_error(certs: CertBundle) -> None:
    async def close_at_once(_r: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(close_at_once, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    try:
        context = tls.build_ssl_context(certs.p12, certs.password)
        with pytest.raises(ConnectError):
            await tls.fetch_server_fingerprint(HOST, port, context, timeout=2)
    finally:
        server.close()
        await server.wait_closed()
