"""Exporting a benchmark package (DESIGN.md §12): a year of stored scores for the four
programmes, read, suppressed, proved by linear programs and signed. The floor is the same
package without disclosure control: the same scores read, serialised and signed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contracts.services.benchmark import package
from contracts.services.demo.benchmark_peers import PEERS, synthetic_values

from .common import best_of, result_line, sqlite_app

RUNS = 3
# A year, as issue 19 measures it: the demo's peers begin in March, and the bench must not follow.
MONTHS = [f"2018-{month:02d}" for month in range(1, 13)]


def _store(session, values: dict) -> None:
    from contracts.models import Programme, Score

    ids = {p.code: p.id for p in session.query(Programme)}
    rows = {}
    for (code, period, field), value in values.items():
        month = period.removeprefix("cum:")
        key = (code, month, period.startswith("cum:"))
        rows.setdefault(key, {})[field] = value
    for (code, month, cumulative), counts in rows.items():
        session.add(
            Score(
                scope="all" if code == "all" else "programme",
                scope_id=0 if code == "all" else ids[code],
                month=month,
                cumulative=cumulative,
                hours_planned=0,
                hours_delivered=0,
                absence_hours=0,
                **counts,
            )
        )
    session.commit()


def run() -> list[str]:
    from provider_portal.extensions import db

    _name, _cvr, seed, newcomers = PEERS["aarhus"]
    key = Ed25519PrivateKey.generate()
    city = {"name": "Benchmark Kommune", "cvr": "29189846"}
    with sqlite_app() as (app, _folder), app.app_context():
        _store(db.session, synthetic_values(MONTHS, seed, newcomers))

        def export(_state) -> None:
            package.export(db.session, city, MONTHS[0], MONTHS[-1], 5, datetime.now(UTC), key)

        def floor(_state) -> None:
            programmes, values = package.stored_values(db.session, MONTHS)
            cells = package.cells_of(values, programmes, MONTHS)
            key.sign(json.dumps(cells, sort_keys=True, separators=(",", ":")).encode())

        program = best_of(RUNS, lambda: None, export)
        bare = best_of(RUNS, lambda: None, floor)
    size = f"{len(MONTHS)} months x 4 programmes"
    return [result_line("benchmark export", size, program, bare)]


if __name__ == "__main__":
    for line in run():
        print(line)
