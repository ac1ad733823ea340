"""A job waiting on others (the month's job on its contract jobs) is released once, when the
last of them ends: the Job class reads the last one enqueued
first, a shortcut to RQ's reading of them all (queues.AppContextJob.dependencies_are_met)."""

from __future__ import annotations

import signal

from rq import SimpleWorker
from rq.job import Dependency, JobStatus

from provider_portal.jobs.queues import AppContextJob, PlainSerializer, queue, redis_connection


def run(connection, name: str) -> None:
    """Run one queue's jobs here until it is empty (the signal handlers taken back after)."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker(
            [queue(name, connection)],
            connection=connection,
            job_class=AppContextJob,
            serializer=PlainSerializer,
        ).work(burst=True)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_the_waiting_job_is_released_when_the_last_of_its_jobs_ends(app, monkeypatch):
    monkeypatch.setattr(AppContextJob, "app", app)
    with app.app_context():
        connection = redis_connection()
        first, second = (
            queue("aggregation", connection).enqueue(
                "provider_portal.jobs.queues.ping", job_id=job_id
            )
            for job_id in ("first", "second")
        )
        # The last enqueued on a queue of its own, so that the test says when it ends.
        last = queue("documents", connection).enqueue(
            "provider_portal.jobs.queues.ping", job_id="last"
        )
        queue("default", connection).enqueue(
            "provider_portal.jobs.queues.ping",
            job_id="month",
            depends_on=Dependency(jobs=[first, second, last], allow_failure=True),
        )

        def status() -> JobStatus:
            return AppContextJob.fetch("month", connection=connection).get_status()

        first.delete()  # one that went missing does not hold it, as in RQ's own check
        run(connection, "aggregation")
        assert status() == JobStatus.DEFERRED
        run(connection, "documents")  # the last enqueued ends last, as on one worker
        assert status() == JobStatus.QUEUED, "not released when the last job ended"
        run(connection, "default")
        assert status() == JobStatus.FINISHED
        connection.close()
