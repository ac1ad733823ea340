"""The worker class worker.py runs: RQ's Worker, with the aggregation queue's jobs run in the
worker's own process on the app's pooled database connection.

RQ forks a work horse for every job, and each horse opened a database connection of its own,
whose fresh PostgreSQL backend read the catalog and planned every statement anew: for a
month of small per-contract jobs that cost more than the invoicing itself (issue 16). Jobs of
the IN_PROCESS queues run as RQ's SimpleWorker runs them, one after another in the worker
process, on a connection kept in the pool from job to job. The other queues' jobs (PDFs,
mail) still get a horse each, which leaves the parent's pooled connections alone.

What the forking parent does for its horse is done for an in-process job by a thread: it
beats every JOB_MONITORING_INTERVAL, so a job whose worker died is handed back as soon as
before (liveness.py), and stops before the job's end is recorded, so that a late beat never
puts a finished job back among the started ones.
"""

from __future__ import annotations

import signal
import threading
import time

from redis.exceptions import RedisError
from rq import Worker
from rq.executions import Execution
from rq.job import Job
from rq.queue import Queue
from rq.worker.base import SHUTDOWN_SIGNAL, WorkerStatus

from ..extensions import db
from .liveness import EXECUTION_SLACK
from .queues import AppContextJob

# Many small database jobs: a fork and a fresh connection each would cost more than the work.
IN_PROCESS = frozenset({"aggregation"})
# As RQ's forking parent gives its horse: the job's timeout and a minute more.
OVERRUN = 60


class Beats:
    """Heartbeats for a job run in the worker's own process, from a thread of their own."""

    def __init__(self, worker: PortalWorker, job: Job, execution: Execution):
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, args=(worker, job, execution), name=f"beats {job.id}", daemon=True
        )
        self._thread.start()

    def _beat(self, worker: PortalWorker, job: Job, execution: Execution) -> None:
        timeout = job.timeout if job.timeout and job.timeout > 0 else None
        give_up = time.monotonic() + timeout + OVERRUN if timeout else None
        while not self._stopped.wait(worker.job_monitoring_interval):
            if give_up is not None and time.monotonic() > give_up:
                # Stuck past its timeout: without beats it is handed back (it is safe to run twice).
                worker.log.error("job %s overran its timeout; no more heartbeats for it", job.id)
                return
            try:
                worker.maintain_heartbeats(job, execution)
            except RedisError:
                worker.log.warning("heartbeat for job %s failed", job.id, exc_info=True)

    def stop(self) -> None:
        """No beat after this returns (a beat under way is waited for)."""
        self._stopped.set()
        self._thread.join()


class PortalWorker(Worker):
    """RQ's worker with a short slack on each job heartbeat (see liveness.EXECUTION_SLACK),
    running the IN_PROCESS queues' jobs without a fork."""

    _beats: Beats | None = None

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = min(job.timeout - working_time, interval)
        return int(interval) + EXECUTION_SLACK

    def execute_job(self, job: Job, queue: Queue) -> None:
        if queue.name not in IN_PROCESS:
            super().execute_job(job, queue)
            return
        execution = self.prepare_execution(job)
        self._beats = Beats(self, job, execution)
        try:
            # A job stopped by its timeout mid-statement still leaves the kept connection
            # usable for the next job (rolled back; tests/jobs/test_in_process.py).
            self.perform_job(job, queue, execution)
        finally:
            self._stop_beats()
        self.set_state(WorkerStatus.IDLE)

    def handle_execution_ended(self, job: Job, queue: Queue, heartbeat_ttl: int) -> None:
        # Both a success and a failure are recorded after this: the beats end first.
        self._stop_beats()
        super().handle_execution_ended(job, queue, heartbeat_ttl)

    def _stop_beats(self) -> None:
        if self._beats is not None:
            self._beats.stop()
            self._beats = None

    def kill_horse(self, sig: signal.Signals = SHUTDOWN_SIGNAL) -> None:
        # With no horse, RQ's kill_horse would signal the worker's own process group.
        if self.horse_pid:
            super().kill_horse(sig)

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """In a forked horse: a pool of its own, leaving the parent's connections open for it
        (SQLAlchemy's way after a fork, `dispose(close=False)`)."""
        if AppContextJob.app is not None:
            with AppContextJob.app.app_context():
                db.engine.dispose(close=False)
        super().main_work_horse(job, queue)
