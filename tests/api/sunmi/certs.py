"""Throw-away certificates for TLS tests."""

from __future__ import annotations

import datetime
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def _self_signed(name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert


@dataclass
class CertBundle:
    """A server certificate and a client p12, with a server context requiring the client."""

    p12: bytes
    password: str
    server_context: ssl.SSLContext
    server_der: bytes


P12_PASSWORD = "p12 pass wörd"


def make_certs(directory: Path, password: str = P12_PASSWORD) -> CertBundle:
    """Generate both certificates in ``directory``."""
    server_key, server_cert = _self_signed("sunmi-ipc")
    client_key, client_cert = _self_signed("openapi")
    server_pem = directory / "server.pem"
    server_pem.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + server_cert.public_bytes(serialization.Encoding.PEM)
    )
    client_ca = directory / "client-ca.pem"
    client_ca.write_bytes(client_cert.public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server_pem)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(client_ca)
    p12 = pkcs12.serialize_key_and_certificates(
        b"openapi",
        client_key,
        client_cert,
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )
    return CertBundle(
        p12=p12,
        password=password,
        server_context=context,
        server_der=server_cert.public_bytes(serialization.Encoding.DER),
    )
