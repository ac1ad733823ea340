"""A real SMTP server (aiosmtpd) in the test's process, the app sending to it, and the people
and the rejected report the mail tests tell of."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from contracts.models import Contract, Notification
from contracts.services import reports
from contracts.services.accounts import create_user
from contracts.services.audit import Actor
from provider_portal import transaction
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.factories import make_report, sample_report
from tests.scenarios import sample_scenario


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A running SMTP server on a free port; yields (inbox, controller)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller
    if controller.loop.is_running():  # a test may have stopped it already
        controller.stop()


@pytest.fixture
def smtp_app(any_app, smtp):
    """The app (SQLite and PostgreSQL) sending through the test's SMTP server."""
    _, controller = smtp
    any_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_TIMEOUT=5)
    return any_app


PROCUREMENT = Actor("indkob@example.dk")


def people(provider_id: int) -> None:
    """Two users of the provider and one of procurement."""
    for address, role, provider in (
        ("anna@fodfaeste.dk", "provider", provider_id),
        ("bo@fodfaeste.dk", "provider", provider_id),
        ("indkob@example.dk", "procurement", None),
    ):
        create_user(db.session, TEST_ACTOR, address, role, TEST_PASSWORD, provider)


def rejected_report(app) -> None:
    """The sample contract with `people`, its January report submitted and then rejected, each
    step committed through the edge's commit (so its mails follow)."""
    with app.app_context():
        scenario = sample_scenario(db.session)
        people(scenario.provider_id)
        contract = db.session.get(Contract, scenario.contract_id)
        report = make_report(db.session, contract, sample_report(), status="submitted")
        transaction.commit()
        reports.reject(db.session, PROCUREMENT, report, "Timerne for DL-9XW3M ser for høje ud")
        transaction.commit()


def unsent_notifications(app) -> int:
    """How many notifications wait to be sent."""
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.sent_at.is_(None))
        )
