"""RQ's queues and the Job class every job runs with, for the web app, the worker and `rq cron`.

Jobs are edges like request handlers: ids in, a service of `contracts` called with the
session, one commit at the end, made here. They are enqueued only after the commit that wrote what they
read, with a deterministic id built from domain keys, an explicit timeout and TTLs.
"""

from __future__ import annotations

import io
import pickle  # nosec B403 # written by RQ, read back only through _PlainUnpickler
from smtplib import SMTPException

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy.exc import DisconnectionError, OperationalError

from .. import transaction
from ..extensions import db
from ..redis_options import redis_options

QUEUES = ("aggregation", "documents", "default", "mail")
# Retries for what can pass by itself (TRANSIENT): a refused or lost database connection, a
# lock another writer holds, Redis out of reach for a moment. Any other error fails at once.
RETRY = Retry(max=3, interval=[2, 10, 30])
# An SMTP server that refuses or cannot be reached is transient too (the `mail` queue).
TRANSIENT = (
    OperationalError,
    DisconnectionError,
    RedisConnectionError,
    RedisTimeoutError,
    SMTPException,
    ConnectionError,
    TimeoutError,
)
# An error line longer than this is cut: a page shows what a person can act on.
MAX_ERROR_LENGTH = 400


# What a job may run: the portal's own job functions. Anyone who can write to Redis could
# otherwise name any importable function (platform.node, os.system) for a worker to call.
JOB_MODULES = ("provider_portal.jobs.", "provider_portal.mail.")
# What job data may hold besides plain values (numbers, text, lists, dicts, None).
_PLAIN_CLASSES = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    # A month is a value type of its own (a str), in arguments and meta.
    ("contracts.rules.periods", "Month"),
}


class _PlainUnpickler(pickle.Unpickler):
    """Reads pickled job data that names no class or function but the plain ones above: a
    pickle that would call anything else (pickle's way to run code) is refused before it runs."""

    def find_class(self, module: str, name: str):
        if (module, name) in _PLAIN_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"job data may not name {module}.{name}")


class PlainSerializer:
    """RQ's pickle, as RQ and `rq cron` write it, read back with _PlainUnpickler (job data are
    ids, months and plain containers). RQ's JSON serializer would do, but `rq cron` enqueues
    with the default serializer whatever it is told."""

    @staticmethod
    def dumps(value, *args, **kwargs) -> bytes:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes, *args, **kwargs):
        return _PlainUnpickler(io.BytesIO(data)).load()


class NotAPortalJob(Exception):
    """A job naming a function outside the portal's jobs (someone wrote it into Redis)."""


class AppContextJob(Job):
    """Runs each job inside an app context of the app the worker made before forking, as
    Flask-RQ does; commits once when the job returns (transaction.py) and rolls back when it
    raises; only TRANSIENT errors are retried."""

    # Set once by worker.py; a job is never run where no app was made.
    app: Flask | None = None

    def __init__(self, id: str | None = None, connection: Redis | None = None, serializer=None):
        # Every job, made here, fetched by the web app or taken by a worker, is read the same
        # safe way, whatever serializer a caller names.
        super().__init__(id, connection=connection, serializer=PlainSerializer)

    def perform(self):
        if AppContextJob.app is None:
            raise RuntimeError("jobs run on worker.py's workers, which make the app first")
        allowed = JOB_MODULES + tuple(AppContextJob.app.config.get("EXTRA_JOB_MODULES") or ())
        if not self.func_name.startswith(allowed):
            self.retries_left = 0
            raise NotAPortalJob(f"{self.func_name} is not one of the portal's jobs")
        with AppContextJob.app.app_context():
            try:
                _job_budget()
                result = super().perform()
                transaction.commit()
                return result
            except TRANSIENT:
                transaction.rollback()
                raise
            except Exception:
                transaction.rollback()
                # Running it again would fail the same way: no retry (RQ reads this on failure).
                self.retries_left = 0
                raise
            finally:
                db.session.remove()

    def dependencies_are_met(
        self,
        parent_job: Job | None = None,
        pipeline=None,
        exclude_job_id: str | None = None,
        refresh_job_status: bool = True,
    ) -> bool:
        """RQ's check, after one that can only say no sooner. RQ reads every dependency's status
        each time one of them finishes: a month job waiting on 100 contract jobs cost 200 Redis
        commands per contract job (5 ms, issue 16). The jobs are taken about in the order they
        were enqueued, so the last one still waiting is read first, under the same WATCH that
        RQ's check puts on every dependency: if it changes before the caller's transaction
        ends, the caller reads again, as with RQ's check."""
        if pipeline is not None and parent_job is not None and self._dependency_ids:
            pipeline.watch(*[self.key_for(i) for i in self._dependency_ids])
            skip = {parent_job.id, exclude_job_id}
            last = next((i for i in reversed(self._dependency_ids) if i not in skip), None)
            if last is not None:
                status = pipeline.hget(self.key_for(last), "status")
                allowed = {JobStatus.FINISHED.value}
                if self.allow_dependency_failures:
                    allowed.add(JobStatus.FAILED.value)
                if status is not None and status.decode() not in allowed:
                    return False
        return super().dependencies_are_met(
            parent_job, pipeline, exclude_job_id, refresh_job_status
        )


def _job_budget() -> None:
    """A job's statements get JOB_STATEMENT_TIMEOUT instead of a web request's budget, for the
    job's transaction (set_config(…, true) is SET LOCAL): a month reads every contract."""
    seconds = float(current_app.config.get("JOB_STATEMENT_TIMEOUT") or 0)
    if seconds > 0 and db.engine.dialect.name == "postgresql":
        db.session.execute(
            sa.text("SELECT set_config('statement_timeout', :budget, true)"),
            {"budget": f"{int(seconds * 1000)}ms"},
        )


def redis_connection(url: str | None = None) -> Redis:
    """A Redis connection to the configured server (or `url`), waiting at most REDIS_TIMEOUT
    for it; outside an app (a test's or a script's own connection to `url`) the default wait."""
    config = current_app.config if has_app_context() else {}
    return Redis.from_url(url or config["REDIS_URL"], **redis_options(config))


def fetch(job_id: str, connection: Redis) -> Job | None:
    """The job of that id, or None when there is none (never made, deleted, or expired)."""
    try:
        return AppContextJob.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None


def queue(name: str, connection: Redis | None = None) -> Queue:
    """One of the named queues, using the app-context Job class."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(
        name,
        connection=connection or redis_connection(),
        job_class=AppContextJob,
        serializer=PlainSerializer,
    )


def status_as_fetched(job: Job) -> JobStatus:
    """The status read with the rest of the job when it was fetched.

    Never `get_status(refresh=True)` here: it rereads the status alone, so a job that started
    after the fetch would be STARTED with the worker name of its queued days (none), and look
    abandoned by a dead worker.
    """
    return job.get_status(refresh=False)


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

    return f"{current_app.name} {db.engine.dialect.name}"
