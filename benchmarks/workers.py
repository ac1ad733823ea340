"""A month's invoicing the way the portal runs it: one job per contract on real RQ workers.

The in-process measurement (benchmarks.aggregation) leaves out what the queue adds: RQ's
bookkeeping in Redis for every job, and the worker's way of running it (worker.py runs the
aggregation queue's jobs in its own process on a pooled connection,
provider_portal.jobs.worker_class). Here the program is `aggregation.start` until every
contract's invoice job has finished, on 1, 2 or 4 worker.py processes (the month's scores,
the last job, are left out: the floor has none). The floor is what no queued program can
beat: the bare SQL of benchmarks.aggregation, plus as many no-op jobs as the program ran,
through the same worker processes (same worker class, same queue).

The machine shares its cores (`os.cpu_count()`, printed in the lines: 2 where this was
written) with Redis, PostgreSQL and the benchmark itself, so more workers than cores
mostly wait their turn; the figure is how the time falls from 1 to 2 to 4 workers (the
last line). On several workers the floor's no-op jobs run side by side too, but its bare
SQL is one transaction on one connection, so the program can beat it (a ratio below 1):
those lines show the time, the single worker's line the cost of the queue.
Program and floor are measured in turns, ROUNDS times, and the fastest of each is kept
(the least disturbed by the rest of the machine).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from rq.job import JobStatus

from benchmarks.common import result_line

POLL = 0.01
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
WORKERS = (1, 2, 4)


def _wait(jobs, deadline: float) -> None:
    """Until every job has finished, checking each only until it has (jobs end about in order)."""
    pending = list(jobs)
    while pending:
        status = pending[0].get_status(refresh=True)
        if status == JobStatus.FINISHED:
            pending.pop(0)
            continue
        if status == JobStatus.FAILED:
            raise AssertionError(f"job {pending[0].id} failed")
        if time.monotonic() > deadline:
            raise AssertionError("the workers did not finish the month's jobs in time")
        time.sleep(POLL)


def _invoice_jobs(month: str) -> list:
    from provider_portal.jobs import aggregation
    from provider_portal.jobs.queues import AppContextJob, redis_connection

    connection = redis_connection()
    month_job = AppContextJob.fetch(aggregation.month_job_id(month), connection=connection)
    return [AppContextJob.fetch(i, connection=connection) for i in month_job.meta["invoice_jobs"]]


def _forget_month(month: str) -> None:
    """Delete the month's jobs of an earlier round, as if it were aggregated for the first
    time (starting a month again deletes them itself, which a first start need not do)."""
    from provider_portal.jobs import aggregation
    from provider_portal.jobs.liveness import delete
    from provider_portal.jobs.queues import AppContextJob, fetch, redis_connection

    connection = redis_connection()
    month_job = fetch(aggregation.month_job_id(month), connection)
    if month_job is None:
        return
    ids = month_job.meta.get("invoice_jobs", [])
    for job in [*AppContextJob.fetch_many(ids, connection=connection), month_job]:
        if job is not None:
            delete(job)


def program(app, month: str) -> tuple[float, int]:
    """Seconds from starting the month until its last invoice job is done; how many jobs.

    Returns once the scores are written too, so that they do not hold up the floor's jobs.
    """
    from provider_portal.jobs import aggregation
    from provider_portal.jobs.queues import AppContextJob, redis_connection

    with app.app_context():
        _forget_month(month)
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
    """Seconds for `count` jobs that do nothing, through the same queue and workers."""
    from provider_portal.jobs.queues import queue

    with app.app_context():
        aggregation_queue = queue("aggregation")
        started = time.perf_counter()
        # The portal's trivial job: a worker runs only the portal's own functions.
        jobs = [aggregation_queue.enqueue("provider_portal.jobs.queues.ping") for _ in range(count)]
        _wait(jobs, time.monotonic() + 600)
        return time.perf_counter() - started


def _all_registered(app, count: int) -> None:
    from rq import Worker

    from provider_portal.jobs.queues import redis_connection

    deadline = time.monotonic() + 120
    with app.app_context():
        connection = redis_connection()
        while Worker.count(connection=connection) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"fewer than {count} workers registered")
            time.sleep(0.1)
    no_op_jobs(app, 5 * count)  # each has run a job: imports done, a connection pooled


def measure(
    app, month: str, workers: int, reset: Callable[[], None], bare_sql: Callable[[], float]
) -> tuple[float, float]:
    """(program, floor) in seconds on `workers` worker.py processes, the fastest of ROUNDS
    turns each. The program runs last, so its invoices are what is left in the database."""
    from tests.jobs.workers import start_worker, stop_worker

    processes = [
        start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "aggregation")
        for _ in range(workers)
    ]
    try:
        _all_registered(app, workers)
        programs, floors = [], []
        for _ in range(ROUNDS):
            reset()
            bare = bare_sql()
            reset()
            seconds, jobs = program(app, month)
            programs.append(seconds)
            floors.append(bare + no_op_jobs(app, jobs))
    finally:
        for process in processes:
            stop_worker(process)
    return min(programs), min(floors)


def run_on(
    app,
    dialect: str,
    month: str,
    size: str,
    reset: Callable[[], None],
    bare_sql: Callable[[], float],
    counts: tuple[int, ...] = (1,),
) -> list[str]:
    """One line per number of workers, on a fresh private Redis and the app's database; with
    more than one count, a last line with how much faster the most workers were than one."""
    from tests.backing_services import running_redis

    cores = os.cpu_count()
    lines, seconds = [], {}
    with running_redis() as redis_url:
        app.config["REDIS_URL"] = redis_url
        for count in counts:
            program_seconds, floor = measure(app, month, count, reset, bare_sql)
            seconds[count] = program_seconds
            on = "a worker" if count == 1 else f"{count} workers"
            where = dialect if count == 1 else f"{dialect}, {cores} cores"
            lines.append(
                result_line(f"aggregation month on {on} ({where})", size, program_seconds, floor)
            )
    if len(counts) > 1:
        fewest, most = min(counts), max(counts)
        times = " ".join(f"{count}:{seconds[count]:.3f}s" for count in counts)
        lines.append(
            f"aggregation month speed-up on {fewest} to {most} workers ({dialect}, {cores} cores): "
            f"{times} ratio={seconds[fewest] / seconds[most]:.2f}"
        )
    return lines
