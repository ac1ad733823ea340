"""Importing a peer municipality's benchmark package (DESIGN.md §12): verified against the keys
trusted for peers, checked against the suppression rule, stored with who imported it (audited).

A package refused stores nothing; the reason is one DomainError (422) the pages translate.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from ...models import BenchmarkImport
from ...rules.periods import is_month
from ...rules.problems import N_
from .. import DomainError
from ..audit import Actor, record
from .package import CUMULATIVE, FORMAT, VERSION, signed_bytes
from .suppression import FIELDS


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    name: str
    public_key: bytes


def read_trusted_keys(text: str) -> dict[str, TrustedKey]:
    """`key_id name public_key` lines (the name may hold spaces; # starts a comment)."""
    keys = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 3:
            continue
        try:
            public_key = base64.b64decode(parts[-1], validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(public_key) == 32:
            keys[parts[0]] = TrustedKey(parts[0], " ".join(parts[1:-1]), public_key)
    return keys


def _refuse(template: str, **params) -> DomainError:
    return DomainError(template, "package", **params)


def verify(package: object, trusted: Mapping[str, TrustedKey], min_cell: int) -> None:
    """Refuse (DomainError 422) another format or version, an unknown key, a bad signature, or
    a count that breaks the suppression rule."""
    if not isinstance(package, dict):
        raise _refuse(N_("The file is not a benchmark package."))
    if package.get("format") != FORMAT or package.get("version") != VERSION:
        raise _refuse(
            N_(
                "The package is of another format or version (this portal reads %(format)s %(version)s)."
            ),
            format=FORMAT,
            version=VERSION,
        )
    key = trusted.get(str(package.get("key_id")))
    if key is None:
        raise _refuse(N_("The package is signed with a key that is not trusted here."))
    try:
        signature = base64.b64decode(str(package.get("signature")), validate=True)
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, signed_bytes(package))
    except (binascii.Error, ValueError, InvalidSignature):
        raise _refuse(N_("The package's signature does not match its content.")) from None
    _check_content(package, min_cell)


def _check_content(package: dict, min_cell: int) -> None:
    period = package.get("period") or {}
    municipality = package.get("municipality") or {}
    if not (
        isinstance(period, dict)
        and is_month(period.get("from"))
        and is_month(period.get("to"))
        and isinstance(municipality, dict)
        and isinstance(municipality.get("name"), str)
        and isinstance(municipality.get("cvr"), str)
        and isinstance(package.get("cells"), list)
    ):
        raise _refuse(N_("The package lacks its municipality, period or cells."))
    stated = package.get("min_cell")
    if not isinstance(stated, int) or isinstance(stated, bool) or stated < min_cell:
        raise _refuse(
            N_("The package suppresses counts below %(stated)s; this portal needs %(needed)s."),
            stated=stated,
            needed=min_cell,
        )
    for cell in package["cells"]:
        if not isinstance(cell, dict) or not (
            is_month(cell.get("month")) or cell.get("month") == CUMULATIVE
        ):
            raise _refuse(N_("The package lacks its municipality, period or cells."))
        for field in FIELDS:
            value = cell.get(field)
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise _refuse(N_("A count in the package is not a whole number."))
            if 0 < value < stated:
                raise _refuse(
                    N_(
                        "The package publishes a count of %(value)s (%(programme)s, %(month)s), "
                        "below its own limit of %(limit)s."
                    ),
                    value=value,
                    programme=str(cell.get("programme")),
                    month=str(cell.get("month")),
                    limit=stated,
                )


def import_package(
    session: Session,
    actor: Actor,
    package: object,
    trusted: Mapping[str, TrustedKey],
    min_cell: int,
) -> BenchmarkImport:
    """Verify and store a package; audited as `benchmark.imported`."""
    verify(package, trusted, min_cell)
    stored = BenchmarkImport(
        municipality=package["municipality"]["name"][:200],
        cvr=package["municipality"]["cvr"][:8],
        key_id=package["key_id"],
        period_from=package["period"]["from"],
        period_to=package["period"]["to"],
        package=package,
        imported_by_id=actor.user_id,
    )
    session.add(stored)
    session.flush()
    record(
        session,
        actor,
        "benchmark.imported",
        "benchmark_import",
        stored.id,
        municipality=stored.municipality,
        key_id=stored.key_id,
        period=f"{stored.period_from}..{stored.period_to}",
    )
    return stored


def newest_imports(session: Session) -> list[BenchmarkImport]:
    """The newest imported package of each peer municipality, by name: one statement."""
    newest = (
        sa.select(sa.func.max(BenchmarkImport.id)).group_by(BenchmarkImport.cvr).scalar_subquery()
    )
    return list(
        session.scalars(
            sa.select(BenchmarkImport)
            .where(BenchmarkImport.id.in_(newest))
            .order_by(BenchmarkImport.municipality)
        )
    )
