"""Jobs for the retry tests, run by a real worker (which imports this module by its path)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from provider_portal.jobs.queues import redis_connection


def lost_connection_once(key: str) -> str:
    """Fails the first time as a refused database connection does, then succeeds."""
    if redis_connection().incr(key) == 1:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
    return "done"


def wrong(key: str) -> None:
    """Fails as a bug does, every time; counts its runs."""
    redis_connection().incr(key)
    raise ValueError("not something a retry mends")


def slow(seconds: float) -> None:
    """Takes its time, as a long job does."""
    import time

    time.sleep(seconds)


def reads_the_database() -> int:
    """Reads through the worker's database connection, as every real job does."""
    import sqlalchemy as sa

    from provider_portal.extensions import db

    return db.session.scalar(sa.select(sa.literal(1)))


def waits_in_the_database(seconds: float) -> None:
    """A statement that runs longer than its job may (its timeout stops it mid-statement)."""
    import sqlalchemy as sa

    from provider_portal.extensions import db

    db.session.execute(sa.text("SELECT pg_sleep(:seconds)"), {"seconds": seconds})
