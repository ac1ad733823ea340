"""A provider's invoice pages: its own invoices and credit notes only, read-only, with their PDFs;
another provider's invoice answers exactly like one that does not exist."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Invoice, Participant
from contracts.services.invoicing import invoice_contract_month
from provider_portal.extensions import db
from provider_portal.jobs import documents as documents_jobs
from tests.conftest import login
from tests.finance.demo_approvals import approve_invoice
from tests.finance.helpers import FINANCE, corrected_invoice, finance_actor
from tests.finance.queue import pdf_text, run_documents
from tests.pages import PageParts, text_of
from tests.scenarios import accepted_sample_month

OWN, OTHER = "koordinator@example.dk", "anden@example.dk"


@pytest.fixture
def books(app, make_user):
    """Two providers with the sample month's invoice each (drafts), a coordinator for each, and staff."""
    contract_ids = accepted_sample_month(app, contracts=2)
    with app.app_context():
        invoices = [invoice_contract_month(db.session, cid, "2019-01").id for cid in contract_ids]
        providers = [db.session.get(Contract, cid).provider_id for cid in contract_ids]
        make_user(db.session, OWN, "provider", providers[0])
        make_user(db.session, OTHER, "provider", providers[1])
        for role in ("procurement", "finance", "admin"):
            make_user(db.session, f"{role}@example.dk", role)
        db.session.commit()
    return {"own": invoices[0], "other": invoices[1], "contracts": contract_ids}


def _client(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _links(html: str) -> list[int]:
    """The invoices a page links to, in page order."""
    hrefs = PageParts(html).xpath("//a/@href")
    return [int(h.rsplit("/", 1)[1]) for h in hrefs if re.fullmatch(r"/provider/invoices/\d+", h)]


def test_a_provider_lists_exactly_its_own_invoices_with_drafts_marked(app, books):
    html = _client(app, OWN).get("/provider/invoices").get_data(as_text=True)
    text = PageParts(html).text
    assert _links(html) == [books["own"]]
    assert "SÆR-0" in text and "SÆR-1" not in text and "Leverandør 1" not in text
    assert "123.898,04 kr." in text and "99.118,43 kr." in text and "24.779,61 kr." in text
    assert f"Kladde {books['own']}" in text and "En kladde er ikke godkendt endnu" in text
    assert re.search(r'<a href="/provider/invoices" aria-current="page">Fakturaer</a>', html)


def test_the_invoice_page_shows_figures_and_lines_by_reference_and_no_actions(app, books):
    response = _client(app, OWN).get(f"/provider/invoices/{books['own']}")
    html = response.get_data(as_text=True)
    text = PageParts(html).text
    assert response.status_code == 200
    assert "I alt 123.898,04 kr." in text and "Dette er en kladde" in text
    # DL-2HB8R's line of the sample: 16 days, base fee, hours, outcome bonus, amount.
    assert "DL-2HB8R 16 60,00 4.903,23 kr. 2.700,00 kr. 15.000,00 kr. 22.603,23 kr." in text
    assert f'href="/provider/invoices/{books["own"]}.pdf"' in html
    assert "<form" not in html.split("<main", 1)[1] and "/finance/" not in html
    with app.app_context():
        pseudonyms = db.session.scalars(sa.select(Participant.pseudonym)).all()
        events = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "participants.viewed", AuditEvent.record_id == books["own"]
            )
        ).all()
    assert not any(p in html for p in pseudonyms)
    assert [e.actor_label for e in events] == [OWN]
    assert re.search(r'<a href="/provider/invoices" aria-current="page">Fakturaer</a>', html)


def test_a_provider_downloads_its_invoice_pdf(app, books):
    response = _client(app, OWN).get(f"/provider/invoices/{books['own']}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert (
        f'filename="faktura-kladde-{books["own"]}.pdf"' in response.headers["Content-Disposition"]
    )
    text = pdf_text(response.data)
    assert "123.898,04 kr." in text and "KLADDE – ikke godkendt" in text
    # The PDF names the participants: an audited read, once a day however often it is fetched.
    _client(app, OWN).get(f"/provider/invoices/{books['own']}.pdf")
    with app.app_context():
        pages = db.session.scalars(
            sa.select(AuditEvent.details).where(
                AuditEvent.action == "participants.viewed", AuditEvent.record_id == books["own"]
            )
        ).all()
    assert [d["page"] for d in pages] == ["provider.invoice_pdf"]


CSRF_TOKEN = re.compile(r'(?<=name="csrf_token" value=")[^"]+')


@pytest.mark.parametrize("suffix", ["", ".pdf", "/document", "/document/download"])
def test_another_providers_invoice_is_answered_like_a_missing_one(app, books, suffix):
    client = _client(app, OWN)
    answers = []
    for invoice_id in (books["other"], books["other"] + 1000):
        url = f"/provider/invoices/{invoice_id}{suffix}"
        response = client.get(url)
        # The page names its own address (the language switch returns to it), and its forms carry
        # a CSRF token signed with the second it was made; nothing else differs.
        body = CSRF_TOKEN.sub("TOKEN", response.get_data(as_text=True).replace(url, "URL"))
        answers.append((response.status_code, body))
    (foreign_status, foreign), (missing_status, missing) = answers
    assert foreign_status == missing_status == 404
    assert foreign == missing and "Fakturaen findes ikke." in foreign
    assert "Leverandør 1" not in foreign and "SÆR-1" not in foreign


def test_a_long_invoice_is_made_on_the_queue_and_only_its_provider_gets_it(app, books, monkeypatch):
    monkeypatch.setattr(documents_jobs, "INLINE_INVOICE_LINES", 5)  # the sample invoice has 7 lines
    client = _client(app, OWN)
    started = client.get(f"/provider/invoices/{books['own']}.pdf")
    page_url = f"/provider/invoices/{books['own']}/document"
    assert started.status_code == 302 and started.headers["Location"] == page_url
    assert 'data-status="queued"' in client.get(page_url).get_data(as_text=True)
    run_documents(app, monkeypatch)
    page = client.get(page_url).get_data(as_text=True)
    assert 'data-status="ready"' in page and f'href="{page_url}/download"' in page
    download = client.get(f"{page_url}/download")
    assert download.status_code == 200 and "123.898,04 kr." in pdf_text(download.data)
    # The made PDF is kept under the invoice's id; the other provider still gets nothing of it.
    other = _client(app, OTHER)
    assert other.get(page_url).status_code == 404
    assert other.get(f"{page_url}/download").status_code == 404


def test_credit_notes_are_marked_and_link_to_what_they_credit(app, books):
    with app.app_context():
        approve_invoice(
            db.session,
            books["own"],
            date(2019, 2, 5),
            (finance_actor(_user("finance@example.dk")), FINANCE),
        )
        approved = db.session.get(Invoice, books["own"])
        note, new = corrected_invoice(db.session, db.session.get(Invoice, approved.id))
        db.session.commit()
        note_id, new_id = note.id, new.id
    client = _client(app, OWN)
    html = client.get("/provider/invoices?month=2019-01").get_data(as_text=True)
    # Each invoice's row, by the invoice its first cell links to.
    rows = {
        int(link.get("href").rsplit("/", 1)[1]): text_of(link.xpath("ancestor::tr[1]")[0])
        for link in PageParts(html).xpath("//tr/td[1][@class = 'nowrap']/a[@href]")
        if re.fullmatch(r"/provider/invoices/\d+", link.get("href"))
    }
    assert set(rows) == {books["own"], note_id, new_id}
    assert "2019-000001" in rows[books["own"]] and "Krediteret" in rows[books["own"]]
    assert "↳ Kreditnota" in rows[note_id] and "Krediterer 2019-000001" in rows[note_id]
    assert "-123.898,04 kr." in rows[note_id]
    assert f'Krediterer <a href="/provider/invoices/{books["own"]}">2019-000001</a>' in html
    page = client.get(f"/provider/invoices/{books['own']}").get_data(as_text=True)
    assert f'Krediteret af <a href="/provider/invoices/{note_id}">' in page


def _user(email):
    from contracts.models import User

    return db.session.scalar(sa.select(User).where(User.email == email))


def test_the_filter_finds_by_contract_and_month_and_refuses_what_it_cannot_use(app, books):
    client = _client(app, OWN)
    own_contract, other_contract = books["contracts"]
    assert _links(
        client.get(f"/provider/invoices?contract_id={own_contract}&month=2019-01").get_data(
            as_text=True
        )
    ) == [books["own"]]
    assert _links(client.get("/provider/invoices?month=2019-02").get_data(as_text=True)) == []
    bad_month = client.get("/provider/invoices?month=januar")
    assert bad_month.status_code == 400
    assert "»januar« er ikke en måned" in bad_month.get_data(as_text=True)
    # Another provider's contract is refused exactly like one that does not exist.
    foreign = client.get(f"/provider/invoices?contract_id={other_contract}")
    missing = client.get(f"/provider/invoices?contract_id={other_contract + 1000}")
    assert foreign.status_code == missing.status_code == 400
    assert "Der er ingen aftale" in foreign.get_data(as_text=True)
    assert "SÆR-1" not in foreign.get_data(as_text=True)


@pytest.mark.parametrize("role", ["procurement", "finance", "admin"])
def test_staff_are_refused_the_provider_invoice_pages(app, books, role):
    client = _client(app, f"{role}@example.dk")
    for url in (
        "/provider/invoices",
        f"/provider/invoices/{books['own']}",
        f"/provider/invoices/{books['own']}.pdf",
        f"/provider/invoices/{books['own']}/document",
    ):
        assert client.get(url).status_code == 403, url
