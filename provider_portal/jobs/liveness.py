"""Whether a job can still get done, and handing back the jobs of workers that died.

Decided here, once (`Liveness`). A started job is held while its execution keeps beating in
RQ's started registry; a waiting job while any worker is alive; a deferred job while what it
waits on is itself held. A job whose worker died (SIGKILL, a lost machine) is handed back by
RQ's own cleanup of expired executions, which the workers run every few seconds and the app
runs before it judges a job (`reap_abandoned`): it is run again at once while it has retries
left, and failed otherwise, which releases the jobs that wait on it. RQ's defaults (a minute's
slack on every heartbeat, a cleanup every ten minutes, a retry after its pause on a scheduler
that may have died with the worker) would leave a month stuck for minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum

from redis import Redis
from rq import Worker
from rq.exceptions import AbandonedJobError
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.utils import as_text, current_timestamp

from .queues import QUEUES, fetch, queue, status_as_fetched

# A worker heartbeats every JOB_MONITORING_INTERVAL s while it runs a job, and each beat keeps
# the job's execution registered for EXECUTION_SLACK s more: a job whose worker died is known
# abandoned within 20 s, and handed back by the next cleanup (MAINTENANCE_INTERVAL).
JOB_MONITORING_INTERVAL = 5
EXECUTION_SLACK = 15
MAINTENANCE_INTERVAL = 15
# Idle workers heartbeat every 5 s too (WORKER_TTL less RQ's 15 s). Silence this long means no
# worker is there to take a waiting job; it is shorter than a job's registration outlives its
# worker's last beat, so a dead worker's job is handed back when the worker is known dead.
WORKER_TTL = 20
HEARTBEAT_GRACE = timedelta(seconds=15)
# READY_TO_ENQUEUE: a dependent whose jobs are done, on its way from RQ's ready registry to
# its queue (RQ 3.0); a worker's cleanup finishes the move should the one making it die.
_WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.READY_TO_ENQUEUE)
_ENDED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.STOPPED)


def note_abandoned(job: Job, exc_type, exc_value, traceback) -> None:
    """Exception handler for RQ's cleanup of a job whose worker died: count it in the job's
    meta (the job pages say so), and have its retry run at once, since nothing is wrong with
    the job itself and the scheduler that would run a paused retry may have died with it."""
    if exc_type is not AbandonedJobError:
        return None
    job.meta["abandoned"] = int(job.meta.get("abandoned", 0)) + 1
    job.save_meta()
    job.retry_intervals = None
    forget_dead_executions(job)
    return None


def forget_dead_executions(job: Job) -> None:
    """Drop the executions whose record has expired from the job's own list of executions.

    RQ 3.0 lets an execution's record expire with its heartbeat but lists it under the job for
    a minute more; whatever reads the list within that minute fails on the missing record
    ("Execution … not found in Redis"): `job.delete()`, and a run handed back after its
    worker died, which then fails after its work is done and is retried (the same mail or PDF
    a second time; tests/faults/test_worker_killed.py)."""
    registry = job.execution_registry
    connection = job.connection
    listed = [as_text(execution_id) for execution_id in connection.zrange(registry.key, 0, -1)]
    dead = [
        execution_id
        for execution_id in listed
        if not connection.exists(Execution(execution_id, job.id, connection).key)
    ]
    if dead:
        connection.zrem(registry.key, *dead)


def reap_abandoned(connection: Redis) -> None:
    """Hand back the jobs whose execution stopped beating, as the workers' maintenance does,
    under the same per-queue lock so that a job is never handed back twice."""
    for name in QUEUES:
        waiting = queue(name, connection)
        registry = waiting.started_job_registry
        if not registry.get_expired_job_ids():
            continue
        if waiting.acquire_maintenance_lock():
            try:
                registry.cleanup(exception_handlers=[note_abandoned])
            finally:
                waiting.release_maintenance_lock()


def delete(job: Job) -> None:
    """`job.delete()`, after dropping the job's executions whose record has expired: RQ keeps
    their entries a minute longer than the records, and `delete` fails on such an entry
    (ValueError) when the job's worker died within the last minute or so."""
    forget_dead_executions(job)
    job.delete()


def age(moment: datetime | None) -> timedelta:
    """How long ago a moment RQ recorded (UTC) was; forever ago when it was never recorded."""
    if moment is None:
        return timedelta.max
    return datetime.now(UTC) - moment.replace(tzinfo=UTC)


def any_live_worker(connection: Redis) -> bool:
    """True when any live worker runs: the workers of worker.py listen on every queue."""
    return any(_beating(w) for w in Worker.all(connection=connection))


def _beating(worker: Worker) -> bool:
    return age(worker.last_heartbeat) < HEARTBEAT_GRACE


class Verdict(Enum):
    """What a reading of a job says about whether it can still get done."""

    HELD = "held"  # a live worker runs it, or can still take it
    ENDED = "ended"  # finished, failed, stopped or canceled
    NOT_HELD = "not held"  # nothing will ever run it: its worker died, or what it waits on


class Liveness:
    """Whether jobs can still get done.

    A job, its registries and the jobs it waits on are read apart while workers move on, so a
    job judged not held by one reading is read afresh and judged again, its registries read
    after it: what moved on in between (a job that finished, a month released by its last
    contract job) is taken as it is now. Each reading of workers and registries is made once
    and shared by every job judged from it.
    """

    def __init__(self, connection: Redis):
        self.connection = connection
        self._workers: bool | None = None
        self._executing: dict[str, set[str]] = {}

    @property
    def workers_alive(self) -> bool:
        if self._workers is None:
            self._workers = any_live_worker(self.connection)
        return self._workers

    def holds(self, job: Job) -> bool:
        """True while a live worker runs the job, or can still take it (see `verdict`)."""
        return self.verdict(job) is Verdict.HELD

    def verdict(self, job: Job) -> Verdict:
        """HELD while a live worker runs the job, or can still take it: waiting with a worker
        alive, or deferred on jobs that are themselves held (a deferred job whose dependencies
        all ended, or went missing, was never released and never will be); ENDED once it ended."""
        verdict = self._as_read(job)
        if verdict is not Verdict.NOT_HELD:
            return verdict
        fresh = fetch(job.id, self.connection)
        if fresh is None:
            return Verdict.NOT_HELD
        self._workers, self._executing = None, {}
        verdict = self._as_read(fresh)
        if verdict is Verdict.NOT_HELD and status_as_fetched(fresh) == JobStatus.STARTED:
            # Its execution was looked up after it was read: it may have ended in between.
            last = fetch(job.id, self.connection)
            if last is not None and status_as_fetched(last) in _ENDED:
                return Verdict.ENDED
        return verdict

    def _as_read(self, job: Job) -> Verdict:
        status = status_as_fetched(job)
        if status in _ENDED:
            return Verdict.ENDED
        if status == JobStatus.STARTED:
            return Verdict.HELD if self._executing_now(job) else Verdict.NOT_HELD
        if not self.workers_alive:
            return Verdict.NOT_HELD
        if status == JobStatus.DEFERRED:
            return self._dependencies(job)
        return Verdict.HELD if status in _WAITING else Verdict.NOT_HELD

    def _dependencies(self, job: Job) -> Verdict:
        """HELD when some of the jobs it waits on are held and none is lost; a dependency that
        ended counts as done. When every one ended, the job as read was never released."""
        found = type(job).fetch_many(job.dependency_ids, connection=self.connection)
        if any(dependency is None for dependency in found):
            return Verdict.NOT_HELD
        verdicts = {self.verdict(dependency) for dependency in found}
        if Verdict.NOT_HELD in verdicts or Verdict.HELD not in verdicts:
            return Verdict.NOT_HELD
        return Verdict.HELD

    def _executing_now(self, job: Job) -> bool:
        """True while the job's execution is registered as started and not yet expired."""
        if job.origin not in self._executing:
            registry = StartedJobRegistry(job.origin, connection=self.connection)
            entries = self.connection.zrangebyscore(registry.key, current_timestamp(), "+inf")
            self._executing[job.origin] = {
                StartedJobRegistry.parse_job_id(entry.decode()) for entry in entries
            }
        return job.id in self._executing[job.origin]


def held_by_live_worker(job: Job, connection: Redis) -> bool:
    """True while a live worker runs the job or can still take it (see `Liveness.holds`)."""
    return Liveness(connection).holds(job)


def times_abandoned(jobs: list[Job]) -> int:
    """How often a worker died holding one of these jobs (each was handed back, see above)."""
    return sum(int(job.meta.get("abandoned", 0)) for job in jobs)
