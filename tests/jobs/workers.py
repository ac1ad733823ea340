"""Real RQ worker processes for tests: started as `make run` starts them, stopped (or killed
the hard way, for the fault tests), and waited on until their jobs are done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rq.exceptions import NoSuchJobError
from rq.job import JobStatus

from provider_portal.jobs import aggregation, queues
from provider_portal.jobs.queues import redis_connection
from tests.conftest import process_environment

ROOT = Path(__file__).resolve().parents[2]
# Workers started and not yet stopped: when a wait runs out, their logs say why.
_LIVE: list[subprocess.Popen] = []


def start_worker(
    database_url: str, redis_url: str, *queues: str, today: str = "2019-01-24", **settings: str
) -> subprocess.Popen:
    """Start `python worker.py` as its own process, as `make run` does, its clock on `today`,
    with `settings` in its environment (MAIL_SERVER, …). Its mails never go to the checkout's
    instance/outbox/: to OUTBOX_DIR when given, else to a folder in the system's temp.

    Its log goes to a file, not a pipe: a pipe nobody reads fills up after a few hundred jobs
    and then blocks the worker.
    """
    env = process_environment(
        database_url,
        redis_url,
        PORTAL_TODAY=str(today),
        # The suite's own job functions (tests/jobs/flaky.py) may run too.
        EXTRA_JOB_MODULES="tests.jobs.",
        OUTBOX_DIR=str(Path(tempfile.gettempdir()) / "provider-portal-test-outbox"),
    )
    env.update(settings)
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "worker.py", *queues],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    _LIVE.append(process)
    return process


def logged_so_far(process: subprocess.Popen, size: int = 6000) -> str:
    """The end of what the worker has logged so far (read in place: it goes on writing)."""
    if process.log.closed:
        return "(log closed)"
    end = os.fstat(process.log.fileno()).st_size
    return os.pread(process.log.fileno(), size, max(0, end - size)).decode("utf-8", "replace")


def _waited(what: str) -> str:
    """What ran out, and the logs of the workers that should have done it."""
    logs = [f"--- worker {p.pid} (running: {p.poll() is None}):\n{logged_so_far(p)}" for p in _LIVE]
    return "\n".join([what, *logs])


def stop_worker(process: subprocess.Popen) -> str:
    """Stop the worker (and its work horse) and return what it logged."""
    _forget(process)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    process.log.seek(0)
    output = process.log.read()
    process.log.close()
    return output.decode("utf-8", "replace")


def wait_for(job, seconds: float = 30):
    """Until the RQ job has finished or failed; returns which."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = job.get_status(refresh=True)
        if status in (JobStatus.FINISHED, JobStatus.FAILED):
            return status
        time.sleep(0.1)
    raise AssertionError(_waited(f"job still {job.get_status()} after {seconds}s"))


def wait_until_done(job_id, seconds=60):
    """Until the month's aggregation has finished or failed; returns its status answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = aggregation.status(job_id)
        if answer["status"] in ("finished", "failed"):
            return answer
        time.sleep(0.2)
    raise AssertionError(_waited(f"still {aggregation.status(job_id)} after {seconds}s"))


def wait_until_started(app, job_id: str, seconds: float = 120) -> None:
    """Until a worker has started the job: read straight from Redis, as often as it can."""
    with app.app_context():
        connection = queues.redis_connection()
        deadline = time.monotonic() + seconds
        while True:
            try:
                if (
                    queues.AppContextJob.fetch(job_id, connection=connection).get_status()
                    == JobStatus.STARTED
                ):
                    return
            except NoSuchJobError:
                pass
            assert time.monotonic() < deadline, _waited(f"{job_id} never started")
            time.sleep(0.001)


def until(condition, seconds: float = 60) -> None:
    """Until the condition holds, as a worker gets on with its jobs."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, _waited(f"still waiting after {seconds}s")
        time.sleep(0.2)


def wait_for_a_worker(seconds=60):
    """Until a worker has registered with Redis (starting Python with the app takes a moment)."""
    from rq import Worker

    deadline = time.monotonic() + seconds
    while not Worker.all(connection=redis_connection()):
        assert time.monotonic() < deadline, "no worker registered"
        time.sleep(0.1)


def children(pid: int) -> list[int]:
    """The direct child processes of a process (the worker's work horse)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse, which RQ moves to a process group of its own."""
    _forget(process)
    horses = children(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    for horse in horses:
        try:
            os.killpg(horse, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    process.log.close()


def _forget(process: subprocess.Popen) -> None:
    if process in _LIVE:
        _LIVE.remove(process)
