"""A month's aggregation started through the API, its worker and work horse killed while a
given job runs, a new worker started, and the month asked for every few seconds until it is
done (the operator's way), within a minute of the kill."""

from __future__ import annotations

import time

from rq.job import JobStatus

from benchmarks.data import make_reports
from provider_portal.jobs import queues
from tests.jobs.benchmark_month import procurement_token
from tests.jobs.workers import kill_worker, start_worker, stop_worker, wait_until_started


def kill_test_contracts(session, first: str, last: str, small: int, large: int) -> list[int]:
    """24 contracts with reports from `first` to `last`, in the order their jobs are enqueued;
    the second and the last are large, so that a kill can land while their jobs run."""
    ids = []
    for start, count, participants in (
        (0, 1, small),
        (1, 1, large),
        (2, 21, small),
        (23, 1, large),
    ):
        ids += make_reports(session, count, participants, first, last, first=start)
    return ids


def still_started(app, job_id: str) -> bool:
    with app.app_context():
        return (
            queues.AppContextJob.fetch(job_id, connection=queues.redis_connection()).get_status()
            == JobStatus.STARTED
        )


def kill_mid_month_and_finish(app, month: str, target: str, today: str = "2019-01-24") -> None:
    """Start `month`, kill the worker while `target` runs, and see the month finish on a new one."""
    token = procurement_token(app)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    url, redis_url = app.config["DATABASE_URL"], app.config["REDIS_URL"]

    worker = start_worker(url, redis_url, "aggregation", today=today)
    started = api.post("/api/v1/aggregations", json={"month": month}, headers=headers)
    assert started.status_code == 202, started.get_json()
    job_id = started.get_json()["job_id"]
    wait_until_started(app, target)
    kill_worker(worker)
    killed = time.monotonic()
    assert still_started(app, target), f"{target} ended before the kill landed"

    replacement = start_worker(url, redis_url, "aggregation", today=today)
    asked = []
    try:
        while True:
            answer = api.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()
            if answer["status"] == "finished":
                return
            assert answer["status"] not in ("failed", "stalled"), answer
            assert time.monotonic() - killed < 60, (
                f"a minute after the kill: {answer}, asked {asked}"
            )
            again = api.post("/api/v1/aggregations", json={"month": month}, headers=headers)
            assert again.status_code in (202, 409), again.get_json()
            asked.append(again.status_code)
            if again.status_code == 202:
                job_id = again.get_json()["job_id"]
            time.sleep(2)
    finally:
        stop_worker(replacement)
