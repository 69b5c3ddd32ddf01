"""Certificates: a CA, the IPC's server certificate and the OpenAPI client certificate.

The vendor hands out ``openapi.p12`` (client key + certificate, password protected) and the
IPC demands it on HTTPS (the Postman tutorial adds it as a client certificate and turns
server verification off, so the server certificate is not publicly trusted).  Here one CA
signs both; the server trusts only that CA for client certificates.

Files in ``cert_dir`` are reused across runs and shared by simulators on other hosts (one
``openapi.p12`` works with every simulated IPC, as the vendor's works with every IPC).  A
lock file serialises several processes creating them at once.  Simulators sharing a
directory must share the certificate password.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import ipaddress
import os
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

P12_NAME = "openapi.p12"
CA_CERT, CA_KEY = "sunmi-ca.pem", "sunmi-ca-key.pem"
CLIENT_CERT, CLIENT_KEY = "sunmi-client.pem", "sunmi-client-key.pem"
LOCK_NAME = ".sunmi-sim.lock"
KEY_BITS = 2048
# The device is built on OpenSSL 1.0.2 (its push User-Agent): TLS 1.2 at most, so a client
# without a certificate fails in the handshake itself.
MAX_TLS = ssl.TLSVersion.TLSv1_2


@dataclass(frozen=True)
class Pem:
    """A PEM certificate and its PEM (PKCS#8, unencrypted) key."""

    cert: bytes
    key: bytes


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _builder(subject: str, issuer: x509.Name, public: rsa.RSAPublicKey) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
    )


def make_ca() -> Pem:
    """A self-signed CA."""
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SUNMI IPC Simulator CA")])
    cert = (
        _builder("SUNMI IPC Simulator CA", name, key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Pem(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def _issue(ca: Pem, subject: str, *, server_host: str | None) -> Pem:
    ca_cert = x509.load_pem_x509_certificate(ca.cert)
    ca_key = serialization.load_pem_private_key(ca.key, None)
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    key = _key()
    builder = _builder(subject, ca_cert.subject, key.public_key()).add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True
    )
    if server_host is not None:
        try:
            alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(server_host))
        except ValueError:
            alt = x509.DNSName(server_host)
        builder = builder.add_extension(x509.SubjectAlternativeName([alt]), critical=False)
        usage = ExtendedKeyUsageOID.SERVER_AUTH
    else:
        usage = ExtendedKeyUsageOID.CLIENT_AUTH
    builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return Pem(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def make_server(ca: Pem, host: str) -> Pem:
    """The IPC's certificate: CN and SAN are the host address."""
    return _issue(ca, host, server_host=host)


def make_client(ca: Pem) -> Pem:
    """The OpenAPI client certificate."""
    return _issue(ca, "SUNMI OpenAPI client", server_host=None)


def p12_bytes(client: Pem, ca: Pem, password: str) -> bytes:
    """``openapi.p12``: client key + certificate + CA, legacy SHA1/3DES encryption.

    The legacy algorithms are what OpenSSL 1.x (and so most vendors' tooling) writes; every
    PKCS#12 reader accepts them.
    """
    key = serialization.load_pem_private_key(client.key, None)
    assert isinstance(key, rsa.RSAPrivateKey)
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())  # noqa: S303 - legacy PKCS#12 MAC, as vendors write
        .build(password.encode())
    )
    return pkcs12.serialize_key_and_certificates(
        b"openapi",
        key,
        x509.load_pem_x509_certificate(client.cert),
        [x509.load_pem_x509_certificate(ca.cert)],
        encryption,
    )


def _p12_matches(path: Path, client: Pem, password: str) -> bool:
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode())
    except (OSError, ValueError):
        return False
    return cert is not None and cert.public_bytes(serialization.Encoding.PEM) == client.cert


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    if secret:
        tmp.chmod(0o600)
    tmp.replace(path)


def _load_pair(directory: Path, cert_name: str, key_name: str) -> Pem | None:
    cert, key = directory / cert_name, directory / key_name
    if cert.is_file() and key.is_file():
        return Pem(cert.read_bytes(), key.read_bytes())
    return None


def _save_pair(directory: Path, cert_name: str, key_name: str, pem: Pem) -> None:
    _write(directory / cert_name, pem.cert)
    _write(directory / key_name, pem.key, secret=True)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with (directory / LOCK_NAME).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(frozen=True)
class CertBundle:
    """Everything TLS needs: CA, server and client certificates, and the p12 on disk."""

    ca: Pem
    server: Pem
    client: Pem
    p12_path: Path

    @property
    def server_fingerprint(self) -> str:
        """Lowercase hex SHA-256 of the server's DER certificate."""
        der = x509.load_pem_x509_certificate(self.server.cert).public_bytes(
            serialization.Encoding.DER
        )
        return hashlib.sha256(der).hexdigest()

    def server_context(self) -> ssl.SSLContext:
        """Server side: this certificate, and a client certificate from the CA required."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.maximum_version = MAX_TLS
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
            cert.write_bytes(self.server.cert)
            key.write_bytes(self.server.key)
            context.load_cert_chain(cert, key)
        context.load_verify_locations(cadata=self.ca.cert.decode())
        context.verify_mode = ssl.CERT_REQUIRED
        return context


def load_or_create(cert_dir: str | Path, host: str, password: str) -> CertBundle:
    """Reuse or create the CA, client and per-host server certificates and openapi.p12."""
    directory = Path(cert_dir)
    directory.mkdir(parents=True, exist_ok=True)
    server_cert, server_key = f"sunmi-server-{host}.pem", f"sunmi-server-{host}-key.pem"
    with _locked(directory):
        ca = _load_pair(directory, CA_CERT, CA_KEY)
        if ca is None:
            ca = make_ca()
            _save_pair(directory, CA_CERT, CA_KEY, ca)
            for stale in (CLIENT_CERT, CLIENT_KEY, P12_NAME):
                (directory / stale).unlink(missing_ok=True)
        client = _load_pair(directory, CLIENT_CERT, CLIENT_KEY)
        if client is None:
            client = make_client(ca)
            _save_pair(directory, CLIENT_CERT, CLIENT_KEY, client)
        server = _load_pair(directory, server_cert, server_key)
        if server is None or not _issued_by(server, ca):
            server = make_server(ca, host)
            _save_pair(directory, server_cert, server_key, server)
        p12 = directory / P12_NAME
        if not _p12_matches(p12, client, password):
            _write(p12, p12_bytes(client, ca, password), secret=True)
    return CertBundle(ca, server, client, p12)


def _issued_by(leaf: Pem, ca: Pem) -> bool:
    try:
        x509.load_pem_x509_certificate(leaf.cert).verify_directly_issued_by(
            x509.load_pem_x509_certificate(ca.cert)
        )
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
