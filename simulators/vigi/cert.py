"""Self-signed TLS certificate for the simulated NVR (like the real one's)."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CERT_FILE = "vigi-sim-cert.pem"
KEY_FILE = "vigi-sim-key.pem"


@dataclass(frozen=True)
class Certificate:
    """PEM certificate and key."""

    cert_pem: bytes
    key_pem: bytes

    @property
    def fingerprint(self) -> str:
        """Lowercase hex SHA-256 of the DER certificate, no colons."""
        der = x509.load_pem_x509_certificate(self.cert_pem).public_bytes(serialization.Encoding.DER)
        return hashlib.sha256(der).hexdigest()

    def server_context(self) -> ssl.SSLContext:
        """A server-side SSL context using this certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = Path(tmp, CERT_FILE), Path(tmp, KEY_FILE)
            cert.write_bytes(self.cert_pem)
            key.write_bytes(self.key_pem)
            context.load_cert_chain(cert, key)
        return context


def generate(host: str) -> Certificate:
    """A fresh self-signed certificate for the host (IP SAN when host is an address)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    try:
        alt: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt = x509.DNSName(host)
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Certificate(
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def load_or_generate(host: str, cert_dir: str | Path | None) -> Certificate:
    """Reuse the certificate in cert_dir, or generate one (and save it there)."""
    if cert_dir is None:
        return generate(host)
    directory = Path(cert_dir)
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    if cert_path.is_file() and key_path.is_file():
        return Certificate(cert_path.read_bytes(), key_path.read_bytes())
    certificate = generate(host)
    directory.mkdir(parents=True, exist_ok=True)
    cert_path.write_bytes(certificate.cert_pem)
    key_path.write_bytes(certificate.key_pem)
    key_path.chmod(0o600)
    return certificate
