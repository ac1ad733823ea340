"""A worker SIGKILLed (with its work horse) while sending a mail and while rendering a PDF
(issue 16): the job it held is handed back by RQ's cleanup of abandoned executions (the workers'
maintenance, `jobs/liveness.py`, which also has it retried at once) and done again exactly once
by the worker that replaces it: one mail in the inbox, one PDF made, each job completed once.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from provider_portal.jobs import documents as documents_jobs
from provider_portal.jobs.queues import queue
from tests.conftest import JANUARY_ENDED
from tests.factories import logged_in_client, sample_report
from tests.finance.queue import pdf_text, wait_for_download
from tests.jobs.long_invoice import long_invoice
from tests.jobs.workers import kill_worker, start_worker, stop_worker, until, wait_until_started
from tests.notifications.conftest import Inbox, free_port, unsent_notifications
from tests.report_files.reporting import page_client, people, submit, upload


class StallingInbox(Inbox):
    """Holds the first mail's sender at RCPT until released, as a slow server does."""

    def __init__(self):
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def completed(log: str, job_id: str) -> int:
    return sum(1 for line in log.splitlines() if "Job OK" in line and f"({job_id})" in line)


def test_a_worker_killed_while_sending_a_mail_is_replaced_and_the_mail_sent_once(
    fault_app, tmp_path
):
    app = fault_app
    inbox = StallingInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    app.config.update(PORTAL_TODAY=JANUARY_ENDED, MAIL_SEND_INLINE=False)
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_TIMEOUT": "60",
        "OUTBOX_DIR": str(tmp_path),
    }
    found = people(app)
    provider = page_client(app)
    upload(provider, found.contract_id, sample_report())
    assert submit(provider, found.contract_id).status_code == 302  # procurement is told
    with app.app_context():
        [job_id] = queue("mail").job_ids
    url, redis_url = app.config["DATABASE_URL"], app.config["REDIS_URL"]
    try:
        worker = start_worker(url, redis_url, "mail", today="2019-02-05", **settings)
        assert inbox.stalled.wait(60), "the worker never reached the SMTP server"
        kill_worker(worker)
        inbox.release.set()  # the dead sender's session goes on without it: no DATA comes

        replacement = start_worker(url, redis_url, "mail", today="2019-02-05", **settings)
        try:
            until(lambda: len(inbox.messages) == 1 and unsent_notifications(app) == 0, seconds=90)
            time.sleep(2)  # a second sending would have had its time
        finally:
            log = stop_worker(replacement)
    finally:
        smtp.stop()
    assert [m["To"] for m in inbox.messages] == ["indkob@example.dk"], log
    assert completed(log, job_id) == 1, log


@pytest.mark.usefixtures("january_ended")
def test_a_worker_killed_while_rendering_a_pdf_is_replaced_and_the_pdf_made_once(fault_app):
    app = fault_app
    invoice_id, total = long_invoice(app)
    finance = logged_in_client(app, "okonomi@example.dk", "finance")
    job_id = documents_jobs.invoice_job_id(invoice_id)
    url, redis_url = app.config["DATABASE_URL"], app.config["REDIS_URL"]

    worker = start_worker(url, redis_url, "documents")
    try:
        page_url = finance.get(f"/finance/invoices/{invoice_id}.pdf").headers["Location"]
        wait_until_started(app, job_id)
    finally:
        kill_worker(worker)
    with app.app_context():
        assert documents_jobs.stored(job_id) is None, "the PDF was made before the kill"

    # A worker takes over: the page keeps saying "being made" until the PDF is there.
    replacement = start_worker(url, redis_url, "documents")
    try:
        text = pdf_text(wait_for_download(finance, page_url, seconds=120))
    finally:
        log = stop_worker(replacement)
    assert f"I alt at betale {total} kr." in text, text[-500:]
    assert completed(log, job_id) == 1, log
