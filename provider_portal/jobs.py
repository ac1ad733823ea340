"""RQ: the queues, the Job class that runs every job in an app context, and enqueueing.

Jobs are edges like request handlers: ids in, a service of `contracts` called with the
session, one commit at the end. They are enqueued only after the request's commit, with a
deterministic id built from domain keys, an explicit timeout and TTLs.
"""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis
from rq import Queue
from rq.job import Job

QUEUES = ("aggregation", "documents", "default")


class AppContextJob(Job):
    """Runs each job inside a fresh app context, as Flask-RQ does, and cleans the session up."""

    # The app the worker created before forking; a job run outside a worker creates its own.
    app: Flask | None = None

    def perform(self):
        from . import create_app
        from .extensions import db

        app = AppContextJob.app or create_app({"SQLITE_BEGIN_IMMEDIATE": True})
        with app.app_context():
            try:
                return super().perform()
            finally:
                db.session.remove()


def redis_connection(url: str | None = None) -> Redis:
    """A Redis connection to the configured server."""
    return Redis.from_url(url or current_app.config["REDIS_URL"])


def queue(name: str, connection: Redis | None = None) -> Queue:
    """One of the named queues, using the app-context Job class."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=connection or redis_connection(), job_class=AppContextJob)


def ping() -> str:
    """A trivial job, for checking that a worker runs jobs in an app context."""
    from .extensions import db

    return f"{current_app.name} {db.engine.dialect.name}"


def daily_changeover() -> int:
    """Move the participants of contracts that ended yesterday to their successors (see cron.py)."""
    from contracts.services.contract_changes import changeover

    from .clock import today
    from .extensions import db

    moved = changeover(db.session, today())
    db.session.commit()
    return moved
