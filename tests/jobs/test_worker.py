"""worker.py is a real RQ worker that runs each job inside the app's context."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rq.job import JobStatus

from provider_portal.jobs import queue, redis_connection
from tests.conftest import PSEUDONYM_KEY, SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


def start_worker(database_url: str, redis_url: str, *queues: str) -> subprocess.Popen:
    """Start `python worker.py` as its own process, as `make run` does."""
    env = dict(os.environ, SECRET_KEY=SECRET_KEY, PSEUDONYM_KEY=PSEUDONYM_KEY,
               DATABASE_URL=database_url, REDIS_URL=redis_url, PORTAL_TODAY="2019-01-24")
    return subprocess.Popen(
        [sys.executable, "worker.py", *queues], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop_worker(process: subprocess.Popen) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return output.decode("utf-8", "replace")


def wait_for(job, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = job.get_status(refresh=True)
        if status in (JobStatus.FINISHED, JobStatus.FAILED):
            return status
        time.sleep(0.1)
    raise AssertionError(f"job still {job.get_status()} after {seconds}s")


def test_worker_runs_a_job_in_an_app_context(any_app, tmp_path):
    database_url = any_app.config["DATABASE_URL"]
    process = start_worker(database_url, any_app.config["REDIS_URL"], "default")
    try:
        with any_app.app_context():
            connection = redis_connection()
            job = queue("default", connection).enqueue(
                "provider_portal.jobs.ping", job_id="ping-test", job_timeout=30, result_ttl=60
            )
            status = wait_for(job)
            connection.close()
        assert status == JobStatus.FINISHED, job.latest_result().exc_string
        expected_dialect = "postgresql" if database_url.startswith("postgresql") else "sqlite"
        assert job.return_value() == f"provider_portal {expected_dialect}"
    finally:
        log = stop_worker(process)
    assert "ping-test" in log
