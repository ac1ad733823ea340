"""The demo's outbox holds the mails its story sent (issue 15), each dated on its day of the
story: what `make run` runs after loading the demo, and nothing new when it runs again."""

from __future__ import annotations

import email
import email.policy
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.models import MonthlyReport, Notification
from contracts.rules.periods import COPENHAGEN
from contracts.services import invoicing
from contracts.services.demo import story
from contracts.services.demo.plan import DEMO_TODAY
from provider_portal import transaction
from provider_portal.extensions import db


def _mails(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["OUTBOX_DIR"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def _day(mail) -> date:
    return parsedate_to_datetime(mail["Date"]).astimezone(COPENHAGEN).date()


def _kind(mails, kind: str) -> list:
    return [m for m in mails if m["X-Portal-Notification"] == kind]


def _invoice_months() -> None:
    """What the worker does for `flask aggregate --all-months`: every accepted month invoiced."""
    months = db.session.scalars(sa.select(MonthlyReport.month).distinct()).all()
    for month in sorted(months):
        for contract_id in invoicing.accepted_contract_ids(db.session, month):
            invoicing.invoice_contract_month(db.session, contract_id, month)
    transaction.commit()


@pytest.fixture
def demo_run(app):
    """The demo loaded as `make run` loads it, mails sent at once (MAIL_SEND_INLINE)."""
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["demo-data"])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        _invoice_months()
    for args in (
        ["approve-demo", "--up-to", "2018-11", "--attest-also", "2018-12"],
        ["send-reminders"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    return runner


def test_the_outbox_holds_decembers_reminders_on_their_days_and_nothing_twice(app, demo_run):
    mails = _mails(app)
    # SÆR-2018-03's December report was never sent: its provider's user was reminded on the
    # 5th and the 10th and told it was overdue on the 11th, and so was procurement.
    due = _kind(mails, "report_due")
    assert [(m["To"], _day(m)) for m in due] == [
        ("leverandor@demo.dk", date(2019, 1, 5)),
        ("leverandor@demo.dk", date(2019, 1, 10)),
    ]
    assert all("SÆR-2018-03" in m["Subject"] and "december 2018" in m["Subject"] for m in due)
    overdue = _kind(mails, "report_overdue")
    assert sorted((m["To"], _day(m)) for m in overdue) == [
        ("indkob@demo.dk", date(2019, 1, 11)),
        ("leverandor@demo.dk", date(2019, 1, 11)),
    ]
    # The story's other mails, each on its day: nothing after the demo's day.
    assert all(date(2018, 4, 1) <= _day(m) <= DEMO_TODAY for m in mails)
    ending = _kind(mails, "contract_ending")
    assert sorted(_day(m) for m in ending) == [date(2018, 11, 30)] * 4 + [date(2018, 12, 31)] * 2
    (published,) = _kind(mails, "tender_published")
    assert _day(published) == date(2019, 1, 21)
    # Finance was told of each invoice procurement attested, on the day it was attested.
    to_approve = _kind(mails, "invoice_to_approve")
    assert to_approve and {m["To"] for m in to_approve} == {"okonomi@demo.dk"}
    assert _day(to_approve[0]) == date(2018, 4, 14)
    submitted = _kind(mails, "report_submitted")
    assert len(submitted) == 59 and date(2019, 1, 9) in {_day(m) for m in submitted}

    again = demo_run.invoke(args=["send-reminders"])
    assert again.exit_code == 0, again.output
    assert len(_mails(app)) == len(mails)
    with app.app_context():
        pending = db.session.scalar(
            sa.select(sa.func.count()).where(Notification.sent_at.is_(None))
        )
    assert pending == 0


def test_the_mornings_before_the_first_one_run_raise_nothing(app):
    """The loader runs the schedule's mornings from November 2018; those from April (the month
    after the first one reported) to October would have raised nothing."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    with app.app_context():
        earlier = story.run_days(
            db.session, story.FIRST_REPORTED_RUN, story.FIRST_RUN - timedelta(days=1)
        )
        again = story.run_days(db.session, story.FIRST_REPORTED_RUN, DEMO_TODAY)
        db.session.rollback()
    assert (earlier, again) == (0, 0)
