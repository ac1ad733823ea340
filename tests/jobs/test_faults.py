"""Fault tests with real worker processes: a worker killed mid-month, and a month run twice.

After a SIGKILL of the worker and its work horse (which RQ moves to a process group of its
own), a new worker and the month started again leave exactly one invoice per contract and
month, with the right totals.
"""

import time
from decimal import Decimal

import sqlalchemy as sa

from benchmarks.data import make_reports
from contracts.models import Invoice, InvoiceLine
from provider_portal import aggregation, jobs
from provider_portal.extensions import db
from tests.jobs.test_worker import start_worker, stop_worker
from tests.jobs.workers import kill_worker

CONTRACTS, PARTICIPANTS = 24, 150


def expected_totals(app) -> dict[int, Decimal]:
    """Each contract's invoice total, priced in Python from the same data as the SQL prices."""
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT c.id, rl.hours_delivered, rl.exit_reason FROM report_line rl "
            "JOIN monthly_report r ON r.id = rl.report_id JOIN contract c ON c.id = r.contract_id")).all()
    from contracts.rules.pricing import invoice_totals, price_line

    amounts: dict[int, list[Decimal]] = {}
    for contract_id, hours, reason in rows:
        days = 10 if reason else 31
        line = price_line(Decimal("9500.00"), Decimal("45.00"), Decimal("15000.00"), days, 31,
                          Decimal(str(hours)), reason, False)
        amounts.setdefault(contract_id, []).append(line.amount)
    return {cid: invoice_totals(values, Decimal("0.25"))[2] for cid, values in amounts.items()}


def test_a_worker_killed_mid_month_is_replaced_and_the_month_restarted(any_app, monkeypatch):
    with any_app.app_context():
        make_reports(db.session, CONTRACTS, PARTICIPANTS, "2019-01", "2019-01")
        db.session.commit()
    expected = expected_totals(any_app)
    # Heartbeats come every 5 s while a job runs; a shorter grace keeps the test short.
    monkeypatch.setattr(jobs, "HEARTBEAT_GRACE", aggregation.timedelta(seconds=8))
    url, redis_url = any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"]
    worker = start_worker(url, redis_url, "aggregation")
    with any_app.app_context():
        job_id = aggregation.start("2019-01", started_by=None)
        deadline = time.monotonic() + 120
        while aggregation.status(job_id)["progress"]["done"] < 3:
            assert time.monotonic() < deadline, aggregation.status(job_id)
            time.sleep(0.02)
        kill_worker(worker)
        progress = aggregation.status(job_id)["progress"]
        assert progress["done"] < progress["total"], "the month finished before the kill"
        # The dead worker's month is not "running" once its heartbeats stop: it starts again.
        deadline = time.monotonic() + 60
        while True:
            try:
                job_id = aggregation.start("2019-01", started_by=None)
                break
            except aggregation.AlreadyRunning:
                assert time.monotonic() < deadline, "the dead worker's month never became restartable"
                time.sleep(0.5)
        replacement = start_worker(url, redis_url, "aggregation")
        try:
            deadline = time.monotonic() + 180
            while aggregation.status(job_id)["status"] not in ("finished", "failed"):
                assert time.monotonic() < deadline, aggregation.status(job_id)
                time.sleep(0.2)
            assert aggregation.status(job_id)["status"] == "finished", aggregation.status(job_id)
        finally:
            stop_worker(replacement)
        invoices = db.session.execute(sa.select(Invoice.contract_id, Invoice.kind, Invoice.total)).all()
        assert sorted(cid for cid, _, _ in invoices) == sorted(expected)
        assert {kind for _, kind, _ in invoices} == {"invoice"}
        assert {cid: Decimal(str(total)) for cid, _, total in invoices} == expected
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine)) == CONTRACTS * PARTICIPANTS


def test_a_correction_after_invoicing_gives_one_credit_note_and_one_new_invoice(any_app):
    from datetime import date

    from contracts.models import Contract
    from contracts.rules.report_format import read_csv
    from contracts.services import reports
    from contracts.services.audit import Actor
    from tests.jobs.test_aggregation import SAMPLES, accepted_sample_month, wait_until_done

    [contract_id] = accepted_sample_month(any_app)
    worker = start_worker(any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"], "aggregation")
    try:
        with any_app.app_context():
            assert wait_until_done(aggregation.start("2019-01", started_by=None))["status"] == "finished"
            corrected = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes().replace(
                b"DL-9XW3M,148,148,0", b"DL-9XW3M,148,140,8")
            contract = db.session.get(Contract, contract_id)
            report = reports.save_draft(db.session, Actor("test"), contract, "2019-01", read_csv(corrected),
                                        date(2019, 2, 20), "test")
            reports.submit(db.session, Actor("test"), report)
            reports.accept(db.session, Actor("test"), report)
            db.session.commit()
            for _ in range(2):
                assert wait_until_done(aggregation.start("2019-01", started_by=None))["status"] == "finished"
            rows = db.session.execute(
                sa.select(Invoice.kind, Invoice.version, Invoice.total).order_by(Invoice.id)).all()
    finally:
        stop_worker(worker)
    assert [(kind, version, str(total)) for kind, version, total in rows] == [
        ("invoice", 1, "123898.04"), ("credit_note", 1, "123898.04"), ("invoice", 2, "123448.04")]
