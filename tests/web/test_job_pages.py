"""The job pages: start a month from a form, follow it to the end on a real worker, see failures.

A job is shown only to the user who started it (a scheduled one to procurement and finance);
a job that failed on a worker shows its error on its page and on the failed-jobs page.
"""

from __future__ import annotations

import time

import pytest

from provider_portal.jobs import aggregation
from provider_portal.jobs.queues import queue, redis_connection
from tests.conftest import csrf_token
from tests.factories import logged_in_client
from tests.jobs.workers import start_worker, stop_worker, wait_for
from tests.pages import PageParts
from tests.scenarios import accepted_sample_month


def _start(client, month: str):
    token = csrf_token(client.get("/jobs/").get_data(as_text=True))
    return client.post("/jobs/", data={"month": month, "csrf_token": token})


def _poll(client, job_id: str, seconds: float = 60) -> dict:
    """Ask the status endpoint as the page's script does, until the job ends."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(f"/jobs/{job_id}/status")
        assert response.status_code == 200 and response.is_json
        answer = response.get_json()
        if answer["status"] in ("finished", "failed"):
            return answer
        time.sleep(0.2)
    raise AssertionError(f"{job_id} still {answer['status']} after {seconds}s")


def _wait_for_a_worker(app, seconds: float = 20) -> None:
    from rq import Worker

    deadline = time.monotonic() + seconds
    with redis_connection(app.config["REDIS_URL"]) as connection:
        while not Worker.all(connection=connection):
            assert time.monotonic() < deadline, "no worker registered"
            time.sleep(0.1)


@pytest.fixture
def worker(app):
    process = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "aggregation")
    yield process
    stop_worker(process)


@pytest.mark.usefixtures("january_ended")
def test_finance_starts_a_month_and_follows_it_to_its_result(app, worker):
    accepted_sample_month(app, contracts=2)
    client = logged_in_client(app, "oekonomi@example.dk", "finance")

    started = _start(client, "2019-01")

    assert started.status_code == 302
    assert started.headers["Location"] == "/jobs/aggregate-2019-01"
    page = client.get("/jobs/aggregate-2019-01")
    html = page.get_data(as_text=True)
    parts = PageParts(html)
    assert page.status_code == 200
    assert parts.find_all("progress")
    [section] = parts.find_all("section", id="job")
    assert section["data-status-url"] == "/jobs/aggregate-2019-01/status"
    assert parts.find_all("script", src="/static/js/job.js") and parts.inline_scripts == 0
    assert parts.find_all(
        "a", href="/jobs/aggregate-2019-01"
    )  # the refresh link, for pages without script

    answer = _poll(client, "aggregate-2019-01")

    has_desk = any(rule.rule == "/finance/invoices" for rule in app.url_map.iter_rules())
    assert answer == {
        "id": "aggregate-2019-01",
        "month": "2019-01",
        "status": "finished",
        "label": "Færdig",
        "progress": {"done": 3, "total": 3},
        "error": None,
        "notice": None,
        "may_start_again": False,
        "links": {
            "scores": "/scores/?month=2019-01&view=monthly",
            "invoices": "/finance/invoices?month=2019-01" if has_desk else None,
        },
    }
    done = PageParts(client.get("/jobs/aggregate-2019-01").get_data(as_text=True))
    [bar] = done.find_all("progress")
    assert (bar["value"], bar["max"]) == ("3", "3")
    assert "Alle fakturaer og resultatmålinger for januar 2019 er dannet." in done.text
    assert done.find_all("a", href="/scores/?month=2019-01&view=monthly")
    scores = client.get(answer["links"]["scores"])
    assert scores.status_code == 200 and "SÆR-1" in scores.get_data(as_text=True)


@pytest.mark.usefixtures("january_ended")
def test_only_the_starter_sees_a_job_and_everyone_sees_a_scheduled_one(app):
    accepted_sample_month(app)
    starter = logged_in_client(app, "indkoeb@example.dk", "procurement")
    colleague = logged_in_client(app, "kollega@example.dk", "procurement")
    finance = logged_in_client(app, "oekonomi@example.dk", "finance")
    provider = logged_in_client(app, "koordinator@example.dk", "provider", provider_id=1)
    with app.app_context():
        # No worker listens: the jobs stay queued, which is all these pages need.
        own = aggregation.start("2019-01", started_by=starter.user_id)
        scheduled = aggregation.start("2018-12", started_by=None)

    assert starter.get(f"/jobs/{own}").status_code == 200
    status = starter.get(f"/jobs/{own}/status").get_json()
    assert status["status"] == "queued" and status["label"] == "Venter i køen"
    assert status["progress"] == {"done": 0, "total": 2}
    for client in (colleague, finance):
        assert client.get(f"/jobs/{own}").status_code == 404
        assert client.get(f"/jobs/{own}/status").status_code == 404
        assert client.get(f"/jobs/{scheduled}").status_code == 200
    assert provider.get(f"/jobs/{scheduled}").status_code == 403
    assert provider.get(f"/jobs/{scheduled}/status").status_code == 403
    assert provider.get("/jobs/failed").status_code == 403
    assert provider.get("/jobs/").status_code == 403
    assert starter.get("/jobs/aggregate-2017-01").status_code == 404
    assert starter.post(f"/jobs/{own}/status").status_code == 405  # read-only


@pytest.mark.usefixtures("january_ended")
def test_a_running_month_is_refused_with_a_link_and_a_bad_month_is_explained(app):
    accepted_sample_month(app)
    client = logged_in_client(app, "indkoeb@example.dk", "procurement")
    # A live worker that does not listen on the aggregation queue: the month stays queued, running.
    bystander = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "default")
    try:
        _wait_for_a_worker(app)
        assert _start(client, "2019-01").status_code == 302
        again = _start(client, "2019-01")
        malformed = _start(client, "2019-13")
    finally:
        stop_worker(bystander)
        with redis_connection(app.config["REDIS_URL"]) as connection:
            connection.flushdb()

    assert again.status_code == 409
    parts = PageParts(again.get_data(as_text=True))
    assert "Måneden januar 2019 er allerede ved at blive opgjort." in parts.text
    assert parts.find_all("a", href="/jobs/aggregate-2019-01")
    assert malformed.status_code == 422
    malformed_page = PageParts(malformed.get_data(as_text=True))
    assert "Skriv måneden som ÅÅÅÅ-MM, fx 2019-01." in malformed_page.text
    # Shown back as typed: the browser's month control would show 2019-13 as empty.
    [box] = malformed_page.find_all("input", id="month")
    assert (box.get("type"), box.get("value")) == ("text", "2019-13")


def test_a_job_that_failed_on_a_worker_shows_its_error(app, worker):
    procurement = logged_in_client(app, "indkoeb@example.dk", "procurement")
    admin = logged_in_client(app, "admin@example.dk", "admin")
    with app.app_context():
        connection = redis_connection()
        # A real job function given a month it cannot work with: it raises on the worker.
        job = queue("aggregation", connection).enqueue(
            "provider_portal.jobs.aggregation.finish_month",
            "2019-13",
            [],
            job_id="aggregate-2019-13",
            job_timeout=30,
            failure_ttl=600,
            meta={"month": "2019-13", "started_by": None},
        )
        wait_for(job)
        connection.close()

    status = _poll(procurement, "aggregate-2019-13")
    listing = admin.get("/jobs/failed")
    page = PageParts(procurement.get("/jobs/aggregate-2019-13").get_data(as_text=True))

    message = "ValueError: '2019-13' is not a month in the form YYYY-MM"
    assert status["status"] == "failed" and status["label"] == "Fejlet"
    assert status["error"] == message
    assert status["links"] == {"scores": None, "invoices": None}
    assert listing.status_code == 200
    text = PageParts(listing.get_data(as_text=True)).text
    assert "aggregate-2019-13" in text and message in text and "finish_month" in text
    assert "Opgørelsen fejlede: " + message in page.text
    assert procurement.get("/jobs/failed").status_code == 200


def test_the_failed_jobs_page_says_when_nothing_failed(app):
    client = logged_in_client(app, "oekonomi@example.dk", "finance")
    response = client.get("/jobs/failed")
    assert response.status_code == 200
    assert "Intet job er fejlet." in PageParts(response.get_data(as_text=True)).text
