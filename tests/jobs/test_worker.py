"""worker.py is a real RQ worker that runs each job inside the app's context."""

import time

from rq.job import JobStatus

from provider_portal.jobs.queues import queue, redis_connection
from tests.jobs.workers import start_worker, stop_worker, wait_for


def test_worker_runs_a_job_in_an_app_context(any_app, tmp_path):
    database_url = any_app.config["DATABASE_URL"]
    process = start_worker(database_url, any_app.config["REDIS_URL"], "default")
    try:
        with any_app.app_context():
            connection = redis_connection()
            job = queue("default", connection).enqueue(
                "provider_portal.jobs.queues.ping",
                job_id="ping-test",
                job_timeout=30,
                result_ttl=60,
            )
            status = wait_for(job)
            connection.close()
        assert status == JobStatus.FINISHED, job.latest_result().exc_string
        expected_dialect = "postgresql" if database_url.startswith("postgresql") else "sqlite"
        assert job.return_value() == f"provider_portal {expected_dialect}"
    finally:
        log = stop_worker(process)
    assert "ping-test" in log


def test_a_job_that_starts_after_it_was_fetched_is_still_held(app):
    """A page fetches a job while it waits; a worker starts it before the page asks who holds it.
    The job must count as held, not as left behind by a dead worker (which once showed a running
    month as failed, and would have let it be started a second time)."""
    from provider_portal.jobs.liveness import held_by_live_worker
    from provider_portal.jobs.queues import AppContextJob

    process = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "default")
    try:
        with app.app_context():
            connection = redis_connection()
            queue("default", connection).enqueue(
                "tests.jobs.flaky.slow", 3, job_id="slow", job_timeout=30
            )
            fetched_while_waiting = AppContextJob.fetch("slow", connection=connection)
            deadline = time.monotonic() + 30
            while (
                AppContextJob.fetch("slow", connection=connection).get_status() != JobStatus.STARTED
            ):
                assert time.monotonic() < deadline, "the worker never started the job"
                time.sleep(0.05)
            assert held_by_live_worker(fetched_while_waiting, connection)
            assert held_by_live_worker(
                AppContextJob.fetch("slow", connection=connection), connection
            )
            connection.close()
    finally:
        stop_worker(process)


def test_a_job_is_retried_for_a_lost_connection_and_fails_at_once_for_anything_else(app):
    """Retries are for what passes by itself: a bug fails on its first run, not after three more."""
    from provider_portal.jobs.queues import RETRY

    process = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "default")
    try:
        with app.app_context():
            connection = redis_connection()
            default = queue("default", connection)
            transient = default.enqueue(
                "tests.jobs.flaky.lost_connection_once",
                "runs:transient",
                job_id="transient",
                job_timeout=30,
                retry=RETRY,
            )
            bug = default.enqueue(
                "tests.jobs.flaky.wrong", "runs:bug", job_id="bug", job_timeout=30, retry=RETRY
            )
            assert wait_for(bug) == JobStatus.FAILED
            assert wait_for(transient, seconds=60) == JobStatus.FINISHED
            assert transient.return_value() == "done"
            assert int(connection.get("runs:transient")) == 2
            assert int(connection.get("runs:bug")) == 1, "a job that fails for a bug was run again"
            assert "ValueError: not something a retry mends" in bug.latest_result().exc_string
            connection.close()
    finally:
        stop_worker(process)


def test_a_job_released_between_reading_it_and_its_dependencies_is_still_held(app, monkeypatch):
    """A page reads the month job while it waits, then its jobs: if the last of them ended and
    released it in between, the month is waiting to run, not stalled (this once showed a month
    that was about to finish as stalled)."""
    from rq import Queue, SimpleWorker

    from provider_portal.jobs.liveness import Liveness, any_live_worker
    from provider_portal.jobs.queues import AppContextJob

    bystander = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "default")
    try:
        with app.app_context():
            connection = redis_connection()
            deadline = time.monotonic() + 30
            while not any_live_worker(connection):
                assert time.monotonic() < deadline, "the worker never registered"
                time.sleep(0.1)
            first = queue("aggregation", connection).enqueue(
                "provider_portal.jobs.queues.ping", job_id="first"
            )
            # The waiting job on a queue no worker listens to, so that it stays waiting once released.
            held = Queue("released", connection=connection, job_class=AppContextJob)
            waiting = held.enqueue(
                "provider_portal.jobs.queues.ping", job_id="waiting", depends_on=first
            )
            read_while_deferred = AppContextJob.fetch("waiting", connection=connection)
            assert read_while_deferred.get_status(refresh=False) == JobStatus.DEFERRED

            monkeypatch.setattr(AppContextJob, "app", app)
            SimpleWorker(
                [queue("aggregation", connection)], connection=connection, job_class=AppContextJob
            ).work(burst=True, with_scheduler=False)
            assert waiting.get_status(refresh=True) == JobStatus.QUEUED
            assert Liveness(connection).holds(read_while_deferred)
            connection.close()
    finally:
        stop_worker(bystander)
