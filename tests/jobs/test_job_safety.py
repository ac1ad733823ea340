"""Redis is no way into the worker (issue 16: "Redis open and pickled"): whoever can write to
Redis could name any importable function for a worker to call, or plant a pickle that runs code
when it is read. A real worker refuses both; the portal's own jobs still run."""

from __future__ import annotations

import pickle
import platform

from rq import Queue
from rq.job import JobStatus

from provider_portal.jobs.queues import AppContextJob, PlainSerializer, queue, redis_connection
from tests.jobs.workers import start_worker, stop_worker, wait_for


class _Planted:
    """What an attacker pickles: reading it back calls platform.node (any callable would do)."""

    def __reduce__(self):
        return (platform.node, ())


def test_a_function_outside_the_portals_jobs_is_never_called(app):
    process = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "default")
    try:
        with app.app_context():
            connection = redis_connection()
            # As an intruder would: RQ's own Queue, naming a function of the standard library.
            Queue("default", connection=connection).enqueue(
                "platform.node", job_id="planted", result_ttl=60
            )
            own = queue("default", connection).enqueue(
                "provider_portal.jobs.queues.ping", job_id="own", result_ttl=60
            )
            assert wait_for(own) == JobStatus.FINISHED
            job = AppContextJob.fetch("planted", connection=connection)
            assert wait_for(job) == JobStatus.FAILED
            assert "not one of the portal's jobs" in job.latest_result().exc_string
            assert job.return_value() is None
    finally:
        stop_worker(process)


def test_a_pickle_that_would_run_code_is_refused_when_read():
    planted = pickle.dumps({"meta": _Planted()})
    try:
        PlainSerializer.loads(planted)
    except pickle.UnpicklingError as refusal:
        assert "platform.node" in str(refusal)
    else:
        raise AssertionError("the planted pickle was read")
    # What the portal's jobs carry reads back as it was.
    from contracts.rules.periods import Month

    plain = {"invoice_jobs": ["invoice-1-2019-01"], "started_by": None, "month": Month("2019-01")}
    assert PlainSerializer.loads(PlainSerializer.dumps(plain)) == plain
