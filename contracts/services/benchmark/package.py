"""The benchmark package (DESIGN.md §12): counts per programme and "all", per month and cumulated,
with small counts suppressed, signed with the installation's Ed25519 key.

The counts are the stored scores the score pages read (§7), never counted again: a month's
monthly figures, and the cumulated figures (from the effort's start) up to the period's last
month as the package's "cumulative" cells.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy.orm import Session

from ...models import Programme, Score
from ...rules.periods import Month, months_between
from ...rules.problems import N_
from .. import DomainError
from .secondary import choose
from .suppression import ALL, FIELDS, Key, cumulated

FORMAT = "provider-portal-benchmark"
VERSION = 1
CUMULATIVE = "cumulative"
MAX_MONTHS = 120


def check_period(first: str, last: str) -> list[str]:
    """The months from `first` to `last`; refuses a reversed or overlong period."""
    months = months_between(Month.parse(first), Month.parse(last))
    if not months:
        raise DomainError(N_("The period's first month comes after its last."), "from")
    if len(months) > MAX_MONTHS:
        raise DomainError(N_("A package holds at most %(count)s months."), "to", count=MAX_MONTHS)
    return [str(m) for m in months]


def stored_values(session: Session, months: Sequence[str]) -> tuple[list[str], dict[Key, int]]:
    """The programmes' codes and every month's monthly and cumulated counts: one statement.

    A programme with no figures in a month counts 0 there; a month the aggregation has not
    written is refused (there is nothing to publish for it yet).
    """
    codes = list(session.scalars(sa.select(Programme.code).order_by(Programme.code)))
    code_of = sa.case((Score.scope == "all", sa.literal(ALL)), else_=Programme.code)
    rows = session.execute(
        sa.select(code_of, Score.month, Score.cumulative, *(getattr(Score, f) for f in FIELDS))
        .outerjoin(Programme, sa.and_(Score.scope == "programme", Programme.id == Score.scope_id))
        .where(Score.scope.in_(("all", "programme")), Score.month.between(months[0], months[-1]))
    )
    values: dict[Key, int] = {
        (code, period, field): 0
        for code in (*codes, ALL)
        for month in months
        for period in (month, cumulated(month))
        for field in FIELDS
    }
    seen = set()
    for code, month, cumulative, *counts in rows:
        period = cumulated(month) if cumulative else month
        seen.add(month)
        for field, count in zip(FIELDS, counts, strict=True):
            values[(code, period, field)] = count
    missing = [m for m in months if m not in seen]
    if missing:
        raise DomainError(
            N_("The months %(months)s have no scores yet: aggregate them first."),
            "to",
            months=", ".join(missing),
        )
    return codes, values


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(public_key: bytes) -> str:
    """A short, stable name for a public key: its SHA-256, first 16 hex digits."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def signed_bytes(package: Mapping) -> bytes:
    """The bytes the signature covers: the package without `signature`, serialised as §12 says."""
    unsigned = {k: v for k, v in package.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def cells_of(
    values: Mapping[Key, int],
    programmes: Sequence[str],
    months: Sequence[str],
    suppressed: set[Key] | frozenset = frozenset(),
) -> list[dict]:
    """The package's cells: per programme and "all", per month and cumulated up to the last."""
    cells = []
    for code in (*programmes, ALL):
        for period in (*months, cumulated(months[-1])):
            cell = {"programme": code, "month": period if period in months else CUMULATIVE}
            for field in FIELDS:
                key = (code, period, field)
                cell[field] = None if key in suppressed else values[key]
            cells.append(cell)
    return cells


def build(
    municipality: Mapping[str, str],
    programmes: Sequence[str],
    values: Mapping[Key, int],
    months: Sequence[str],
    min_cell: int,
    created_at: datetime,
    private_key: Ed25519PrivateKey,
) -> dict:
    """The signed package of `months`: suppressed and proved (DomainError if it cannot be)."""
    suppressed = choose(values, programmes, months, min_cell)
    package = {
        "format": FORMAT,
        "version": VERSION,
        "municipality": {"name": municipality["name"], "cvr": municipality["cvr"]},
        "period": {"from": months[0], "to": months[-1]},
        "created_at": created_at.isoformat(timespec="seconds"),
        "min_cell": min_cell,
        "cells": cells_of(values, programmes, months, suppressed),
        "key_id": key_id_of(public_key_bytes(private_key)),
    }
    package["signature"] = base64.b64encode(private_key.sign(signed_bytes(package))).decode("ascii")
    return package


def export(
    session: Session,
    municipality: Mapping[str, str],
    first: str,
    last: str,
    min_cell: int,
    created_at: datetime,
    private_key: Ed25519PrivateKey,
) -> dict:
    """The installation's own package for the months `first` to `last`."""
    months = check_period(first, last)
    programmes, values = stored_values(session, months)
    return build(municipality, programmes, values, months, min_cell, created_at, private_key)
