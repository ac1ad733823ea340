"""Mails sent by a real worker on the `mail` queue (DESIGN.md §14): an SMTP server that refuses
has the job retried by RQ (Retry, with the scheduler the worker runs) until it answers, and the
mail is sent once; a server that never answers leaves the job on the failed-jobs page and the
notification pending. The worker's mails never land in the checkout's instance/outbox/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from contracts.models import Notification
from provider_portal.extensions import db
from provider_portal.jobs.queues import queue
from tests.factories import logged_in_client
from tests.jobs.workers import start_worker, stop_worker, until
from tests.notifications.conftest import Inbox, free_port, rejected_report, unsent_notifications

CHECKOUT_OUTBOX = Path(__file__).resolve().parents[2] / "instance" / "outbox"
# rejected_report: procurement is told of the submission, each of the provider's two users of the
# rejection.
MAILS = 3


class RefusingInbox(Inbox):
    """Answers "try again later" to the first `refusals` mails, then takes them."""

    def __init__(self, refusals: int):
        super().__init__()
        self.refusals = refusals
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def refusing(app, tmp_path):
    """The app queuing mails for a worker, and an SMTP server that refuses some of them;
    yields (inbox, the worker's settings)."""

    def run(refusals: int):
        inbox = RefusingInbox(refusals)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        app.config.update(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=controller.port,
            MAIL_SEND_INLINE=False,
            MAIL_RETRY_INTERVALS=[1, 1, 1],
        )
        settings = {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(controller.port),
            "MAIL_TIMEOUT": "5",
            "OUTBOX_DIR": str(tmp_path / "worker-outbox"),
        }
        return inbox, settings

    controllers: list[Controller] = []
    yield run
    for controller in controllers:
        controller.stop()


def test_a_refused_mail_is_retried_by_rq_and_sent_once(app, refusing, tmp_path):
    before = set(CHECKOUT_OUTBOX.glob("*")) if CHECKOUT_OUTBOX.exists() else set()
    inbox, settings = refusing(refusals=2)
    rejected_report(app)
    with app.app_context():
        assert queue("mail").count == MAILS  # queued after the commit, none sent yet
    worker = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "mail", **settings)
    try:
        until(lambda: len(inbox.messages) == MAILS and unsent_notifications(app) == 0)
        time.sleep(2)  # a retry that would send again has had its time
    finally:
        log = stop_worker(worker)
    assert inbox.refused == 2, log
    assert sorted(m["To"] for m in inbox.messages) == [
        "anna@fodfaeste.dk",
        "bo@fodfaeste.dk",
        "indkob@example.dk",
    ]
    with app.app_context():
        assert queue("mail").failed_job_registry.count == 0
    # The worker wrote nothing to the checkout's outbox, nor to its own (SMTP took them).
    assert (set(CHECKOUT_OUTBOX.glob("*")) if CHECKOUT_OUTBOX.exists() else set()) == before
    assert not list((tmp_path / "worker-outbox").glob("*.eml"))


def test_a_server_that_never_answers_leaves_the_job_failed_and_the_mail_pending(app, refusing):
    inbox, settings = refusing(refusals=1000)
    rejected_report(app)
    worker = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "mail", **settings)
    try:
        with app.app_context():
            failed = queue("mail").failed_job_registry
            until(lambda: failed.count == MAILS)
    finally:
        log = stop_worker(worker)
    # Each mail was tried once and then once per retry interval.
    assert inbox.refused == MAILS * 4, log
    assert inbox.messages == [] and unsent_notifications(app) == MAILS
    with app.app_context():
        ids = sorted(queue("mail").failed_job_registry.get_job_ids())
        notifications = sorted(f"mail-{i}" for i in db.session.scalars(sa.select(Notification.id)))
    assert ids == notifications
    # The administrator sees them on the failed-jobs page, and counted under "Opgaver".
    admin = logged_in_client(app, "admin@example.dk", "admin")
    page = admin.get("/jobs/failed").get_data(as_text=True)
    assert all(job_id in page for job_id in ids)
    assert "3 fejlede job" in admin.get("/admin/").get_data(as_text=True)
