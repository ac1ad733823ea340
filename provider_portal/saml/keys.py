"""The single sign-on key pair: an RSA key and a self-signed certificate, made once.

Like the portal's other keys they are made once and then kept (a new certificate would have to
be registered with the identity provider again). Key and certificate are made together in a
temporary folder that is then renamed into place, so two processes starting at the same time
never end up with the key of one and the certificate of the other.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_FILE = "key.pem"
CERT_FILE = "cert.pem"
# A self-signed certificate's dates mean little in SAML (the metadata vouches for it); ten
# years, so an installation does not stop at an arbitrary date.
VALID_FOR = timedelta(days=3650)


@dataclass(frozen=True)
class KeyPair:
    key_file: Path
    cert_file: Path

    def certificate_text(self) -> str:
        """The certificate as base64 without the PEM armour, as metadata carries it."""
        lines = self.cert_file.read_text(encoding="ascii").strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def key_pair(folder: Path, common_name: str) -> KeyPair:
    """The key pair in `folder`, made first when missing."""
    pair = KeyPair(folder / KEY_FILE, folder / CERT_FILE)
    if pair.key_file.is_file() and pair.cert_file.is_file():
        return pair
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        _write_pair(staging, common_name)
        os.rename(staging, folder)
    except OSError:
        # Another process made it first (a folder is renamed onto only when absent or empty).
        if not (pair.key_file.is_file() and pair.cert_file.is_file()):
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return pair


def _write_pair(folder: Path, common_name: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + VALID_FOR)
        .sign(key, hashes.SHA256())
    )
    key_path = folder / KEY_FILE
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        )
    (folder / CERT_FILE).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
