"""A signing key and self-signed certificate on disk, made when missing (cryptography only,
no Django: the loopback test identity provider uses it too)."""

from __future__ import annotations

import datetime
import fcntl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def self_signed(key_file: Path, cert_file: Path, common_name: str, *, days: int = 3650) -> None:
    if key_file.exists() and cert_file.exists():
        return
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Several processes (server workers) may start at once: one makes the pair, the others
    # wait for it, so a key never meets another process's certificate.
    with (key_file.parent / f".{key_file.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (key_file.exists() and cert_file.exists()):
            _make(key_file, cert_file, common_name, days)


def _make(key_file: Path, cert_file: Path, common_name: str, days: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
