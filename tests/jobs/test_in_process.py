"""The aggregation queue's jobs run in the worker's own process (jobs/worker_class.py): a
thread keeps a long one's execution beating, so it is never taken for a dead worker's job and
handed back while it runs; and the queues that still fork run beside them."""

from __future__ import annotations

import signal
import threading
import time

from rq.job import JobStatus

from provider_portal.jobs import liveness, worker_class
from provider_portal.jobs.queues import AppContextJob, PlainSerializer, queue, redis_connection
from provider_portal.jobs.worker_class import PortalWorker
from tests.jobs.workers import start_worker, stop_worker, wait_for


def run_here(connection) -> None:
    """Run the aggregation queue's jobs in this process, as worker.py's worker would, until
    the queue is empty (the worker's signal handlers are taken back afterwards)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    worker = PortalWorker(
        [queue("aggregation", connection)],
        connection=connection,
        job_class=AppContextJob,
        serializer=PlainSerializer,
        job_monitoring_interval=1,
    )
    try:
        worker.work(burst=True)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_a_long_in_process_job_keeps_beating_and_is_not_handed_back(app, monkeypatch):
    """Its execution outlives each beat by 2 s; the job takes 4 s while the workers' cleanup
    runs all the time. Without the beats it was handed back as abandoned and run again."""
    monkeypatch.setattr(worker_class, "EXECUTION_SLACK", 1)
    monkeypatch.setattr(AppContextJob, "app", app)
    app.config["EXTRA_JOB_MODULES"] = ("tests.jobs.",)
    readings: list[bool] = []
    with app.app_context():
        connection = redis_connection()
        job = queue("aggregation", connection).enqueue(
            "tests.jobs.flaky.slow", 4, job_id="long", job_timeout=60
        )
        done = threading.Event()

        def cleanups() -> None:
            while not done.is_set():
                liveness.reap_abandoned(connection)
                fresh = AppContextJob.fetch("long", connection=connection)
                if fresh.get_status(refresh=False) == JobStatus.STARTED:
                    readings.append(liveness.held_by_live_worker(fresh, connection))
                time.sleep(0.2)

        watcher = threading.Thread(target=cleanups)
        watcher.start()
        try:
            run_here(connection)
        finally:
            done.set()
            watcher.join()
        job = AppContextJob.fetch("long", connection=connection)
        assert job.get_status() == JobStatus.FINISHED, job.latest_result().exc_string
        assert job.meta.get("abandoned") is None, "the running job was handed back"
        assert readings and all(readings), readings
        connection.close()


def test_one_worker_runs_aggregation_jobs_in_process_and_documents_in_a_horse(any_app):
    """A forked horse leaves the worker's pooled connection alone: the jobs before and after
    it on the same worker still reach the database."""
    process = start_worker(
        any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"], "aggregation", "documents"
    )
    try:
        with any_app.app_context():
            connection = redis_connection()
            jobs = []
            for n in range(3):
                for name in ("aggregation", "documents"):
                    jobs.append(
                        queue(name, connection).enqueue(
                            "tests.jobs.flaky.reads_the_database", job_id=f"{name}-{n}"
                        )
                    )
            statuses = [wait_for(job) for job in jobs]
            connection.close()
        assert statuses == [JobStatus.FINISHED] * 6
        assert [job.return_value() for job in jobs] == [1] * 6
    finally:
        stop_worker(process)


def test_after_a_job_stopped_mid_statement_the_next_job_reaches_the_database(pg_app, monkeypatch):
    """A job's timeout stops it inside a statement, on the connection the worker keeps; the
    job after it on the same worker gets a working connection."""
    monkeypatch.setattr(AppContextJob, "app", pg_app)
    pg_app.config["EXTRA_JOB_MODULES"] = ("tests.jobs.",)
    with pg_app.app_context():
        connection = redis_connection()
        aggregation = queue("aggregation", connection)
        stopped = aggregation.enqueue(
            "tests.jobs.flaky.waits_in_the_database", 30, job_id="stopped", job_timeout=1
        )
        after = aggregation.enqueue("tests.jobs.flaky.reads_the_database", job_id="after")
        run_here(connection)
        stopped = AppContextJob.fetch(stopped.id, connection=connection)
        after = AppContextJob.fetch(after.id, connection=connection)
        assert stopped.get_status() == JobStatus.FAILED
        assert "JobTimeoutException" in stopped.latest_result().exc_string
        assert after.get_status() == JobStatus.FINISHED, after.latest_result().exc_string
        assert after.return_value() == 1
        connection.close()
