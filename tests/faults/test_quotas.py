"""Quotas and a time budget (issue 16): each database statement of a web request is bounded
(STATEMENT_TIMEOUT) and a job's by a longer budget; a month no contract reaches is refused
before anything is queued; the API counts each user's calls, the expensive ones on their own."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from rq import SimpleWorker

from contracts.models import User
from contracts.services.accounts import create_token
from provider_portal import create_app
from provider_portal.extensions import db
from provider_portal.jobs.queues import AppContextJob, queue, redis_connection
from tests.conftest import JANUARY_ENDED, TEST_ACTOR, app_config, csrf_token
from tests.factories import logged_in_client
from tests.report_files.reporting import bearer, people
from tests.scenarios import accepted_sample_month

TOO_LONG_DA = "Forespørgslen tog for lang tid og blev stoppet."
TOO_LONG_EN = "The request took too long and was stopped."


@pytest.fixture
def budget_app(postgres_url, clean_redis, tmp_path):
    """The app on PostgreSQL with half a second per statement of a web request."""
    app = create_app(app_config(postgres_url, clean_redis, tmp_path, STATEMENT_TIMEOUT=0.5))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_request_held_up_in_the_database_is_stopped_at_its_budget(budget_app, postgres_url):
    app = budget_app
    found = people(app)
    procurement = logged_in_client(app, "ny-indkob@example.dk", "procurement")
    api = app.test_client()
    # Someone else's long transaction holds the contracts: every read of them waits.
    blocker = psycopg.connect(postgres_url)
    blocker.execute("LOCK TABLE contract IN ACCESS EXCLUSIVE MODE")
    release = threading.Timer(20, blocker.rollback)  # the test never hangs for ever
    release.start()
    try:
        asked = time.monotonic()
        answer = api.get("/api/v1/contracts", headers=bearer(found.procurement_token))
        assert answer.status_code == 503, answer.get_data(as_text=True)[:300]
        assert TOO_LONG_EN in answer.get_json()["errors"][0]["message"]
        page = procurement.get(f"/procurement/contracts/{found.contract_id}")
        assert page.status_code == 503 and TOO_LONG_DA in page.get_data(as_text=True)
        assert time.monotonic() - asked < 5, "the requests waited beyond their budget"
    finally:
        release.cancel()
        blocker.rollback()
        blocker.close()
    assert api.get("/api/v1/contracts", headers=bearer(found.procurement_token)).status_code == 200


def test_a_job_runs_with_the_longer_budget_of_jobs(budget_app, monkeypatch):
    app = budget_app
    app.config["EXTRA_JOB_MODULES"] = ("tests.faults.",)
    monkeypatch.setattr(AppContextJob, "app", app)
    with app.app_context():
        connection = redis_connection()
        job = queue("default", connection).enqueue("tests.faults.jobs.statement_budget")
        SimpleWorker(
            [queue("default", connection)], connection=connection, job_class=AppContextJob
        ).work(burst=True, with_scheduler=False)
        assert job.return_value(refresh=True) == "10min"


@pytest.mark.usefixtures("january_ended")
def test_a_month_no_contract_reaches_is_refused_and_nothing_queued(any_app):
    accepted_sample_month(any_app)  # a contract from March 2018 to August 2019
    finance = logged_in_client(any_app, "okonomi@example.dk", "finance")
    form = finance.get("/jobs/").get_data(as_text=True)
    page = finance.post("/jobs/", data={"month": "2010-01", "csrf_token": csrf_token(form)})
    assert page.status_code == 422
    assert "Ingen kontrakt løber i januar 2010, så der er intet at opgøre" in page.get_data(
        as_text=True
    )
    api = any_app.test_client()
    with any_app.app_context():
        user = db.session.get(User, finance.user_id)
        token = create_token(db.session, TEST_ACTOR, user, "test")[1]
        db.session.commit()
    answer = api.post("/api/v1/aggregations", json={"month": "2010-01"}, headers=bearer(token))
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [
        {
            "field": "month",
            "message": "No contract runs in 2010-01, so there is nothing to aggregate",
        }
    ]
    with any_app.app_context():
        assert queue("aggregation").count == 0
    # A month the contract reaches is started as before.
    started = api.post("/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(token))
    assert started.status_code == 202, started.get_json()


def test_the_api_limits_each_users_calls_and_the_expensive_ones_more(app):
    app.config.update(API_RATE_LIMIT="20 per minute", API_EXPENSIVE_LIMIT="3 per minute")
    found = people(app)
    api = app.test_client()
    mine, others = bearer(found.procurement_token), bearer(found.provider_token)
    cheap = [api.get("/api/v1/contracts", headers=mine).status_code for _ in range(20)]
    assert cheap == [200] * 20
    over = api.get("/api/v1/contracts", headers=mine)
    assert over.status_code == 429
    assert (
        over.get_json()["errors"][0]["message"] == "Too many requests; wait a moment and try again."
    )
    # Another user's calls are their own.
    assert api.get("/api/v1/contracts", headers=others).status_code == 200
    # The expensive ones: the fourth aggregation asked for in the minute is refused unrun.
    app.config.update(API_RATE_LIMIT="1000 per minute", PORTAL_TODAY=JANUARY_ENDED)
    starts = [
        api.post("/api/v1/aggregations", json={"month": "2019-01"}, headers=mine).status_code
        for _ in range(4)
    ]
    assert starts[3] == 429 and 429 not in starts[:3], starts
