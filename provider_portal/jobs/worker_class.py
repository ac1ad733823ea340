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

A worker lives through Redis going away (`work_until_stopped`): RQ's loop quits on an error it
does not expect, and a connection lost while a job runs or ends is one, so a fresh worker takes
over once Redis answers again.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable

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
    """Heartbeats for the job a worker runs in its own process, from one thread per worker
    that lives as long as the worker (a thread per job cost a few milliseconds each)."""

    def __init__(self, worker: PortalWorker):
        self._worker = worker
        # Held while beating: once `stop` has it, no beat for that job comes any more.
        self._lock = threading.Lock()
        self._job: tuple[Job, Execution, float | None] | None = None
        self._thread: threading.Thread | None = None
        self._retired = False

    def start(self, job: Job, execution: Execution) -> None:
        timeout = job.timeout if job.timeout and job.timeout > 0 else None
        give_up = time.monotonic() + timeout + OVERRUN if timeout else None
        with self._lock:
            self._job = (job, execution, give_up)
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._beat, name="beats", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """No beat for the job after this returns (a beat under way is waited for)."""
        with self._lock:
            self._job = None

    def retire(self) -> None:
        """The worker is done: the thread ends at its next wake."""
        self.stop()
        self._retired = True

    def _beat(self) -> None:
        while not self._retired:
            time.sleep(self._worker.job_monitoring_interval)
            with self._lock:
                if self._job is None:
                    continue
                job, execution, give_up = self._job
                if give_up is not None and time.monotonic() > give_up:
                    # Stuck past its timeout: unbeaten, it is handed back (safe to run twice).
                    self._worker.log.error("job %s overran its timeout; no more beats", job.id)
                    self._job = None
                    continue
                try:
                    self._worker.maintain_heartbeats(job, execution)
                except RedisError:
                    self._worker.log.warning("heartbeat for job %s failed", job.id, exc_info=True)


class PortalWorker(Worker):
    """RQ's worker with a short slack on each job heartbeat (see liveness.EXECUTION_SLACK),
    running the IN_PROCESS queues' jobs without a fork."""

    _beats: Beats | None = None
    # Asked to stop (SIGTERM or SIGINT), rather than quitting its loop on an error.
    stopping = False
    # Out of RQ's loop: a signal now only asks work_until_stopped to end.
    done = False

    @property
    def beats(self) -> Beats:
        if self._beats is None:
            self._beats = Beats(self)
        return self._beats

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
        self.beats.start(job, execution)
        try:
            # A job stopped by its timeout mid-statement still leaves the kept connection
            # usable for the next job (rolled back; tests/jobs/test_in_process.py).
            self.perform_job(job, queue, execution)
        finally:
            self.beats.stop()
        self.set_state(WorkerStatus.IDLE)

    def handle_execution_ended(self, job: Job, queue: Queue, heartbeat_ttl: int) -> None:
        # Both a success and a failure are recorded after this: the beats end first.
        self.beats.stop()
        super().handle_execution_ended(job, queue, heartbeat_ttl)

    def work(self, *args, **kwargs) -> bool:
        try:
            return super().work(*args, **kwargs)
        finally:
            self.done = True

    def request_stop(self, signum, frame) -> None:
        self.stopping = True
        if not self.done:  # RQ's own would raise StopRequested with no loop to catch it
            super().request_stop(signum, frame)

    def retire(self) -> None:
        """After the loop quit on an error: the horse is waited for (its job ends or its timeout
        ends it) and the worker's threads end, so that a fresh worker starts clean."""
        if self.horse_pid:
            self.wait_for_horse()
        if self._beats is not None:
            self._beats.retire()
        if self.pubsub_thread is not None:
            self.pubsub_thread.stop()

    def kill_horse(self, sig: signal.Signals = SHUTDOWN_SIGNAL) -> None:
        # With no horse, RQ's kill_horse would signal the worker's own process group.
        if self.horse_pid:
            super().kill_horse(sig)

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """In a forked horse: a pool of its own, leaving the parent's connections open for it
        (SQLAlchemy's way after a fork, `dispose(close=False)`), and no share in the parent's
        beats (their thread did not come along, and their lock may have been held)."""
        self._beats = None
        if AppContextJob.app is not None:
            with AppContextJob.app.app_context():
                db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


# The first wait after a worker quit (so that a loop quitting at once for some other reason
# does not spin), doubled to the longest while Redis does not answer.
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0


def work_until_stopped(make: Callable[[], PortalWorker], **work) -> None:
    """Run workers made by `make` until one is asked to stop. One whose loop quit (Redis went
    away while a job ran or ended) is retired, and a fresh one starts once Redis answers; the
    job whose end could not be recorded is handed back by the cleanup (liveness.py), as a dead
    worker's is. systemd would start the process again too, but `make run` has no systemd."""
    while True:
        worker = make()
        try:
            worker.work(**work)
        except RedisError:
            # RQ's goodbye (the worker's death in Redis) met Redis still away.
            worker.log.warning("worker %s ended without Redis", worker.name)
        if worker.stopping:
            return
        worker.retire()
        if not _redis_back(worker):
            return
        worker.log.warning("worker %s quit; a fresh worker takes over", worker.name)


def _redis_back(worker: PortalWorker) -> bool:
    """Whether Redis answers again (False: the worker was asked to stop meanwhile; its signal
    handlers are still the ones installed)."""
    pause = FIRST_PAUSE
    while True:
        waited_until = time.monotonic() + pause
        while time.monotonic() < waited_until:
            if worker.stopping:
                return False
            time.sleep(0.2)
        try:
            if worker.connection.ping():
                return True
        except RedisError:
            pass
        pause = min(pause * 2, LONGEST_PAUSE)
