"""Aggregating a month on the workers: one job per contract, then the month's scores.

`start(month)` enqueues, after the caller's commit, one `invoice-<contract>-<month>` job per
contract with an accepted report and a final `aggregate-<month>` job that depends on them
all (failures allowed, since it makes up any missing invoice itself) and writes the scores.
The final job's id is the month's job id: it finishes when every invoice and score is written.

A month counts as running only while a live worker holds or can still take one of its jobs
(`liveness.Liveness`), judged after dead workers' jobs are handed back (`liveness.reap_abandoned`).
A contract job whose worker died is run again at once by a live worker, and the month goes on
by itself; with no worker alive, or with a month job that nothing will release, the month is
not running and can be started again. Its status says so either way.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from redis import Redis
from rq.job import Dependency, Job, JobStatus
from sqlalchemy.exc import IntegrityError

from contracts.models import Contract
from contracts.rules.periods import Month
from contracts.rules.problems import N_
from contracts.rules.report_calendar import has_ended, month_ends_on
from contracts.services import DomainError, invoicing, scoring

from ..clock import now, today
from ..extensions import db
from ..transaction import after_writes
from .liveness import Liveness, Verdict, delete, reap_abandoned, times_abandoned
from .queues import (
    RETRY,
    AppContextJob,
    error_line,
    fetch,
    queue,
    redis_connection,
    status_as_fetched,
)

JOB_TIMEOUT = 600
RESULT_TTL = 7 * 24 * 3600
FAILURE_TTL = 30 * 24 * 3600


class AlreadyRunning(Exception):
    """The month is being aggregated by a live worker."""


def month_job_id(month: str) -> str:
    return f"aggregate-{month}"


def invoice_job_id(contract_id: int, month: str) -> str:
    return f"invoice-{contract_id}-{month}"


# The jobs themselves: edges like request handlers, ids in; the Job class commits once at the end.


def invoice_contract_month(contract_id: int, month: str) -> int | None:
    """Invoice one contract's month. Safe to run twice: a duplicate found is taken as done."""
    try:
        with db.session.begin_nested():
            invoice = invoicing.invoice_contract_month(db.session, contract_id, month, now=now())
    except IntegrityError:
        # Another worker wrote the same invoice first; the unique constraint kept it single.
        invoice = invoicing.invoice_contract_month(db.session, contract_id, month, now=now())
    return invoice.id if invoice else None


def finish_month(month: str, contract_ids: list[int]) -> dict[str, Any]:
    """Make up any invoice still missing, then write the month's scores for every scope."""
    for contract_id in contract_ids:
        invoice_contract_month(contract_id, month)
    written = scoring.compute_month(db.session, month)
    invoicing.month_done(db.session)
    return {"month": month, "contracts": len(contract_ids), "scores": written}


def scheduled_previous_month() -> str | None:
    """For `rq cron` on the 11th: aggregate the month before, once its reports are due. A month
    no contract runs in is left alone: nothing to aggregate, and no failed job every month."""
    month = Month.of(today()).previous()
    if not _any_contract_runs(month):
        return None
    try:
        return start(month, started_by=None)
    except AlreadyRunning:
        return None


# Starting and watching.


def _group(month_job: Job, connection: Redis) -> list[Job]:
    """The month's contract jobs still in Redis, read in one round trip, then the month job."""
    found = AppContextJob.fetch_many(month_job.meta.get("invoice_jobs", []), connection=connection)
    return [job for job in found if job is not None] + [month_job]


def start(month: str, started_by: int | None, connection: Redis | None = None) -> str:
    """Enqueue the month's jobs, once what they read is committed (transaction.after_writes);
    returns the month's job id. Refuses a month that is running (AlreadyRunning) at once, and
    a month that has not ended on the portal's today or that no contract's period (up to its
    latest possible end) reaches (DomainError, 422, nothing enqueued)."""
    month = Month.parse(month)
    if not has_ended(month, today()):
        raise DomainError(
            N_(
                "%(month)s can be aggregated and invoiced from %(from_day)s, when the month has "
                "ended"
            ),
            "month",
            month=month,
            from_day=month_ends_on(month),
        )
    if not _any_contract_runs(month):
        # A quota too: nobody queues the months 0001-01 to 9999-12 (issue 16).
        raise DomainError(
            N_("No contract runs in %(month)s, so there is nothing to aggregate"),
            "month",
            month=month,
        )
    connection = connection or redis_connection()
    reap_abandoned(connection)
    existing = fetch(month_job_id(month), connection)
    if existing is not None and Liveness(connection).holds(existing):
        raise AlreadyRunning(month)
    after_writes(_enqueue, month, started_by, connection)
    return month_job_id(month)


def _any_contract_runs(month: Month) -> bool:
    first, last = month.first_day, month.last_day
    return db.session.scalar(
        sa.select(sa.exists().where(Contract.start_on <= last, Contract.max_end_on >= first))
    )


def _enqueue(month: str, started_by: int | None, connection: Redis) -> None:
    """Replace whatever jobs of the month are left, then enqueue one per contract and the month's."""
    existing = fetch(month_job_id(month), connection)
    for job in _group(existing, connection) if existing is not None else []:
        delete(job)
    contract_ids = invoicing.accepted_contract_ids(db.session, month)
    ids = [invoice_job_id(contract_id, month) for contract_id in contract_ids]
    for old in AppContextJob.fetch_many(ids, connection=connection):
        if old is not None:  # left by a month run before, under the same id
            delete(old)
    aggregation = queue("aggregation", connection)
    options = dict(
        job_timeout=JOB_TIMEOUT, result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL, retry=RETRY
    )
    children = [
        aggregation.enqueue(
            "provider_portal.jobs.aggregation.invoice_contract_month",
            contract_id,
            month,
            job_id=job_id,
            **options,
        )
        for contract_id, job_id in zip(contract_ids, ids, strict=True)
    ]
    aggregation.enqueue(
        "provider_portal.jobs.aggregation.finish_month",
        month,
        contract_ids,
        job_id=month_job_id(month),
        depends_on=Dependency(jobs=children, allow_failure=True) if children else None,
        meta={"invoice_jobs": ids, "started_by": started_by, "month": month},
        **options,
    )


# What the month's status says when a worker died holding one of its jobs, or when it is stuck.
RERUN_NOTICE = N_(
    "A worker stopped while running this month's jobs; the jobs it held are being run again."
)
WAITING_NOTICE = N_(
    "A worker stopped while running this month's jobs, and no worker is running now. "
    "The jobs wait for a worker; the month can also be started again."
)
STALLED_ERROR = N_(
    "The month's jobs stopped and cannot finish by themselves; start the month again."
)


# States a job waits in before a worker takes it, all "queued" to the people following it.
WAITING_TO_RUN = (JobStatus.DEFERRED, JobStatus.SCHEDULED, JobStatus.READY_TO_ENQUEUE)


def status(job_id: str, connection: Redis | None = None) -> dict[str, Any] | None:
    """The month job's status, progress, error and notice, for the API and the job page; None if unknown.

    `queued`, `started`, `finished` or `failed` as RQ has it, or `stalled` when live workers run
    but nothing will finish the month (a job it waits on went missing); `notice` says when a
    worker died holding one of its jobs.
    """
    connection = connection or redis_connection()
    reap_abandoned(connection)
    job = fetch(job_id, connection)
    if job is None or not job.id.startswith("aggregate-"):
        return None
    group = _group(job, connection)
    state = status_as_fetched(job)
    done = sum(1 for j in group if status_as_fetched(j) == JobStatus.FINISHED)
    answer: dict[str, Any] = {
        "id": job.id,
        "month": job.meta.get("month"),
        "started_by": job.meta.get("started_by"),
        "status": "queued" if state in WAITING_TO_RUN else str(state.value),
        "progress": {"done": done, "total": len(group)},
    }
    if state == JobStatus.FAILED:
        answer["error"] = error_line(job) or "The job failed."
    elif state == JobStatus.FINISHED:
        answer["result"] = job.return_value()
    else:
        liveness = Liveness(connection)
        verdict = liveness.verdict(job)
        if verdict is Verdict.ENDED:  # it ended while being read: say how
            return status(job_id, connection)
        running = verdict is Verdict.HELD
        if not running and liveness.workers_alive:
            answer["status"] = "stalled"
            answer["error"] = STALLED_ERROR
        elif times_abandoned(group):
            answer["notice"] = RERUN_NOTICE if running else WAITING_NOTICE
    return answer


__all__ = ["AlreadyRunning", "finish_month", "invoice_contract_month", "start", "status"]
