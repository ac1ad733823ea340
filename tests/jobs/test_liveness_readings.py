"""Liveness reads a job, its registries and what it waits on apart, while workers move on: a
job that moved on between two readings is judged from a fresh reading, not taken for stuck."""

import pytest
from rq import Queue, SimpleWorker, Worker
from rq.job import JobStatus

from provider_portal.jobs.liveness import Liveness, Verdict
from provider_portal.jobs.queues import AppContextJob, queue, redis_connection


@pytest.fixture
def connection(app):
    """Redis as the app sees it, with one idle worker beating, as `make run` has."""
    with app.app_context():
        connection = redis_connection()
        idle = Worker(["default"], connection=connection, name="idle-bystander")
        idle.register_birth()
        idle.heartbeat()
        try:
            yield connection
        finally:
            idle.register_death()
            connection.close()


def _run_aggregation_queue(app, connection, monkeypatch) -> None:
    monkeypatch.setattr(AppContextJob, "app", app)
    SimpleWorker(
        [queue("aggregation", connection)], connection=connection, job_class=AppContextJob
    ).work(burst=True, with_scheduler=False)


def _read_as_started(monkeypatch, job_id: str) -> None:
    """Have the next readings of that job come back as they were just before it finished:
    started, while Redis already has it finished and out of the started registry."""
    fetch_many = AppContextJob.fetch_many.__func__

    def as_read_a_moment_earlier(cls, job_ids, connection, serializer=None):
        found = fetch_many(cls, job_ids, connection, serializer)
        for job in found:
            if job is not None and job.id == job_id:
                job._status = JobStatus.STARTED
        return found

    monkeypatch.setattr(AppContextJob, "fetch_many", classmethod(as_read_a_moment_earlier))


def test_a_dependency_that_finished_between_two_readings_counts_as_done(
    app, connection, monkeypatch
):
    """The month waits on two contract jobs. One is read started, then finishes before its
    execution is looked up: it is done, and the month is still held by the other one."""
    done_soon = queue("aggregation", connection).enqueue(
        "provider_portal.jobs.queues.ping", job_id="done-soon"
    )
    # On a queue no worker listens to, so that it stays waiting.
    still_waiting = Queue("elsewhere", connection=connection, job_class=AppContextJob).enqueue(
        "provider_portal.jobs.queues.ping", job_id="still-waiting"
    )
    month = Queue("elsewhere", connection=connection, job_class=AppContextJob).enqueue(
        "provider_portal.jobs.queues.ping", job_id="month", depends_on=[done_soon, still_waiting]
    )
    _run_aggregation_queue(app, connection, monkeypatch)
    assert done_soon.get_status(refresh=True) == JobStatus.FINISHED
    assert month.get_status(refresh=True) == JobStatus.DEFERRED

    _read_as_started(monkeypatch, "done-soon")
    assert Liveness(connection).holds(AppContextJob.fetch("month", connection=connection))


def test_a_job_that_finished_between_two_readings_is_ended_not_abandoned(
    app, connection, monkeypatch
):
    """A started job read just before it finished is not in the started registry any more:
    read afresh it is finished, which is not a worker's death."""
    job = queue("aggregation", connection).enqueue(
        "provider_portal.jobs.queues.ping", job_id="quick"
    )
    read_while_started = AppContextJob.fetch("quick", connection=connection)
    _run_aggregation_queue(app, connection, monkeypatch)
    assert job.get_status(refresh=True) == JobStatus.FINISHED
    read_while_started._status = JobStatus.STARTED

    assert Liveness(connection).verdict(read_while_started) is Verdict.ENDED


def test_a_started_job_whose_worker_died_is_not_held(app, connection):
    """The fresh reading does not excuse a real stall: started, and no execution beats."""
    job = queue("aggregation", connection).enqueue(
        "provider_portal.jobs.queues.ping", job_id="orphan"
    )
    job.set_status(JobStatus.STARTED)  # as a worker leaves it when killed, its execution expired

    fresh = AppContextJob.fetch("orphan", connection=connection)
    assert Liveness(connection).verdict(fresh) is Verdict.NOT_HELD


def test_a_month_whose_jobs_are_done_and_is_on_its_way_to_its_queue_is_queued(app, connection):
    """RQ 3 moves a dependent whose jobs are done through a ready registry on its way to its
    queue (status ready_to_enqueue): the month is waiting to run, not stuck and not an error."""
    from provider_portal.jobs import aggregation

    month = queue("aggregation", connection).enqueue(
        "provider_portal.jobs.queues.ping",
        job_id=aggregation.month_job_id("2019-01"),
        meta={"month": "2019-01", "started_by": None, "invoice_jobs": []},
    )
    month.set_status(JobStatus.READY_TO_ENQUEUE)
    with app.app_context():
        answer = aggregation.status(month.id, connection)
    assert answer["status"] == "queued" and "error" not in answer
    assert Liveness(connection).verdict(AppContextJob.fetch(month.id, connection=connection)) is (
        Verdict.HELD
    )
