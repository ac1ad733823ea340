"""Benchmark fixtures: stored scores from generated counts, a peer's key trusted by the app."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.models import Programme, Score
from contracts.services.benchmark.package import build, key_id_of, public_key_bytes
from contracts.services.benchmark.suppression import ALL, FIELDS
from tests.api.conftest import make_token  # noqa: F401  # the API tests' fixture

from .generated import PROGRAMMES, generated_values

MONTHS = [f"2019-{m:02d}" for m in range(1, 7)]
PEER_KEY = Ed25519PrivateKey.generate()
PEER = {"name": "Odense Kommune", "cvr": "35209115"}


def store_scores(session, values: dict, months: list[str]) -> None:
    """The generated counts as the aggregation would have stored them."""
    ids = dict(session.execute(sa.select(Programme.code, Programme.id)).all())
    for month in months:
        for cumulative, period in ((False, month), (True, f"cum:{month}")):
            for code in (*PROGRAMMES, ALL):
                session.add(
                    Score(
                        scope="all" if code == ALL else "programme",
                        scope_id=0 if code == ALL else ids[code],
                        month=month,
                        cumulative=cumulative,
                        hours_planned=Decimal(0),
                        hours_delivered=Decimal(0),
                        absence_hours=Decimal(0),
                        **{f: values[(code, period, f)] for f in FIELDS},
                    )
                )


@pytest.fixture
def scored(app):
    from provider_portal.extensions import db

    with app.app_context():
        store_scores(db.session, generated_values(MONTHS, 7, newcomers=(2, 9)), MONTHS)
        db.session.commit()
    return MONTHS


def peer_package(key=PEER_KEY, seed: int = 11) -> dict:
    values = generated_values(MONTHS, seed, newcomers=(3, 12), exits=(0, 4))
    return build(PEER, PROGRAMMES, values, MONTHS, 5, datetime(2019, 7, 3, tzinfo=UTC), key)


@pytest.fixture
def trusting(app, tmp_path):
    """The app trusts the peer's key (BENCHMARK_TRUSTED_KEYS, a file of key_id name key lines)."""
    raw = public_key_bytes(PEER_KEY)
    path = tmp_path / "trusted_keys"
    path.write_text(
        f"# peers\n{key_id_of(raw)} Odense Kommune {base64.b64encode(raw).decode()}\n",
        encoding="utf-8",
    )
    app.config["BENCHMARK_TRUSTED_KEYS"] = str(path)
    return path
