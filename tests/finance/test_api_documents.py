"""Long PDFs on the API are made on the documents queue (issue 16): the call answers 202 with
the document to follow, and the PDF is collected once ready; nobody follows another provider's."""

from __future__ import annotations

import pytest

from contracts.models import AuditEvent, Contract, Invoice, Provider
from provider_portal.extensions import db
from provider_portal.jobs import documents as documents_jobs
from tests.api.conftest import bearer
from tests.finance.helpers import sample_invoice
from tests.finance.queue import pdf_text, queued_api_pdf, run_documents


@pytest.fixture
def long_invoice(app, monkeypatch):
    """The sample invoice (7 lines), long enough for the queue once the inline limit is 5."""
    monkeypatch.setattr(documents_jobs, "INLINE_INVOICE_LINES", 5)
    with app.app_context():
        invoice = sample_invoice(db.session)
        db.session.commit()
        provider_id = db.session.get(Contract, invoice.contract_id).provider_id
        return invoice.id, provider_id


def test_a_long_invoice_is_made_on_the_queue_and_collected_by_finance_and_its_provider(
    app, client, make_token, long_invoice, monkeypatch
):
    invoice_id, provider_id = long_invoice
    url = f"/api/v1/invoices/{invoice_id}.pdf"
    for token in (
        make_token(app, "okonomi@example.dk", "finance"),
        make_token(app, "leverandor@example.dk", "provider", provider_id),
    ):
        text = pdf_text(queued_api_pdf(app, client, monkeypatch, url, bearer(token)))
        assert "I alt at betale 123.898,04 kr." in text
    with app.app_context():
        # The collected PDF names participants: reading it is audited, once per user and day.
        reads = db.session.query(AuditEvent).filter_by(
            action="participants.viewed", record_type="invoice", record_id=invoice_id
        )
        assert {event.details.get("page") for event in reads} >= {"api.get_document_pdf"}


def test_the_pdf_is_refused_until_made_and_the_document_expires(
    app, client, make_token, long_invoice, monkeypatch
):
    invoice_id, _ = long_invoice
    token = bearer(make_token(app, "okonomi@example.dk", "finance"))
    job_id = documents_jobs.invoice_job_id(invoice_id)
    started = client.get(f"/api/v1/invoices/{invoice_id}.pdf", headers=token)
    assert started.headers["Location"] == f"/api/v1/documents/{job_id}"
    early = client.get(f"/api/v1/documents/{job_id}.pdf", headers=token)
    assert early.status_code == 409
    assert early.get_json()["errors"][0]["message"] == (
        f"The document is not ready (queued): read its state at /api/v1/documents/{job_id}."
    )
    run_documents(app, monkeypatch)
    assert client.get(f"/api/v1/documents/{job_id}.pdf", headers=token).status_code == 200
    with app.app_context():
        documents_jobs.redis_connection().delete(documents_jobs.document_key(job_id))
    gone = client.get(f"/api/v1/documents/{job_id}", headers=token).get_json()
    assert gone["status"] == "expired" and gone["file"] is None
    assert client.get(f"/api/v1/documents/{job_id}.pdf", headers=token).status_code == 404
    # Asking again makes a fresh one.
    assert client.get(f"/api/v1/invoices/{invoice_id}.pdf", headers=token).status_code == 202


def test_another_provider_cannot_follow_or_collect_it_nor_tell_it_exists(
    app, client, make_token, long_invoice, monkeypatch
):
    invoice_id, _ = long_invoice
    finance = bearer(make_token(app, "okonomi@example.dk", "finance"))
    assert client.get(f"/api/v1/invoices/{invoice_id}.pdf", headers=finance).status_code == 202
    run_documents(app, monkeypatch)
    with app.app_context():
        other = Provider(name="Anden ApS", cvr="29403473")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
        missing = db.session.query(db.func.max(Invoice.id)).scalar() + 1
    stranger = bearer(make_token(app, "anden@example.dk", "provider", other_id))
    made = documents_jobs.invoice_job_id(invoice_id)
    never = documents_jobs.invoice_job_id(missing)
    for path in (made, f"{made}.pdf", never, f"{never}.pdf"):
        answer = client.get(f"/api/v1/documents/{path}", headers=stranger)
        # The same answer for a made document as for one never asked for.
        assert answer.status_code == 404
        assert answer.get_json()["errors"][0]["message"] == "No such invoice."
    # The statements and the budget are not a provider's to follow at all.
    for path in ("pdf-budget-2019", "pdf-statement-1-2019-01"):
        assert client.get(f"/api/v1/documents/{path}", headers=stranger).status_code == 403
