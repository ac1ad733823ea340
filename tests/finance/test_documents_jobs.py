"""Large PDFs are made by a real RQ worker on the documents queue; the page says "being made",
then offers the download, which reads back with the right Danish totals."""

from __future__ import annotations

import pytest

from contracts.models import Invoice
from provider_portal.extensions import db
from provider_portal.jobs import documents as documents_jobs
from tests.conftest import login
from tests.finance.helpers import sample_invoice
from tests.finance.queue import pdf_text, wait_for_download
from tests.jobs.workers import start_worker, stop_worker


@pytest.fixture
def desk(app, finance):
    """The sample invoice's and its provider's ids, with finance logged in."""
    with app.app_context():
        invoice = sample_invoice(db.session)
        db.session.commit()
        return invoice.id, invoice.contract.provider_id


def test_a_real_worker_makes_the_statement_the_budget_and_a_long_invoice(
    app, client, desk, monkeypatch
):
    invoice_id, provider_id = desk
    monkeypatch.setattr(documents_jobs, "INLINE_INVOICE_LINES", 5)  # the sample invoice has 7 lines
    process = start_worker(app.config["DATABASE_URL"], app.config["REDIS_URL"], "documents")
    try:
        started = client.get(f"/finance/statements/{provider_id}/2019-01.pdf")
        assert started.status_code == 302
        page_url = started.headers["Location"]
        assert page_url == f"/finance/documents/pdf-statement-{provider_id}-2019-01"
        text = pdf_text(wait_for_download(client, page_url))
        assert "Månedsopgørelse januar 2019" in text and "I alt 123.898,04 kr." in text

        budget = client.get("/finance/budget/2019.pdf")
        assert budget.headers["Location"] == "/finance/documents/pdf-budget-2019"
        text = pdf_text(wait_for_download(client, "/finance/documents/pdf-budget-2019"))
        assert (
            "Årets budget 12.600.000,00 kr." in text
            and "Afventer godkendelse (ikke medregnet) 99.118,43 kr." in text
        )

        long = client.get(f"/finance/invoices/{invoice_id}.pdf")
        assert long.headers["Location"] == f"/finance/documents/pdf-invoice-{invoice_id}"
        text = pdf_text(wait_for_download(client, long.headers["Location"]))
        assert "I alt at betale 123.898,04 kr." in text
    finally:
        log = stop_worker(process)
    assert f"pdf-statement-{provider_id}-2019-01" in log and "pdf-budget-2019" in log


def test_asking_again_makes_a_fresh_document_and_one_render_serves_two_at_once(app, client, desk):
    _invoice_id, provider_id = desk
    job_id = documents_jobs.statement_job_id(provider_id, "2019-01")
    with app.app_context():
        assert documents_jobs.start(job_id, "render_statement", provider_id, "2019-01") == job_id
        # A second request while the first waits joins it instead of queueing another render.
        documents_jobs.start(job_id, "render_statement", provider_id, "2019-01")
        from provider_portal.jobs.queues import queue

        assert queue("documents").count == 1
    page = client.get(f"/finance/documents/{job_id}").get_data(as_text=True)
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page
    # Nothing made yet: the download leads back to the page.
    assert (
        client.get(f"/finance/documents/{job_id}/download").headers["Location"]
        == f"/finance/documents/{job_id}"
    )


@pytest.mark.parametrize(
    "job_id",
    ["aggregate-2019-01", "pdf-statement-1-2019-13", "pdf-budget-2019..", "pdf-invoice-999"],
)
def test_unknown_or_foreign_job_ids_are_not_found(app, client, desk, job_id):
    assert client.get(f"/finance/documents/{job_id}").status_code == 404


def test_only_finance_sees_the_documents_pages(app, client, make_user):
    with app.app_context():
        invoice = sample_invoice(db.session)
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
        provider_id = db.session.get(Invoice, invoice.id).contract.provider_id
    login(client, "indkob@example.dk")
    for url in [
        "/finance/budget/2019.pdf",
        f"/finance/statements/{provider_id}/2019-01.pdf",
        "/finance/documents/pdf-budget-2019",
        "/finance/documents/pdf-budget-2019/download",
    ]:
        assert client.get(url).status_code == 403, url
