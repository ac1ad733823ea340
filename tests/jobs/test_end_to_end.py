"""The whole way, as users and their systems do it: upload, submit, accept, aggregate on a real
worker, invoice; and the demo's cumulative scores as the worker writes them."""

import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.services import invoicing, score_tables, scoring
from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.factories import SAMPLES
from tests.jobs.workers import start_worker, stop_worker
from tests.scenarios import sample_scenario


@pytest.mark.usefixtures("january_ended")
def test_the_sample_invoice_comes_out_to_the_ore_end_to_end(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        tokens = {}
        for email, role, provider_id in [
            ("lev@example.dk", "provider", scenario.provider_id),
            ("indkob@example.dk", "procurement", None),
            ("okonomi@example.dk", "finance", None),
        ]:
            user = create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, provider_id)
            tokens[role] = create_token(db.session, TEST_ACTOR, user)[1]
        db.session.commit()
    client = any_app.test_client()
    url = f"/api/v1/contracts/{scenario.contract_id}/reports/2019-01"
    uploaded = client.put(
        url,
        data=(SAMPLES / "report-2019-01-excel-da.csv").read_bytes(),
        headers={**bearer(tokens["provider"]), "Content-Type": "text/csv"},
    )
    assert uploaded.status_code == 200, uploaded.get_json()
    assert client.post(url + "/submit", headers=bearer(tokens["provider"])).status_code == 200
    assert client.post(url + "/accept", headers=bearer(tokens["procurement"])).status_code == 200
    worker = start_worker(
        any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"], "aggregation"
    )
    try:
        job_id = client.post(
            "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(tokens["finance"])
        ).get_json()["job_id"]
        deadline = time.monotonic() + 90
        while (
            job := client.get(
                f"/api/v1/jobs/{job_id}", headers=bearer(tokens["finance"])
            ).get_json()
        )["status"] not in ("finished", "failed"):
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        assert job["status"] == "finished", job
    finally:
        stop_worker(worker)
    listed = client.get(
        f"/api/v1/invoices?contract_id={scenario.contract_id}&month=2019-01",
        headers=bearer(tokens["finance"]),
    ).get_json()["items"]
    assert len(listed) == 1
    invoice = client.get(
        f"/api/v1/invoices/{listed[0]['id']}", headers=bearer(tokens["provider"])
    ).get_json()
    assert (invoice["net"], invoice["vat"], invoice["total"]) == (
        "99118.43",
        "24779.61",
        "123898.04",
    )
    assert {(line["participant_ref"], line["amount"]) for line in invoice["lines"]} == {
        ("DL-4Q7K2", "15417.50"),
        ("DL-9XW3M", "16160.00"),
        ("DL-2HB8R", "22603.23"),
        ("DL-7TZ5C", "14911.25"),
        ("DL-3PJ6N", "4009.52"),
        ("DL-8KD4V", "25097.58"),
        ("DL-5MR2F", "919.35"),
    }


def test_the_demos_ended_months_score_what_their_accepted_reports_say(app):
    """Every demo month that has ended aggregated (as the worker does, here in-process): the
    cumulative scores of December 2018 are a plain count of the accepted reports' lines, while
    the seed's figures of the demo's day (107 / 70 / 37) come from enrolments and confirmed
    notices. January 2019 has not ended: it is not aggregated."""
    from contracts.models import MonthlyReport
    from contracts.rules.report_calendar import has_ended
    from contracts.services.demo import DEMO_TODAY, load_demo
    from contracts.services.figures import effort_totals
    from tests.scenarios import counted_from_reports

    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        months = db.session.scalars(
            sa.select(MonthlyReport.month).distinct().order_by(MonthlyReport.month)
        ).all()
        ended = [month for month in months if has_ended(month, DEMO_TODAY)]
        assert ended[-1] == "2018-12" and "2019-01" in months
        for month in ended:
            for contract_id in invoicing.accepted_contract_ids(db.session, month):
                invoicing.invoice_contract_month(db.session, contract_id, month)
            scoring.compute_month(db.session, month)
            db.session.commit()
        body = score_tables.figures(db.session, "all", 0, "2018-12", True).as_json()
        expected = counted_from_reports(db.session, "2018-12")
        today = effort_totals(db.session, DEMO_TODAY)
        assert score_tables.figures(db.session, "all", 0, "2019-01", True) is None
    assert (
        body["participants"],
        body["active_end"],
        body["exits"],
        body["positive"],
        body["benefit_stopped"],
        body["other"],
    ) == expected
    participants, _active, exits, positive, *_ = expected
    assert 0 < exits < 37 and participants < 107
    assert Decimal(body["outcome_rate"]) == Decimal(positive) / Decimal(exits)
    assert (today.participants, today.active, today.exits) == (107, 70, 37)
