"""A month's invoicing the way the portal runs it: one job per contract on a real RQ worker.

The in-process measurement (benchmarks.aggregation) leaves out what the queue adds: a forked
work horse per job with its own database connection, and RQ's bookkeeping in Redis. Here the
program is `aggregation.start` until every contract's invoice job has finished, on one worker
process (the month's scores, the last job, are left out: the floor has none). The floor is
what no queued program can beat: the bare SQL of benchmarks.aggregation, plus as many no-op
jobs through the same worker as the month has contracts.
"""

from __future__ import annotations

import time

from benchmarks.common import result_line

POLL = 0.01


def _wait(jobs, deadline: float) -> None:
    while not all(job.get_status(refresh=True) == "finished" for job in jobs):
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish the month's jobs in time")
        time.sleep(POLL)


def _invoice_jobs(month: str) -> list:
    from provider_portal.jobs import aggregation
    from provider_portal.jobs.queues import AppContextJob, redis_connection

    connection = redis_connection()
    month_job = AppContextJob.fetch(aggregation.month_job_id(month), connection=connection)
    return [AppContextJob.fetch(i, connection=connection) for i in month_job.meta["invoice_jobs"]]


def program(app, month: str) -> tuple[float, int]:
    """Seconds from starting the month until its last invoice job is done; how many jobs.

    Returns once the scores are written too, so that they do not hold up the floor's jobs.
    """
    from provider_portal.jobs import aggregation
    from provider_portal.jobs.queues import AppContextJob, redis_connection

    with app.app_context():
        started = time.perf_counter()
        month_job_id = aggregation.start(month, started_by=None)
        jobs = _invoice_jobs(month)
        _wait(jobs, time.monotonic() + 600)
        seconds = time.perf_counter() - started
        _wait(
            [AppContextJob.fetch(month_job_id, connection=redis_connection())],
            time.monotonic() + 600,
        )
        return seconds, len(jobs)


def no_op_jobs(app, count: int) -> float:
    """Seconds for `count` jobs that do nothing, through the same queue and worker."""
    from provider_portal.jobs.queues import queue

    with app.app_context():
        aggregation_queue = queue("aggregation")
        started = time.perf_counter()
        # The portal's trivial job: a worker runs only the portal's own functions.
        jobs = [aggregation_queue.enqueue("provider_portal.jobs.queues.ping") for _ in range(count)]
        _wait(jobs, time.monotonic() + 600)
        return time.perf_counter() - started


def run_on(app, dialect: str, month: str, bare_sql: float, size: str) -> str:
    """The measurement on a fresh private Redis and one worker.py process on the app's database."""
    from tests.backing_services import running_redis
    from tests.jobs.test_worker import start_worker, stop_worker

    with running_redis() as redis_url:
        app.config["REDIS_URL"] = redis_url
        worker = start_worker(app.config["DATABASE_URL"], redis_url, "aggregation")
        try:
            no_op_jobs(app, 5)  # the worker is up and has registered
            seconds, jobs = program(app, month)
            floor = bare_sql + no_op_jobs(app, jobs)
        finally:
            stop_worker(worker)
    return result_line(f"aggregation month on a worker ({dialect})", size, seconds, floor)
