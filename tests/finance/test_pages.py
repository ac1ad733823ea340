"""The invoice desk as finance uses it: filter, open, approve (ceiling's second look), download, export."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from contracts.models import AuditEvent, Invoice
from contracts.services import invoice_steps
from contracts.services.approval import MIN_CEILING_REASON
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.finance.demo_approvals import ATTESTER
from tests.finance.helpers import at, corrected_invoice, sample_invoice
from tests.finance.queue import pdf_text, queued_pdf
from tests.pages import PageParts


@pytest.fixture
def desk(app, finance):
    """The sample invoice's id, attested by procurement, with finance logged in."""
    with app.app_context():
        invoice = sample_invoice(db.session)
        invoice_steps.attest(db.session, *ATTESTER, invoice.id, at(date(2019, 2, 4)))
        db.session.commit()
        return invoice.id


def test_finance_approves_from_the_desk_and_downloads_the_documents(app, client, desk, monkeypatch):
    listing = client.get("/finance/invoices?month=2019-01&status=attested").get_data(as_text=True)
    assert "123.898,04 kr." in listing and "SÆR-2018-03" in listing
    page = client.get(f"/finance/invoices/{desk}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "DL-2HB8R" in html and "22.603,23 kr." in html
    approved = client.post(
        f"/finance/invoices/{desk}/approve",
        data={"csrf_token": csrf_token(html)},
        follow_redirects=True,
    )
    assert "2019-000001" in approved.get_data(as_text=True)
    assert (
        client.get("/finance/invoices?status=attested").get_data(as_text=True).count("123.898,04")
        == 0
    )
    document = client.get(f"/finance/invoices/{desk}.pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=document.data, capture_output=True, check=True
    ).stdout
    assert b"123.898,04" in text and b"2019-000001" in text
    assert client.get(f"/finance/invoices/{desk}.xml").data.startswith(b"<?xml")
    with app.app_context():
        provider_id = db.session.get(Invoice, desk).contract.provider_id
    statement = queued_pdf(
        app, client, monkeypatch, f"/finance/statements/{provider_id}/2019-01.pdf"
    )
    assert "123.898,04" in pdf_text(statement)


def test_each_line_links_to_its_report_line_and_credit_notes_sit_beside_what_they_credit(
    app, client, desk
):
    with app.app_context():
        note, _new = corrected_invoice(db.session, db.session.get(Invoice, desk))
        db.session.commit()
        note_id = note.id
    html = client.get(f"/finance/invoices/{desk}").get_data(as_text=True)
    [link] = PageParts(html).xpath(
        "//a[starts-with(@href, '/finance/report-lines/')][normalize-space() = 'DL-9XW3M']/@href"
    )
    line = client.get(link).get_data(as_text=True)
    assert "148,00" in line and "DL-9XW3M" in line
    listing = client.get("/finance/invoices?month=2019-01").get_data(as_text=True)
    hrefs = PageParts(listing).xpath("//a/@href")
    order = [int(h.rsplit("/", 1)[1]) for h in hrefs if re.fullmatch(r"/finance/invoices/\d+", h)]
    assert order.index(note_id) == order.index(desk) + 1


def test_a_ceiling_crossing_is_approved_only_with_a_reason(app, client, desk):
    with app.app_context():
        db.session.get(Invoice, desk).exceeds_ceiling = True
        db.session.commit()
    html = client.get(f"/finance/invoices/{desk}").get_data(as_text=True)
    assert 'name="ceiling_reason"' in html
    refused = client.post(
        f"/finance/invoices/{desk}/approve",
        data={"csrf_token": csrf_token(html)},
        follow_redirects=True,
    )
    assert refused.status_code == 200
    assert "Fakturaen bringer aftalen over loftet." in refused.get_data(as_text=True)
    short = client.post(
        f"/finance/invoices/{desk}/approve",
        data={"csrf_token": csrf_token(html), "ceiling_reason": "ok"},
        follow_redirects=True,
    )
    assert f"Skriv begrundelsen med mindst {MIN_CEILING_REASON} tegn." in short.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(Invoice, desk).number is None
    client.post(
        f"/finance/invoices/{desk}/approve",
        data={"csrf_token": csrf_token(html), "ceiling_reason": "Rammen er udvidet ved tillæg"},
    )
    with app.app_context():
        assert db.session.get(Invoice, desk).number == "2019-000001"


def test_exports_are_audited_and_open_in_excel(app, client, desk):
    csv = client.get("/finance/invoices/export.csv?month=2019-01")
    assert csv.data.startswith(b"\xef\xbb\xbf") and b"123898,04" in csv.data
    xlsx = client.get("/finance/invoices/export.xlsx?month=2019-01")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["D2"].value == "Nyt Fodfæste A/S" and float(sheet["M2"].value) == 123898.04
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="invoices.exported").all()
        assert sorted(e.details["format"] for e in events) == ["csv", "xlsx"]
        assert all(
            e.details["month_from"] == e.details["month_to"] == "2019-01"
            and e.actor_label == "okonomi@example.dk"
            for e in events
        )


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_only_finance_uses_the_desk(app, client, make_user, make_provider, role):
    with app.app_context():
        invoice = sample_invoice(db.session)
        provider_id = make_provider(db.session).id if role == "provider" else None
        make_user(db.session, "x@example.dk", role, provider_id)
        db.session.commit()
        invoice_id = invoice.id
    login(client, "x@example.dk")
    for url in [
        "/finance/invoices",
        f"/finance/invoices/{invoice_id}",
        f"/finance/invoices/{invoice_id}.pdf",
        "/finance/invoices/export.csv",
    ]:
        assert client.get(url).status_code == 403, url
    # A token from the role's own home, so that the refusal is the role's, not the CSRF check's.
    token = csrf_token(client.get(f"/{role}/").get_data(as_text=True))
    approve = client.post(f"/finance/invoices/{invoice_id}/approve", data={"csrf_token": token})
    assert approve.status_code == 403
    with app.app_context():
        assert db.session.get(Invoice, invoice_id).status == "draft"
