"""A month's aggregation on real RQ worker processes: invoices and scores, exactly once."""

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Invoice, InvoiceLine, Score
from contracts.rules.report_format import read_csv
from contracts.services import reports
from contracts.services.audit import Actor
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from provider_portal.jobs.queues import redis_connection
from tests.jobs.test_worker import start_worker, stop_worker
from tests.scenarios import sample_scenario

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
ACTOR = Actor("test")


def accepted_sample_month(app, contracts: int = 1) -> list[int]:
    """`contracts` copies of the sample contract, each with the sample report accepted."""
    ids = []
    with app.app_context():
        for n in range(contracts):
            refs = [
                f"DL-{n:02d}{ref[5:]}" if n else ref
                for ref in [
                    "DL-4Q7K2",
                    "DL-9XW3M",
                    "DL-2HB8R",
                    "DL-7TZ5C",
                    "DL-3PJ6N",
                    "DL-8KD4V",
                    "DL-5MR2F",
                ]
            ]
            cvr = ["13585628", "29403473", "10150817", "25313763", "30060946", "64942212"][n]
            scenario = sample_scenario(
                db.session,
                provider_name=f"Leverandør {n}",
                cvr=cvr,
                refs=refs,
                reference=f"SÆR-{n}",
            )
            data = (SAMPLES / "report-2019-01-utf8-bom.csv").read_bytes()
            for old, new in zip(
                [
                    "DL-4Q7K2",
                    "DL-9XW3M",
                    "DL-2HB8R",
                    "DL-7TZ5C",
                    "DL-3PJ6N",
                    "DL-8KD4V",
                    "DL-5MR2F",
                ],
                refs,
                strict=True,
            ):
                data = data.replace(old.encode(), new.encode())
            contract = db.session.get(Contract, scenario.contract_id)
            report = reports.save_draft(
                db.session, ACTOR, contract, "2019-01", read_csv(data), date(2019, 2, 5), "test"
            )
            reports.submit(db.session, ACTOR, report)
            reports.accept(db.session, ACTOR, report)
            ids.append(contract.id)
        db.session.commit()
    return ids


def wait_until_done(job_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = aggregation.status(job_id)
        if answer["status"] in ("finished", "failed"):
            return answer
        time.sleep(0.2)
    raise AssertionError(f"still {aggregation.status(job_id)} after {seconds}s")


def wait_for_a_worker(seconds=60):
    """Until a worker has registered with Redis (starting Python with the app takes a moment)."""
    from rq import Worker

    deadline = time.monotonic() + seconds
    while not Worker.all(connection=redis_connection()):
        assert time.monotonic() < deadline, "no worker registered"
        time.sleep(0.1)


def invoice_totals(app):
    with app.app_context():
        return sorted(
            (i.contract_id, i.kind, i.version, str(i.total))
            for i in db.session.scalars(sa.select(Invoice))
        )


def test_a_month_on_two_workers_gives_one_invoice_per_contract(any_app):
    contract_ids = accepted_sample_month(any_app, contracts=3)
    url, redis_url = any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"]
    workers = [start_worker(url, redis_url, "aggregation") for _ in range(2)]
    try:
        with any_app.app_context():
            job_id = aggregation.start("2019-01", started_by=None)
            answer = wait_until_done(job_id)
            assert answer["status"] == "finished", answer.get("error")
            assert answer["progress"] == {"done": 4, "total": 4}
            # Started again, it changes nothing.
            again = wait_until_done(aggregation.start("2019-01", started_by=None))
            assert again["status"] == "finished"
    finally:
        for worker in workers:
            stop_worker(worker)
    totals = invoice_totals(any_app)
    assert totals == [(cid, "invoice", 1, "123898.04") for cid in sorted(contract_ids)]
    with any_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine)) == 21
        whole = db.session.scalar(
            sa.select(Score).where(Score.scope == "all", Score.cumulative.is_(True))
        )
        assert (whole.participants, whole.active_end, whole.exits, whole.positive) == (21, 9, 12, 6)
        assert whole.hours_delivered == Decimal("1727.25")
        if db.engine.dialect.name == "postgresql":
            # The month's last job refreshed the planner's statistics of the tables it grew.
            assert _analyzed(["invoice", "invoice_line"]) == {"invoice", "invoice_line"}


def _analyzed(tables: list[str], seconds: float = 5) -> set[str]:
    """The tables ANALYZE has run on (the statistics views can lag a moment behind)."""
    deadline = time.monotonic() + seconds
    while True:
        done = set(
            db.session.scalars(
                sa.text(
                    "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname = ANY(:tables)"
                ),
                {"tables": tables},
            )
        )
        if done == set(tables) or time.monotonic() > deadline:
            return done
        db.session.rollback()
        time.sleep(0.2)


def test_a_running_month_is_refused_and_a_bad_month_is_an_error(any_app):
    accepted_sample_month(any_app)
    worker = start_worker(any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"], "default")
    try:
        with any_app.app_context():
            wait_for_a_worker()  # it listens on "default", so the month's jobs stay queued
            aggregation.start("2019-01", started_by=None)
            # Queued while a live worker exists: refused.
            with pytest.raises(aggregation.AlreadyRunning):
                aggregation.start("2019-01", started_by=None)
            with pytest.raises(ValueError):
                aggregation.start("2019-13", started_by=None)
    finally:
        stop_worker(worker)
        with redis_connection(any_app.config["REDIS_URL"]) as connection:
            connection.flushdb()
