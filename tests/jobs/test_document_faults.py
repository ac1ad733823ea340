"""Fault tests for the documents queue with real worker processes: a PDF asked for while no
worker runs, and one whose worker is killed mid-render.

Either way finance's "being made" page must not wait forever: once the worker's heartbeats
(or any worker at all) have been missing for the grace period, it says in Danish that the
document could not be made and offers to make it again, which replaces the stuck job.
"""

from __future__ import annotations

import time
from datetime import timedelta

from provider_portal.extensions import db
from provider_portal.jobs import documents as documents_jobs
from provider_portal.jobs import liveness, queues
from tests.finance.helpers import sample_invoice
from tests.finance.queue import pdf_text, wait_for_download
from tests.jobs.long_invoice import long_invoice
from tests.jobs.workers import kill_worker, start_worker, stop_worker
from tests.pages import PageParts

STALLED = (
    "Dokumentet kunne ikke laves, fordi der ikke kører nogen baggrundsproces, der kan lave det."
)


def page_status(page: str) -> str:
    """The status the document's page shows."""
    return PageParts(page).xpath("string(//@data-status)")


def wait_for_stalled(client, page_url: str, seconds: float) -> str:
    """Reload the page as its refresh does until it gives up; it says "being made" until then."""
    deadline = time.monotonic() + seconds
    while True:
        page = client.get(page_url).get_data(as_text=True)
        if page_status(page) == "stalled":
            return page
        assert page_status(page) in ("queued", "started") and 'http-equiv="refresh"' in page, page
        assert time.monotonic() < deadline, (
            f"{page_url} still said it was being made after {seconds}s"
        )
        time.sleep(0.2)


def test_with_no_worker_the_statement_page_says_it_cannot_be_made_and_asking_again_starts_afresh(
    app, finance, monkeypatch
):
    with app.app_context():
        provider_id = sample_invoice(db.session).contract.provider_id
        db.session.commit()
        assert not liveness.any_live_worker(queues.redis_connection())
    monkeypatch.setattr(liveness, "HEARTBEAT_GRACE", timedelta(seconds=2))
    statement_url = f"/finance/statements/{provider_id}/2019-01.pdf"
    asked = time.monotonic()
    page_url = finance.get(statement_url).headers["Location"]
    # Within the grace a worker may still be (re)starting: the page says "being made".
    assert page_status(finance.get(page_url).get_data(as_text=True)) == "queued"

    page = wait_for_stalled(finance, page_url, seconds=10)
    assert time.monotonic() - asked >= 2
    assert STALLED in page and 'role="alert"' in page
    assert 'http-equiv="refresh"' not in page, "a page that gave up must stop reloading"
    assert f'href="{statement_url}"' in page and "Lav dokumentet igen" in page

    # Asking again replaces the stuck job under the same id instead of finding it.
    again = finance.get(statement_url)
    assert again.headers["Location"] == page_url
    assert page_status(finance.get(page_url).get_data(as_text=True)) == "queued"
    with app.app_context():
        assert queues.queue(documents_jobs.QUEUE).job_ids == [
            documents_jobs.statement_job_id(provider_id, "2019-01")
        ]


def test_a_worker_killed_mid_render_leaves_a_stalled_page_and_asking_again_makes_the_pdf(
    app, finance, monkeypatch
):
    invoice_id, total = long_invoice(app)
    # Heartbeats come every 5 s while a job runs; a shorter grace than 45 s keeps the test short.
    monkeypatch.setattr(liveness, "HEARTBEAT_GRACE", timedelta(seconds=8))
    invoice_url = f"/finance/invoices/{invoice_id}.pdf"
    job_id = documents_jobs.invoice_job_id(invoice_id)
    url, redis_url = app.config["DATABASE_URL"], app.config["REDIS_URL"]

    worker = start_worker(url, redis_url, "documents")
    try:
        page_url = finance.get(invoice_url).headers["Location"]
        assert page_url == f"/finance/documents/{job_id}"
        deadline = time.monotonic() + 60
        with app.app_context():
            while documents_jobs.state(job_id).status != "started":
                assert time.monotonic() < deadline, documents_jobs.state(job_id)
                time.sleep(0.01)
    finally:
        kill_worker(worker)
    with app.app_context():
        assert documents_jobs.stored(job_id) is None, "the PDF was made before the kill"
        assert documents_jobs.state(job_id).status == "started"

    # The dead worker's job is not "being made" for ever: the page gives up after the grace.
    page = wait_for_stalled(finance, page_url, seconds=30)
    assert STALLED in page and 'http-equiv="refresh"' not in page
    assert f'href="{invoice_url}"' in page

    replacement = start_worker(url, redis_url, "documents")
    try:
        assert finance.get(invoice_url).headers["Location"] == page_url
        text = pdf_text(wait_for_download(finance, page_url, seconds=120))
    finally:
        log = stop_worker(replacement)
    assert f"I alt at betale {total} kr." in text, text[-500:]
    assert job_id in log
