"""Procurement reads an invoice and its PDF (DESIGN §8); the desk, approving, e-invoices and
statements stay finance's (DESIGN §1), on the page and at the routes."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.models import Invoice
from contracts.services import invoice_steps
from provider_portal.extensions import db
from provider_portal.jobs import documents as documents_jobs
from tests.conftest import csrf_token, login
from tests.finance.demo_approvals import ATTESTER
from tests.finance.helpers import at, sample_invoice
from tests.finance.queue import pdf_text, queued_pdf
from tests.pages import PageParts


@pytest.fixture
def reader(app, client, make_user):
    """The sample invoice (a draft of 123.898,04 kr.) and a procurement officer logged in."""
    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        invoice = sample_invoice(db.session)
        db.session.commit()
        found = {
            "id": invoice.id,
            "contract_id": invoice.contract_id,
            "reference": invoice.contract.reference,
            "provider_id": invoice.contract.provider_id,
        }
    login(client, "indkob@example.dk")
    return found


def test_procurement_reads_the_invoice_page_without_finances_buttons(client, reader):
    response = client.get(f"/finance/invoices/{reader['id']}")
    assert response.status_code == 200
    page = PageParts(response.get_data(as_text=True))
    assert "123.898,04 kr." in page.text and "DL-2HB8R" in page.text
    hrefs = {a.get("href") for a in page.find_all("a")}
    assert f"/finance/invoices/{reader['id']}.pdf" in hrefs
    # Back to the contract, not to the desk; no approving, statement, e-invoice or report-line links.
    assert f"/procurement/contracts/{reader['contract_id']}" in hrefs
    assert not [
        h
        for h in hrefs
        if h and (h.startswith("/finance/") and h != f"/finance/invoices/{reader['id']}.pdf")
    ]
    assert not page.find_all("form", action=f"/finance/invoices/{reader['id']}/approve")
    assert "Godkend og tildel nummer" not in page.text


def test_procurement_gets_a_long_pdf_from_the_queue_as_finance_does(
    app, client, reader, monkeypatch
):
    short = client.get(f"/finance/invoices/{reader['id']}.pdf")
    assert short.status_code == 200 and short.mimetype == "application/pdf"
    assert "123.898,04" in pdf_text(short.data)
    monkeypatch.setattr(
        documents_jobs, "INLINE_INVOICE_LINES", 0
    )  # the sample's lines count as long now
    long = queued_pdf(app, client, monkeypatch, f"/finance/invoices/{reader['id']}.pdf")
    assert "123.898,04" in pdf_text(long)
    page = PageParts(
        client.get(f"/finance/documents/{documents_jobs.invoice_job_id(reader['id'])}").get_data(
            as_text=True
        )
    )
    # The way back is to the invoice, not to finance's overview, which procurement may not open.
    assert f"/finance/invoices/{reader['id']}" in {a.get("href") for a in page.find_all("a")}
    assert "/finance/" not in {a.get("href") for a in page.find_all("a")}


def test_procurement_may_not_have_finances_other_documents(app, client, reader):
    for job_id in (
        documents_jobs.budget_job_id(2019),
        documents_jobs.statement_job_id(reader["provider_id"], "2019-01"),
    ):
        assert client.get(f"/finance/documents/{job_id}").status_code == 403, job_id
        assert client.get(f"/finance/documents/{job_id}/download").status_code == 403, job_id


def test_procurement_may_not_approve_export_or_use_the_desk(app, client, reader):
    html = client.get(f"/finance/invoices/{reader['id']}").get_data(as_text=True)
    approve = client.post(
        f"/finance/invoices/{reader['id']}/approve", data={"csrf_token": csrf_token(html)}
    )
    assert approve.status_code == 403
    with app.app_context():
        assert db.session.get(Invoice, reader["id"]).number is None
    for url in [
        f"/finance/invoices/{reader['id']}.xml",
        "/finance/invoices",
        "/finance/invoices/export.csv",
        f"/finance/statements/{reader['provider_id']}/2019-01.pdf",
    ]:
        assert client.get(url).status_code == 403, url


def test_finances_invoice_page_links_to_the_contract_and_keeps_its_buttons(app, client, make_user):
    with app.app_context():
        make_user(db.session, "okonomi@example.dk", "finance")
        invoice = sample_invoice(db.session)
        invoice_steps.attest(db.session, *ATTESTER, invoice.id, at(date(2019, 2, 4)))
        db.session.commit()
        invoice_id, contract_id, reference = (
            invoice.id,
            invoice.contract_id,
            invoice.contract.reference,
        )
    login(client, "okonomi@example.dk")
    page = PageParts(client.get(f"/finance/invoices/{invoice_id}").get_data(as_text=True))
    hrefs = {a.get("href") for a in page.find_all("a")}
    assert (
        f"/procurement/contracts/{contract_id}" in hrefs and "Godkend og tildel nummer" in page.text
    )
    listing = client.get("/finance/invoices?month=2019-01").get_data(as_text=True)
    assert f'<a href="/procurement/contracts/{contract_id}">{reference}</a>' in listing
    assert client.get(f"/procurement/contracts/{contract_id}").status_code == 200
