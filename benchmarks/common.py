"""What every benchmark shares: a migrated throwaway database and the result line."""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade


def result_line(name: str, size: str, program: float, floor: float) -> str:
    """`<name>: <size> program <s>s floor <s>s ratio=<program/floor>` (DESIGN.md §9)."""
    return f"{name}: {size} program {program:.3f}s floor {floor:.3f}s ratio={program / floor:.2f}"


def best_of(runs: int, setup: Callable[[], object], work: Callable[[object], None]) -> float:
    """The fastest of several timed runs (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(runs):
        state = setup()
        started = time.perf_counter()
        work(state)
        best = min(best, time.perf_counter() - started)
    return best


def _migrated_app(database_url: str) -> Flask:
    from provider_portal import create_app

    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(32),
            "PSEUDONYM_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "PORTAL_TODAY": "2019-02-05",
        }
    )
    with app.app_context():
        upgrade()
    return app


@contextmanager
def sqlite_app() -> Iterator[tuple[Flask, Path]]:
    """An app on a fresh, migrated SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        yield _migrated_app(f"sqlite:///{path}"), path


@contextmanager
def postgres_app() -> Iterator[Flask]:
    """An app on a fresh, migrated database of a throwaway PostgreSQL server."""
    from tests.backing_services import running_postgres

    with running_postgres() as server:
        app = _migrated_app(server.create_database("bench"))
        yield app
        from provider_portal.extensions import db

        with app.app_context():
            db.engine.dispose()


def on_both_databases(run_on: Callable[[Flask, str], list[str]]) -> list[str]:
    """`run_on(app, dialect)` on a fresh SQLite file, then on a throwaway PostgreSQL."""
    out = []
    with sqlite_app() as (app, _):
        out += run_on(app, "sqlite")
    with postgres_app() as app:
        out += run_on(app, "postgresql")
    return out


def analyze(engine, dialect: str) -> None:
    """Fresh planner statistics after the bulk inserts (and, on PostgreSQL, a vacuum)."""
    import sqlalchemy as sa

    if dialect == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE")
            )
    else:
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
