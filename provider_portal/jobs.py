"""RQ: the queues, the Job class that runs every job in an app context, and enqueueing.

Jobs are edges like request handlers: ids in, a service of `contracts` called with the
session, one commit at the end. They are enqueued only after the request's commit, with a
deterministic id built from domain keys, an explicit timeout and TTLs.

Whether a job can still get done is decided here, once, by worker heartbeats: a job counts as
held only while a live worker runs it or, still waiting, while any worker is alive. RQ's own
registries keep a job "started" long after its worker died (SIGKILL, a lost machine), so the
app would otherwise wait on it forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Worker
from rq.job import Job, JobStatus

QUEUES = ("aggregation", "documents", "default")
# Workers heartbeat every 5 s in a job and every 20 s when idle (worker.py); silence this
# long means the worker is dead, so its jobs can be started again within a minute.
HEARTBEAT_GRACE = timedelta(seconds=45)
_NOT_STARTED = (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
# An error line longer than this is cut: a page shows what a person can act on.
MAX_ERROR_LENGTH = 400


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


def age(moment: datetime | None) -> timedelta:
    """How long ago a moment RQ recorded (UTC) was; forever ago when it was never recorded."""
    if moment is None:
        return timedelta.max
    return datetime.now(timezone.utc) - moment.replace(tzinfo=timezone.utc)


def worker_alive(name: str | None, connection: Redis) -> bool:
    """True when the named worker has sent a heartbeat within HEARTBEAT_GRACE."""
    if not name:
        return False
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, connection=connection)
    return worker is not None and _beating(worker)


def any_live_worker(connection: Redis) -> bool:
    """True when any live worker runs: the workers of worker.py listen on every queue."""
    return any(_beating(w) for w in Worker.all(connection=connection))


def _beating(worker: Worker) -> bool:
    return age(worker.last_heartbeat) < HEARTBEAT_GRACE


def status_as_fetched(job: Job) -> JobStatus:
    """The status read with the rest of the job when it was fetched.

    Never `get_status(refresh=True)` here: it rereads the status alone, so a job that started
    after the fetch would be STARTED with the worker name of its queued days (none), and look
    abandoned by a dead worker.
    """
    return job.get_status(refresh=False)


def held_by_live_worker(job: Job, connection: Redis) -> bool:
    """True while a live worker runs the job or, while it waits, any worker is alive to take it."""
    status = status_as_fetched(job)
    if status == JobStatus.STARTED:
        return worker_alive(job.worker_name, connection)
    return status in _NOT_STARTED and any_live_worker(connection)


def error_line(job: Job) -> str | None:
    """The exception line of a failed job's traceback: the last frame's exception, without the
    stack before it or the SQL and links an exception adds after it; None when there is none."""
    result = job.latest_result()
    lines = ((result.exc_string if result else job.exc_info) or "").rstrip().splitlines()
    frames = [n for n, line in enumerate(lines) if line.startswith("  File ")]
    start = frames[-1] + 1 if frames else 0
    for line in lines[start:]:
        if line and not line.startswith(" "):
            line = line.strip()
            return line if len(line) <= MAX_ERROR_LENGTH else line[: MAX_ERROR_LENGTH - 1] + "…"
    return None


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
