"""Aggregating a month on the workers: one job per contract, then the month's scores.

`start(month)` enqueues, after the caller's commit, one `invoice-<contract>-<month>` job per
contract with an accepted report and a final `aggregate-<month>` job that depends on them
all (failures allowed, since it makes up any missing invoice itself) and writes the scores.
The final job's id is the month's job id: it finishes when every invoice and score is written.

A month counts as running only while a live worker holds or can still take its jobs
(`jobs.held_by_live_worker`): a job whose worker has stopped sending heartbeats is not
running, whatever RQ's registries say, so a month whose worker died can be started again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from redis import Redis
from rq import Retry

from rq.exceptions import NoSuchJobError
from rq.job import Dependency, Job, JobStatus
from sqlalchemy.exc import IntegrityError

from contracts.rules.periods import parse_month
from contracts.services import invoicing, scoring

from .extensions import db
from .jobs import (
    AppContextJob, error_line, held_by_live_worker, queue, redis_connection, status_as_fetched, worker_alive,
)

JOB_TIMEOUT = 600
RESULT_TTL = 7 * 24 * 3600
FAILURE_TTL = 30 * 24 * 3600
# Retries for what can pass: a lost database connection, a lock held by another worker.
RETRY = Retry(max=3, interval=[2, 10, 30])


class AlreadyRunning(Exception):
    """The month is being aggregated by a live worker."""


def month_job_id(month: str) -> str:
    return f"aggregate-{month}"


def invoice_job_id(contract_id: int, month: str) -> str:
    return f"invoice-{contract_id}-{month}"


# The jobs themselves: edges like request handlers, ids in, one commit at the end.


def invoice_contract_month(contract_id: int, month: str) -> int | None:
    """Invoice one contract's month. Safe to run twice: a duplicate found is taken as done."""
    try:
        invoice = invoicing.invoice_contract_month(db.session, contract_id, month)
        db.session.commit()
    except IntegrityError:
        # Another worker wrote the same invoice first; the unique constraint kept it single.
        db.session.rollback()
        invoice = invoicing.invoice_contract_month(db.session, contract_id, month)
    return invoice.id if invoice else None


def finish_month(month: str, contract_ids: list[int]) -> dict[str, Any]:
    """Make up any invoice still missing, then write the month's scores for every scope."""
    for contract_id in contract_ids:
        invoice_contract_month(contract_id, month)
    written = scoring.compute_month(db.session, month)
    db.session.commit()
    invoicing.month_done(db.session)
    db.session.commit()
    return {"month": month, "contracts": len(contract_ids), "scores": written}


def scheduled_previous_month() -> str | None:
    """For `rq cron` on the 11th: aggregate the month before, once its reports are due."""
    from .clock import today

    first = today().replace(day=1)
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    try:
        return start(previous, started_by=None)
    except AlreadyRunning:
        return None


# Starting and watching.


def _fetch(job_id: str, connection: Redis) -> Job | None:
    try:
        return AppContextJob.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None


def _group(month_job: Job, connection: Redis) -> list[Job]:
    ids = month_job.meta.get("invoice_jobs", [])
    return [job for job in (_fetch(i, connection) for i in ids) if job is not None] + [month_job]


def is_running(month_job: Job, connection: Redis) -> bool:
    """True while a live worker holds, or can still take, one of the month's jobs."""
    return any(held_by_live_worker(job, connection) for job in _group(month_job, connection))


def start(month: str, started_by: int | None, connection: Redis | None = None) -> str:
    """Enqueue the month's jobs (call after the commit of what they read); returns the month's job id."""
    parse_month(month)
    connection = connection or redis_connection()
    existing = _fetch(month_job_id(month), connection)
    if existing is not None:
        if is_running(existing, connection):
            raise AlreadyRunning(month)
        for job in _group(existing, connection):
            job.delete()
    contract_ids = invoicing.accepted_contract_ids(db.session, month)
    aggregation = queue("aggregation", connection)
    options = dict(job_timeout=JOB_TIMEOUT, result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL, retry=RETRY)
    children = []
    for contract_id in contract_ids:
        old = _fetch(invoice_job_id(contract_id, month), connection)
        if old is not None:
            old.delete()
        children.append(aggregation.enqueue(
            "provider_portal.aggregation.invoice_contract_month", contract_id, month,
            job_id=invoice_job_id(contract_id, month), **options))
    final = aggregation.enqueue(
        "provider_portal.aggregation.finish_month", month, contract_ids,
        job_id=month_job_id(month),
        depends_on=Dependency(jobs=children, allow_failure=True) if children else None,
        meta={"invoice_jobs": [c.id for c in children], "started_by": started_by, "month": month},
        **options,
    )
    return final.id


def status(job_id: str, connection: Redis | None = None) -> dict[str, Any] | None:
    """The month job's status, progress and error, for the API and the job page; None if unknown."""
    connection = connection or redis_connection()
    job = _fetch(job_id, connection)
    if job is None or not job.id.startswith("aggregate-"):
        return None
    group = _group(job, connection)
    state = status_as_fetched(job)
    done = sum(1 for j in group if j.get_status(refresh=False) == JobStatus.FINISHED)
    answer: dict[str, Any] = {
        "id": job.id, "month": job.meta.get("month"), "started_by": job.meta.get("started_by"),
        "status": {JobStatus.DEFERRED: "queued", JobStatus.SCHEDULED: "queued"}.get(state, str(state.value)),
        "progress": {"done": done, "total": len(group)},
    }
    if state == JobStatus.STARTED and not worker_alive(job.worker_name, connection):
        answer["status"] = "failed"
        answer["error"] = "The worker running this job stopped; start the month again."
    if state == JobStatus.FAILED:
        answer["error"] = error_line(job) or "The job failed."
    if state == JobStatus.FINISHED:
        answer["result"] = job.return_value()
    return answer


__all__ = ["AlreadyRunning", "finish_month", "invoice_contract_month", "start", "status"]
