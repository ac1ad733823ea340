"""The demo's peer municipalities (DESIGN.md §12): Odense and Aarhus, with synthetic figures for
2018, exported by the same code as Copenhagen's own packages and signed with keys of their own,
so the comparison shows three cities.

The peers' keys are derived from their names: they sign demo packages only and are no secret.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from ...rules.programmes import STANDARD_PROGRAMMES
from ..audit import Actor
from ..benchmark.imports import TrustedKey, import_package
from ..benchmark.package import build, key_id_of, public_key_bytes
from ..benchmark.suppression import ALL, FIELDS, cumulated
from . import plan

SHIPPED = Path(__file__).parent / "peers"
# The efforts began in March 2018 in all three cities (Copenhagen's special efforts too).
MONTHS = [f"2018-{m:02d}" for m in range(3, 13)]
CREATED_AT = datetime(2019, 1, 10, 9, 0, tzinfo=UTC)
# name, CVR, the generator's seed and how many citizens start a month in each programme. About
# 350 citizens each in 2018, half of them gone by December: an effort of Copenhagen's size (107)
# publishes almost nothing by programme, its positive exits all under 5, so its package would
# show no rate at all.
PEERS = {
    "odense": ("Odense Kommune", "35209115", 5, (6, 12)),
    "aarhus": ("Aarhus Kommune", "55133018", 8, (6, 12)),
}
# Each month a citizen leaves with this chance: to a job or education, with the benefit
# stopped, or for another reason, with these weights.
LEAVING = 0.12
EXIT_WEIGHTS = {"positive": 0.3, "benefit_stopped": 0.45, "other": 0.25}


def peer_key(peer: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"provider-portal demo peer {peer}".encode()).digest()
    )


def trusted_keys() -> dict[str, TrustedKey]:
    keys = {}
    for peer, (name, _cvr, _seed, _new) in PEERS.items():
        raw = public_key_bytes(peer_key(peer))
        keys[key_id_of(raw)] = TrustedKey(key_id_of(raw), name, raw)
    return keys


def trusted_lines() -> str:
    """The peers' keys as BENCHMARK_TRUSTED_KEYS lines."""
    return "".join(
        f"{key.key_id} {key.name} {base64.b64encode(key.public_key).decode('ascii')}\n"
        for key in trusted_keys().values()
    )


def synthetic_values(months: list[str], seed: int, newcomers: tuple[int, int]) -> dict:
    """Monthly and cumulated counts per programme as the scores would hold them: each month some
    citizens start, and each active one may leave (positive, benefit stopped or other)."""
    rng = random.Random(seed)  # nosec B311 # why: synthetic demo figures, seeded on purpose
    codes = [p.code for p in STANDARD_PROGRAMMES]
    kinds, weights = list(EXIT_WEIGHTS), list(EXIT_WEIGHTS.values())
    values = {}
    for code in codes:
        active, totals = 0, dict.fromkeys(FIELDS[2:], 0)
        for month in months:
            participants = active + rng.randint(*newcomers)
            leaving = sum(rng.random() < LEAVING for _ in range(participants))
            counts = dict.fromkeys(kinds, 0)
            for kind in rng.choices(kinds, weights, k=leaving):
                counts[kind] += 1
            counts["exits"] = leaving
            active = participants - leaving
            values.update({(code, month, f): v for f, v in counts.items()})
            values[(code, month, "participants")] = participants
            values[(code, month, "active_end")] = active
            cum = cumulated(month)
            for field in FIELDS[2:]:
                totals[field] += counts[field]
                values[(code, cum, field)] = totals[field]
            values[(code, cum, "active_end")] = active
            values[(code, cum, "participants")] = active + totals["exits"]
    for month in months:
        for period in (month, cumulated(month)):
            for field in FIELDS:
                values[(ALL, period, field)] = sum(values[(c, period, field)] for c in codes)
    return values


def peer_package(peer: str, min_cell: int = 5) -> dict:
    name, cvr, seed, newcomers = PEERS[peer]
    values = synthetic_values(MONTHS, seed, newcomers)
    codes = [p.code for p in STANDARD_PROGRAMMES]
    return build(
        {"name": name, "cvr": cvr}, codes, values, MONTHS, min_cell, CREATED_AT, peer_key(peer)
    )


def shipped_package(peer: str) -> dict:
    """The peer's package as shipped beside this module (`peer_package` made it; a test holds
    them equal), so loading the demo solves no programs."""
    return json.loads((SHIPPED / f"{peer}.json").read_text(encoding="utf-8"))


def load_peer_packages(session: Session, actor: Actor) -> None:
    """Import the peers' packages as procurement would, verified against their keys."""
    for peer in PEERS:
        stored = import_package(session, actor, shipped_package(peer), trusted_keys(), 5)
        stored.imported_at = plan.at(plan.DEMO_TODAY, 7)  # on the demo's calendar
