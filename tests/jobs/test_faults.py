"""Fault tests with real worker processes: a worker killed mid-month, and a month run twice.

After a SIGKILL of the worker and its work horse (which RQ moves to a process group of its
own), a new worker and the month started again leave exactly one invoice per contract and
month, with the right totals.
"""

import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Invoice, InvoiceLine, Score
from provider_portal.extensions import db
from provider_portal.jobs import aggregation, liveness, queues
from tests.factories import make_report, sample_report
from tests.jobs.benchmark_month import PROCUREMENT, expected_totals, procurement_token
from tests.jobs.mid_month_kill import kill_mid_month_and_finish, kill_test_contracts
from tests.jobs.workers import (
    kill_worker,
    start_worker,
    stop_worker,
    wait_until_done,
    wait_until_started,
)
from tests.scenarios import accepted_sample_month

MONTH = "2019-01"
SMALL, LARGE = 150, 20_000


def make_month(app) -> list[int]:
    """24 contracts in the order their jobs are enqueued; the second and the last are large, so
    that a kill can land while their jobs run."""
    with app.app_context():
        ids = kill_test_contracts(db.session, MONTH, MONTH, SMALL, LARGE)
        db.session.commit()
    return ids


def assert_one_right_invoice_per_contract(app, expected: dict[int, Decimal]) -> None:
    with app.app_context():
        invoices = db.session.execute(
            sa.select(Invoice.contract_id, Invoice.kind, Invoice.total)
        ).all()
        assert sorted(cid for cid, _, _ in invoices) == sorted(expected)
        assert {kind for _, kind, _ in invoices} == {"invoice"}
        assert {cid: Decimal(str(total)) for cid, _, total in invoices} == expected
        lines = db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine))
        assert lines == 22 * SMALL + 2 * LARGE
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(Score).where(Score.month == MONTH)
            )
            > 0
        )


# Where the worker and its work horse are killed: the job the horse runs at that moment.
MOMENTS = {
    "a contract job with others queued": lambda ids: aggregation.invoice_job_id(ids[1], MONTH),
    "the last contract job": lambda ids: aggregation.invoice_job_id(ids[-1], MONTH),
    "the month job": lambda ids: aggregation.month_job_id(MONTH),
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.usefixtures("january_ended")
def test_a_worker_killed_mid_month_is_replaced_and_the_month_finishes_within_a_minute(
    any_app, moment
):
    """The operator's way: start the month through the API, lose the worker and its horse at
    once, start a new worker, and ask for the month every few seconds. Within a minute of the
    kill the month is done, with exactly one right invoice per contract."""
    contract_ids = make_month(any_app)
    expected = expected_totals(any_app)
    kill_mid_month_and_finish(any_app, MONTH, MOMENTS[moment](contract_ids))
    assert_one_right_invoice_per_contract(any_app, expected)


@pytest.mark.usefixtures("january_ended")
def test_a_correction_after_invoicing_gives_one_credit_note_and_one_new_invoice(any_app):
    from datetime import date

    from contracts.models import Contract

    [contract_id] = accepted_sample_month(any_app)
    worker = start_worker(
        any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"], "aggregation"
    )
    try:
        with any_app.app_context():
            assert (
                wait_until_done(aggregation.start("2019-01", started_by=None))["status"]
                == "finished"
            )
            contract = db.session.get(Contract, contract_id)
            make_report(
                db.session, contract, sample_report(corrected=True), today=date(2019, 2, 20)
            )
            db.session.commit()
            for _ in range(2):
                assert (
                    wait_until_done(aggregation.start("2019-01", started_by=None))["status"]
                    == "finished"
                )
            rows = db.session.execute(
                sa.select(Invoice.kind, Invoice.version, Invoice.total).order_by(Invoice.id)
            ).all()
    finally:
        stop_worker(worker)
    assert [(kind, version, str(total)) for kind, version, total in rows] == [
        ("invoice", 1, "123898.04"),
        ("credit_note", 1, "123898.04"),
        ("invoice", 2, "123448.04"),
    ]


@pytest.mark.usefixtures("january_ended")
def test_with_no_worker_left_the_job_page_says_the_worker_stopped_and_starts_the_month_again(
    any_app,
):
    """A worker dies holding a contract job and none follows: the page says so in Danish and
    offers to start the month again; the API says it in English. Started again from the page,
    the month finishes on the next worker with exactly one right invoice per contract."""
    from tests.conftest import csrf_token, login

    contract_ids = make_month(any_app)
    expected = expected_totals(any_app)
    token = procurement_token(any_app)
    page = any_app.test_client()
    assert login(page, PROCUREMENT).status_code == 302
    api = any_app.test_client()
    url, redis_url = any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"]

    worker = start_worker(url, redis_url, "aggregation")
    form = page.get("/jobs/").get_data(as_text=True)
    job_url = page.post("/jobs/", data={"month": MONTH, "csrf_token": csrf_token(form)}).headers[
        "Location"
    ]
    wait_until_started(any_app, aggregation.invoice_job_id(contract_ids[1], MONTH))
    kill_worker(worker)
    killed = time.monotonic()

    while True:
        answer = page.get(f"{job_url}/status").get_json()
        if answer["notice"]:
            break
        assert answer["status"] in ("queued", "started"), answer
        assert time.monotonic() - killed < 45, f"no word of the dead worker: {answer}"
        time.sleep(0.5)
    assert answer["status"] == "queued" and answer["may_start_again"], answer
    assert answer["notice"].startswith("En baggrundsproces stoppede midt i månedens job"), answer
    html = page.get(job_url).get_data(as_text=True)
    assert answer["notice"] in html
    assert "Start januar 2019 igen" in html and f'name="month" value="{MONTH}"' in html
    in_english = api.get(
        f"/api/v1/{job_url.removeprefix('/')}", headers={"Authorization": f"Bearer {token}"}
    )
    assert in_english.get_json()["notice"] == aggregation.WAITING_NOTICE

    again = page.post("/jobs/", data={"month": MONTH, "csrf_token": csrf_token(html)})
    assert again.status_code == 302 and again.headers["Location"] == job_url, again.get_data(
        as_text=True
    )
    replacement = start_worker(url, redis_url, "aggregation")
    try:
        while (answer := page.get(f"{job_url}/status").get_json())["status"] != "finished":
            assert answer["status"] in ("queued", "started") and not answer["notice"], answer
            assert time.monotonic() - killed < 60, f"a minute after the kill: {answer}"
            time.sleep(0.5)
    finally:
        stop_worker(replacement)
    assert_one_right_invoice_per_contract(any_app, expected)


@pytest.mark.usefixtures("january_ended")
def test_a_month_waiting_on_a_job_that_went_missing_is_stalled_and_can_be_started_again(app):
    """A live worker is no help to a month job whose dependency is gone: RQ never releases it."""
    [contract_id] = accepted_sample_month(app)
    # A worker that is alive but takes no aggregation job, so the month's jobs stay as they are.
    bystander = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "default")
    try:
        with app.app_context():
            connection = queues.redis_connection()
            deadline = time.monotonic() + 30
            while not liveness.any_live_worker(connection):
                assert time.monotonic() < deadline, "the worker never registered"
                time.sleep(0.1)
            job_id = aggregation.start(MONTH, started_by=None)
            assert aggregation.status(job_id)["status"] == "queued"
            try:
                aggregation.start(MONTH, started_by=None)
                raise AssertionError(
                    "a month with live workers and its jobs waiting was started twice"
                )
            except aggregation.AlreadyRunning:
                pass
            queues.AppContextJob.fetch(
                aggregation.invoice_job_id(contract_id, MONTH), connection=connection
            ).delete()
            answer = aggregation.status(job_id)
            assert answer["status"] == "stalled" and answer["error"] == aggregation.STALLED_ERROR, (
                answer
            )
            assert aggregation.start(MONTH, started_by=None) == job_id
            assert aggregation.status(job_id)["status"] == "queued"
    finally:
        stop_worker(bystander)
