"""A month is submitted, aggregated and invoiced only once it has ended (DESIGN.md §3).

Drafts may be saved at any time; before the 1st of the next month (Copenhagen's date, the
portal's today) a submit or an aggregation is refused with 422 naming that day, and nothing is
stored or enqueued. On the 1st the same call succeeds.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, MonthlyReport, ReportLine
from contracts.rules.report_calendar import has_ended, month_ends_on, report_month
from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from provider_portal.jobs.queues import fetch, queue, redis_connection
from tests.api.conftest import bearer
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token, login
from tests.pages import PageParts
from tests.scenarios import sample_scenario

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
API = "/api/v1/contracts/{}/reports/2019-01"
PAGE = "/provider/contracts/{}/reports/2019-01"


@pytest.fixture
def world(app):
    """The sample contract, its coordinator, procurement and finance, each with a token."""
    with app.app_context():
        scenario = sample_scenario(db.session)
        tokens = {}
        for email, role, provider_id in [
            ("koordinator@example.dk", "provider", scenario.provider_id),
            ("indkob@example.dk", "procurement", None),
            ("okonomi@example.dk", "finance", None),
        ]:
            user = create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, provider_id)
            tokens[role] = create_token(db.session, TEST_ACTOR, user)[1]
        db.session.commit()
    scenario.tokens = tokens
    return scenario


def _on(app, day: date) -> None:
    app.config["PORTAL_TODAY"] = day


def _draft(app, client, world):
    response = client.put(
        API.format(world.contract_id),
        data=(SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes(),
        headers={**bearer(world.tokens["provider"]), "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.get_json()


def _stored(app) -> tuple:
    """The report's state, when it was submitted, its lines and whether a submit was audited."""
    with app.app_context():
        report = db.session.scalar(sa.select(MonthlyReport))
        lines = db.session.execute(
            sa.select(ReportLine.position, ReportLine.hours_delivered, ReportLine.status)
            .where(ReportLine.report_id == report.id)
            .order_by(ReportLine.position)
        ).all()
        audited = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "report.submitted")
        )
        return report.status, report.submitted_at, lines, audited


# The rule.


@pytest.mark.parametrize(
    "month,first_day",
    [("2019-01", date(2019, 2, 1)), ("2018-12", date(2019, 1, 1)), ("2020-02", date(2020, 3, 1))],
)
def test_a_month_ends_on_the_first_of_the_next(month, first_day):
    assert month_ends_on(month) == first_day
    assert has_ended(month, first_day)
    assert not has_ended(month, first_day - timedelta(days=1))  # its last day


def test_a_draft_is_submittable_only_once_its_month_has_ended():
    class Draft:
        status, rejection_reason = "draft", None

    before = report_month("2019-01", Draft(), date(2019, 1, 31))
    assert before.editable and not before.submittable
    assert before.submittable_from == date(2019, 2, 1)
    assert report_month("2019-01", Draft(), date(2019, 2, 1)).submittable
    assert not report_month("2019-01", None, date(2019, 2, 1)).submittable


# Submitting by the API.


def test_the_api_refuses_to_submit_before_the_month_has_ended_and_stores_nothing(app, world):
    client = app.test_client()
    _on(app, date(2019, 1, 31))
    _draft(app, client, world)
    before = _stored(app)
    refused = client.post(
        API.format(world.contract_id) + "/submit", headers=bearer(world.tokens["provider"])
    )
    assert refused.status_code == 422
    [error] = refused.get_json()["errors"]
    assert error["field"] == "month"
    assert "2019-02-01" in error["message"] and "2019-01" in error["message"]
    assert _stored(app) == before
    assert before[0] == "draft" and before[1] is None and before[3] == 0

    _on(app, date(2019, 2, 1))
    done = client.post(
        API.format(world.contract_id) + "/submit", headers=bearer(world.tokens["provider"])
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "submitted"
    status, submitted_at, lines, audited = _stored(app)
    assert status == "submitted" and audited == 1 and lines == before[2]
    assert submitted_at is not None


def test_the_openapi_document_says_a_submit_may_be_refused_with_422(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    [path] = [p for p in document["paths"] if p.endswith("/submit")]
    assert "422" in document["paths"][path]["post"]["responses"]


# Submitting from the provider's page.


def _provider_page_client(app):
    client = app.test_client()
    assert login(client, "koordinator@example.dk").status_code == 302
    return client


def test_the_page_saves_a_draft_early_and_says_in_danish_when_it_can_be_submitted(app, world):
    _on(app, date(2019, 1, 24))
    client = _provider_page_client(app)
    _draft(app, app.test_client(), world)  # a draft is stored on the 24th
    before = _stored(app)
    page = client.get(PAGE.format(world.contract_id))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    text = PageParts(html).text
    assert "Indberetningen for januar 2019 kan indsendes fra 01-02-2019" in text
    assert "gemme indberetningen som kladde" in text
    submit_url = PAGE.format(world.contract_id) + "/submit"
    assert not PageParts(html).find_all("form", action=submit_url)
    # The upload still saves the draft on this day.
    assert PageParts(html).find_all("form", action=PAGE.format(world.contract_id) + "/upload"), (
        "the upload form is offered before the month has ended"
    )

    refused = client.post(submit_url, data={"csrf_token": csrf_token(html)})
    assert refused.status_code == 422
    said = PageParts(refused.get_data(as_text=True)).text
    assert "kan indsendes fra 01-02-2019" in said
    assert _stored(app) == before

    _on(app, date(2019, 2, 1))
    page = client.get(PAGE.format(world.contract_id)).get_data(as_text=True)
    assert PageParts(page).find_all("form", action=submit_url)
    assert "kan indsendes fra" not in PageParts(page).text
    done = client.post(submit_url, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 302
    assert _stored(app)[0] == "submitted"


# Aggregating.


def _nothing_enqueued(app, month: str = "2019-01") -> bool:
    with app.app_context():
        connection = redis_connection()
        return (
            queue("aggregation", connection).count == 0
            and fetch(aggregation.month_job_id(month), connection) is None
        )


def test_the_api_refuses_to_aggregate_a_month_not_ended_and_enqueues_nothing(app, world):
    client = app.test_client()
    _on(app, date(2019, 1, 31))
    refused = client.post(
        "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(world.tokens["finance"])
    )
    assert refused.status_code == 422
    [error] = refused.get_json()["errors"]
    assert error["field"] == "month" and "2019-02-01" in error["message"]
    assert _nothing_enqueued(app)
    # A month not even begun is refused the same way.
    later = client.post(
        "/api/v1/aggregations", json={"month": "2019-03"}, headers=bearer(world.tokens["finance"])
    )
    assert later.status_code == 422 and "2019-04-01" in later.get_json()["errors"][0]["message"]
    assert _nothing_enqueued(app, "2019-03")

    _on(app, date(2019, 2, 1))
    started = client.post(
        "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(world.tokens["finance"])
    )
    assert started.status_code == 202
    assert started.get_json()["job_id"] == "aggregate-2019-01"
    assert not _nothing_enqueued(app)


def test_the_job_page_refuses_a_month_not_ended_in_danish_and_enqueues_nothing(app, world):
    _on(app, date(2019, 1, 24))
    client = app.test_client()
    assert login(client, "indkob@example.dk").status_code == 302
    form = client.get("/jobs/").get_data(as_text=True)
    assert "fra den 1. i den følgende måned" in PageParts(form).text
    refused = client.post("/jobs/", data={"csrf_token": csrf_token(form), "month": "2019-01"})
    assert refused.status_code == 422
    said = PageParts(refused.get_data(as_text=True)).text
    assert "Januar 2019 kan opgøres og faktureres fra 01-02-2019" in said
    assert _nothing_enqueued(app)
    # The month before has ended: it starts.
    started = client.post("/jobs/", data={"csrf_token": csrf_token(form), "month": "2018-12"})
    assert started.status_code == 302
    assert not _nothing_enqueued(app, "2018-12")


def test_the_schedule_aggregates_the_month_before_which_has_ended(app, world):
    _on(app, date(2019, 2, 11))
    with app.app_context():
        assert aggregation.scheduled_previous_month() == "aggregate-2019-01"
    assert not _nothing_enqueued(app)


def test_the_schedule_leaves_a_month_no_contract_runs_in_alone(app):
    _on(app, date(2019, 2, 11))
    with app.app_context():
        assert aggregation.scheduled_previous_month() is None
    assert _nothing_enqueued(app)
