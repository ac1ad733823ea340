"""Notifications through a real SMTP server: a rejected report, the day's reminders, a
contract ending, and a server that is down when the mail is due (DESIGN.md §14)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from contracts.models import Notification, User
from provider_portal import transaction
from provider_portal.extensions import db
from tests.notifications.conftest import people, rejected_report
from tests.scenarios import sample_scenario


def test_a_rejected_report_mails_each_provider_user_once_in_danish(smtp_app, smtp):
    inbox, _ = smtp
    rejected_report(smtp_app)
    for address in ("anna@fodfaeste.dk", "bo@fodfaeste.dk"):
        (mail,) = inbox.to(address)
        assert mail["Subject"] == "Rapport afvist: SÆR-2018-03, januar 2019"
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert "Rapporten for januar 2019 på kontrakten SÆR-2018-03 er afvist." in text
        assert "Timerne for DL-9XW3M ser for høje ud" in text
        assert "/provider/contracts/" in text and "/reports/2019-01" in text
        assert "Timerne for DL-9XW3M ser for høje ud" in html
    # Procurement was told of the submission, not the rejection.
    assert [m["Subject"] for m in inbox.to("indkob@example.dk")] == [
        "Rapport til gennemgang: SÆR-2018-03, januar 2019"
    ]


def _runner(app):
    """The sample contract with two provider users and procurement; the app's command runner."""
    with app.app_context():
        scenario = sample_scenario(db.session)
        people(scenario.provider_id)
        transaction.commit()
    return app.test_cli_runner()


def test_reminders_on_the_5th_once_per_provider_user_and_none_the_second_time(smtp_app, smtp):
    inbox, _ = smtp
    runner = _runner(smtp_app)
    first = runner.invoke(args=["send-reminders", "--day", "2019-02-05"])
    assert first.exit_code == 0, first.output
    # A long subject is folded into encoded words; what a mail client shows is stripped.
    reminders = [m for m in inbox.messages if m["Subject"].strip().startswith("Påmindelse")]
    assert sorted(m["To"] for m in reminders) == ["anna@fodfaeste.dk", "bo@fodfaeste.dk"]
    assert reminders[0]["Subject"].strip() == (
        "Påmindelse: rapporten for januar 2019 på SÆR-2018-03 skal indsendes senest den 10."
    )
    assert "10-02-2019" in reminders[0].get_body(("plain",)).get_content()
    again = runner.invoke(args=["send-reminders", "--day", "2019-02-05"])
    assert again.exit_code == 0, again.output
    assert len(inbox.messages) == 2
    # A day missed is caught up: on the 7th the 5th's reminder is not sent again.
    runner.invoke(args=["send-reminders", "--day", "2019-02-07"])
    assert len(inbox.messages) == 2


def test_a_contract_ending_in_30_days_without_successor_mails_procurement(smtp_app, smtp):
    inbox, _ = smtp
    runner = _runner(smtp_app)  # the sample contract ends on 31 August 2019
    runner.invoke(args=["send-reminders", "--day", "2019-08-01"])
    runner.invoke(args=["send-reminders", "--day", "2019-08-01"])
    (mail,) = inbox.to("indkob@example.dk")
    assert mail["Subject"].strip() == "SÆR-2018-03 udløber om 30 dage uden en afløser"
    assert "31-08-2019" in mail.get_body(("plain",)).get_content()


def test_a_mail_due_while_the_server_is_down_is_sent_once_when_it_is_back(smtp_app, smtp):
    inbox, controller = smtp
    controller.stop()
    rejected_report(smtp_app)
    with smtp_app.app_context():
        pending = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.sent_at.is_(None), Notification.kind == "report_rejected")
        )
    assert pending == 2 and inbox.messages == []
    back = Controller(inbox, hostname="127.0.0.1", port=controller.port)
    back.start()
    try:
        runner = smtp_app.test_cli_runner()
        runner.invoke(args=["send-reminders", "--day", str(date(2019, 2, 1))])
        runner.invoke(args=["send-reminders", "--day", str(date(2019, 2, 1))])
    finally:
        back.stop()
    rejected = [m for m in inbox.messages if m["Subject"].strip().startswith("Rapport afvist")]
    assert sorted(m["To"] for m in rejected) == ["anna@fodfaeste.dk", "bo@fodfaeste.dk"]
    with smtp_app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Notification)
                .where(Notification.sent_at.is_(None))
            )
            == 0
        )
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 3
