"""A month's aggregation on real RQ worker processes: invoices and scores, exactly once."""

import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Invoice, InvoiceLine, Score
from contracts.rules.periods import COPENHAGEN
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from provider_portal.jobs.queues import redis_connection
from tests.jobs.workers import start_worker, stop_worker, wait_for_a_worker, wait_until_done
from tests.scenarios import accepted_sample_month


def invoice_totals(app):
    with app.app_context():
        return sorted(
            (i.contract_id, i.kind, i.version, str(i.total))
            for i in db.session.scalars(sa.select(Invoice))
        )


@pytest.mark.usefixtures("january_ended")
def test_a_month_on_two_workers_gives_one_invoice_per_contract(any_app):
    contract_ids = accepted_sample_month(any_app, contracts=3)
    url, redis_url = any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"]
    today = any_app.config["PORTAL_TODAY"]
    workers = [start_worker(url, redis_url, "aggregation", today=today) for _ in range(2)]
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
        # Made on the portal's day (the demo's calendar), not the machine's.
        made_on = {
            i.created_at.astimezone(COPENHAGEN).date()
            for i in db.session.scalars(sa.select(Invoice))
        }
        assert made_on == {today}
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


@pytest.mark.usefixtures("january_ended")
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
