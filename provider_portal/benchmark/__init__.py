"""Benchmark packages at the edge (DESIGN.md §12): the installation's signing key, the keys it
trusts for peers, and the pages. The domain is contracts.services.benchmark.

Who may: procurement exports, imports and compares; finance reads the comparison as it reads
the scores; the administrator may fetch the public key to hand to peers; providers nothing.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from flask import current_app

from contracts.services.benchmark import imports, package

from ..extensions import db

KEY_FILE = "benchmark_key.pem"
TRUSTED_FILE = "benchmark_trusted_keys"
EXPORTERS = ("procurement",)
READERS = ("procurement", "finance")
KEY_READERS = ("procurement", "admin")


def signing_key() -> Ed25519PrivateKey:
    """The installation's Ed25519 key, made once in the instance folder (0600)."""
    path = Path(current_app.instance_path) / KEY_FILE
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
    key = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)  # nosec B101 # why: the file is ours, made above
    return key


def public_key() -> tuple[str, bytes]:
    raw = package.public_key_bytes(signing_key())
    return package.key_id_of(raw), raw


def trusted_keys() -> dict[str, imports.TrustedKey]:
    """BENCHMARK_TRUSTED_KEYS (a file path), else instance/benchmark_trusted_keys; none without."""
    name = current_app.config.get("BENCHMARK_TRUSTED_KEYS") or os.environ.get(
        "BENCHMARK_TRUSTED_KEYS"
    )
    path = Path(name) if name else Path(current_app.instance_path) / TRUSTED_FILE
    if not path.is_file():
        return {}
    return imports.read_trusted_keys(path.read_text(encoding="utf-8"))


def min_cell() -> int:
    return int(
        current_app.config.get("BENCHMARK_MIN_CELL") or os.environ.get("BENCHMARK_MIN_CELL") or 5
    )


def municipality() -> dict[str, str]:
    return {
        "name": current_app.config["MUNICIPALITY_NAME"],
        "cvr": current_app.config["MUNICIPALITY_CVR"],
    }


def export(first: str, last: str) -> dict:
    """The installation's signed package for the months `first` to `last`."""
    return package.export(
        db.session,
        municipality(),
        first,
        last,
        min_cell(),
        datetime.now(UTC).replace(microsecond=0),
        signing_key(),
    )
