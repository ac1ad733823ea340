"""The invoice API: scoped reads, PDF and e-invoice downloads, approval with its number."""

from __future__ import annotations

import subprocess

import pytest

from contracts.models import AuditEvent
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.finance.documents import three_layers
from tests.finance.helpers import sample_invoice


@pytest.fixture
def invoice_id(app):
    with app.app_context():
        invoice = sample_invoice(db.session)
        db.session.commit()
        return invoice.id


def attest(app, client, make_token, invoice_id):
    """Procurement attests the invoice through the API, as approval needs."""
    buyer = make_token(app, "indkob@example.dk", "procurement")
    attested = client.post(f"/api/v1/invoices/{invoice_id}/attest", headers=bearer(buyer))
    assert attested.status_code == 200, attested.get_json()


def provider_id_of(app, invoice_id):
    from contracts.models import Contract, Invoice

    with app.app_context():
        return db.session.get(Contract, db.session.get(Invoice, invoice_id).contract_id).provider_id


def test_finance_reads_the_invoice_as_design_section_8_says(app, client, make_token, invoice_id):
    token = make_token(app, "okonomi@example.dk", "finance")
    body = client.get(f"/api/v1/invoices/{invoice_id}", headers=bearer(token)).get_json()
    assert {
        k: body[k]
        for k in ("id", "kind", "number", "status", "month", "version", "net", "vat", "total")
    } == {
        "id": invoice_id,
        "kind": "invoice",
        "number": None,
        "status": "draft",
        "month": "2019-01",
        "version": 1,
        "net": "99118.43",
        "vat": "24779.61",
        "total": "123898.04",
    }
    line = next(line for line in body["lines"] if line["participant_ref"] == "DL-2HB8R")
    assert {k: line[k] for k in ("days", "base_fee", "hours_amount", "bonus", "amount")} == {
        "days": 16,
        "base_fee": "4903.23",
        "hours_amount": "2700.00",
        "bonus": "15000.00",
        "amount": "22603.23",
    }
    listed = client.get(
        f"/api/v1/invoices?month=2019-01&contract_id={body['contract_id']}", headers=bearer(token)
    )
    assert [i["id"] for i in listed.get_json()["items"]] == [invoice_id]
    assert client.get("/api/v1/invoices?month=2019-02", headers=bearer(token)).get_json() == {
        "items": [],
        "page": 1,
        "pages": 1,
        "total": 0,
    }
    assert client.get("/api/v1/invoices?month=2019-13", headers=bearer(token)).status_code == 422


def test_approve_then_download_pdf_and_a_valid_e_invoice(app, client, make_token, invoice_id):
    token = make_token(app, "okonomi@example.dk", "finance")
    assert (
        client.get(f"/api/v1/invoices/{invoice_id}.xml", headers=bearer(token)).status_code == 409
    )
    attest(app, client, make_token, invoice_id)
    approved = client.post(f"/api/v1/invoices/{invoice_id}/approve", headers=bearer(token), json={})
    assert approved.status_code == 200, approved.get_json()
    assert (approved.get_json()["number"], approved.get_json()["status"]) == (
        "2019-000001",
        "approved",
    )
    again = client.post(f"/api/v1/invoices/{invoice_id}/approve", headers=bearer(token), json={})
    assert again.status_code == 409

    document = client.get(f"/api/v1/invoices/{invoice_id}.pdf", headers=bearer(token))
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    assert 'filename="faktura-2019-000001.pdf"' in document.headers["Content-Disposition"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=document.data, capture_output=True, check=True
    ).stdout
    assert b"123.898,04" in text

    xml = client.get(f"/api/v1/invoices/{invoice_id}.xml", headers=bearer(token))
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    assert three_layers().validate(xml.data).valid
    with app.app_context():
        assert (
            db.session.query(AuditEvent)
            .filter_by(action="invoice.approved", record_id=invoice_id)
            .count()
            == 1
        )


def test_a_provider_sees_its_own_invoices_and_nothing_of_others(
    app, client, make_token, invoice_id
):
    own = make_token(app, "leverandor@example.dk", "provider", provider_id_of(app, invoice_id))
    assert client.get(f"/api/v1/invoices/{invoice_id}", headers=bearer(own)).status_code == 200
    assert client.get(f"/api/v1/invoices/{invoice_id}.pdf", headers=bearer(own)).status_code == 200
    assert (
        client.post(
            f"/api/v1/invoices/{invoice_id}/approve", headers=bearer(own), json={}
        ).status_code
        == 403
    )
    with app.app_context():
        from contracts.models import Provider

        other = Provider(name="Anden ApS", cvr="29403473")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    stranger = make_token(app, "anden@example.dk", "provider", other_id)
    for suffix in ("", ".pdf", ".xml"):
        response = client.get(f"/api/v1/invoices/{invoice_id}{suffix}", headers=bearer(stranger))
        assert response.status_code == 404 and response.is_json
    assert client.get("/api/v1/invoices", headers=bearer(stranger)).get_json() == {
        "items": [],
        "page": 1,
        "pages": 1,
        "total": 0,
    }
    admin = make_token(app, "admin@example.dk", "admin")
    assert client.get(f"/api/v1/invoices/{invoice_id}", headers=bearer(admin)).status_code == 403


def test_procurement_reads_but_does_not_approve(app, client, make_token, invoice_id):
    token = make_token(app, "indkob@example.dk", "procurement")
    assert (
        client.get("/api/v1/invoices", headers=bearer(token)).get_json()["items"][0]["id"]
        == invoice_id
    )
    assert (
        client.post(
            f"/api/v1/invoices/{invoice_id}/approve", headers=bearer(token), json={}
        ).status_code
        == 403
    )


def test_a_ceiling_crossing_needs_its_reason_through_the_api(app, client, make_token, invoice_id):
    from contracts.models import Invoice

    with app.app_context():
        db.session.get(Invoice, invoice_id).exceeds_ceiling = True
        db.session.commit()
    token = make_token(app, "okonomi@example.dk", "finance")
    attest(app, client, make_token, invoice_id)
    refused = client.post(f"/api/v1/invoices/{invoice_id}/approve", headers=bearer(token), json={})
    assert (
        refused.status_code == 409 and refused.get_json()["errors"][0]["field"] == "ceiling_reason"
    )
    approved = client.post(
        f"/api/v1/invoices/{invoice_id}/approve",
        headers=bearer(token),
        json={"ceiling_reason": "Tillægsaftale om udvidet ramme"},
    )
    assert approved.get_json()["number"] == "2019-000001"
