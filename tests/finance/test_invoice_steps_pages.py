"""Two steps, two people on the pages: procurement attests from its queue or the invoice's page,
finance returns with a reason (a short one answered in Danish), procurement sees it returned and
attests again, finance approves; the invoice's page shows every step. A provider issues a
provider-issued contract's draft from its own invoice page."""

from __future__ import annotations

import html as html_module

import pytest

from contracts.models import Contract, Invoice
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.finance.helpers import sample_invoice
from tests.pages import PageParts

REASON = "Timerne for DL-9XW3M stemmer ikke med indberetningen"


@pytest.fixture
def staff(app, make_user):
    """The sample invoice's id; a procurement officer, a finance officer and the provider's user."""
    with app.app_context():
        invoice = sample_invoice(db.session)
        make_user(db.session, "indkob@example.dk", "procurement")
        make_user(db.session, "okonomi@example.dk", "finance")
        make_user(db.session, "leverandor@example.dk", "provider", invoice.contract.provider_id)
        db.session.commit()
        return invoice.id


def client_of(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def post_form(client, page_url: str, action: str, **data):
    """Post the form on `page_url` whose action is `action`, as its button would."""
    page = client.get(page_url).get_data(as_text=True)
    assert PageParts(page).find_all("form", action=action), (action, page_url)
    return client.post(action, data={"csrf_token": csrf_token(page), **data}, follow_redirects=True)


def text(response) -> str:
    return PageParts(response.get_data(as_text=True)).text


def test_attest_return_attest_again_and_approve_on_the_pages(app, staff):
    page_url = f"/finance/invoices/{staff}"
    procurement = client_of(app, "indkob@example.dk")
    home = text(procurement.get("/procurement/"))
    assert "1 faktura eller kreditnota venter på attestation" in home
    queue = text(procurement.get("/procurement/invoices"))
    assert "SÆR-2018-03" in queue and "123.898,04 kr." in queue

    finance = client_of(app, "okonomi@example.dk")
    # Before attestation finance has no button to approve, and the page says what it waits for.
    before = finance.get(page_url).get_data(as_text=True)
    assert not PageParts(before).find_all("form", action=f"{page_url}/approve")
    assert "Venter på indkøbs attestation." in PageParts(before).text

    attested = post_form(
        procurement, "/procurement/invoices", f"/procurement/invoices/{staff}/attest", back="queue"
    )
    assert "Attesteret. Fakturaen venter nu på økonomis godkendelse." in text(attested)
    assert "Ingen fakturaer venter på attestation." in text(attested)

    short = post_form(finance, page_url, f"{page_url}/return", reason="forkert")
    assert short.status_code == 200
    assert "Skriv begrundelsen med mindst 10 tegn." in text(short)
    returned = post_form(finance, page_url, f"{page_url}/return", reason=REASON)
    assert "Sendt retur til attestation." in text(returned)

    queue = procurement.get("/procurement/invoices").get_data(as_text=True)
    assert REASON in html_module.unescape(queue)
    assert "1 af dem er sendt retur af økonomi." in text(procurement.get("/procurement/"))
    again = post_form(procurement, page_url, f"/procurement/invoices/{staff}/attest")
    assert "Attesteret: venter på økonomis godkendelse." in text(again)

    approved = post_form(finance, page_url, f"{page_url}/approve")
    assert "Godkendt som nummer 2019-000001." in text(approved)
    steps = PageParts(approved.get_data(as_text=True)).xpath("//tr[@data-step]")
    assert [row.get("data-step") for row in steps] == [
        "invoice.created",
        "invoice.attested",
        "invoice.returned",
        "invoice.attested",
        "invoice.approved",
    ]
    rows = [" ".join(row.text_content().split()) for row in steps]
    assert f"Begrundelse: {REASON}" in rows[2]
    assert "okonomi@example.dk" in rows[2] and "indkob@example.dk" in rows[3]
    assert "Nummer 2019-000001" in rows[4]
    # The invoice is final: no step is offered any more.
    final = PageParts(approved.get_data(as_text=True))
    assert not final.find_all("form", action=f"{page_url}/return")
    assert not final.find_all("form", action=f"/procurement/invoices/{staff}/attest")


def test_a_refused_step_is_a_danish_message_on_the_page_never_a_500(app, staff):
    finance = client_of(app, "okonomi@example.dk")
    page_url = f"/finance/invoices/{staff}"
    token = csrf_token(finance.get(page_url).get_data(as_text=True))
    early = finance.post(f"{page_url}/approve", data={"csrf_token": token}, follow_redirects=True)
    assert early.status_code == 200
    assert "Fakturaen er ikke attesteret" in text(early)
    wrong = finance.post(
        f"{page_url}/return", data={"csrf_token": token, "reason": REASON}, follow_redirects=True
    )
    assert wrong.status_code == 200 and "Kun en attesteret faktura kan sendes retur" in text(wrong)
    # Finance may not attest, procurement may not approve or return: refused by role.
    assert finance.post(
        f"/procurement/invoices/{staff}/attest", data={"csrf_token": token}
    ).status_code in (403,)
    procurement = client_of(app, "indkob@example.dk")
    token = csrf_token(procurement.get(page_url).get_data(as_text=True))
    for step in ("approve", "return"):
        assert procurement.post(f"{page_url}/{step}", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(Invoice, staff).status == "draft"


def test_the_provider_issues_a_provider_issued_draft_and_sees_self_billing_marked(app, staff):
    provider = client_of(app, "leverandor@example.dk")
    own = f"/provider/invoices/{staff}"
    assert "Selvfakturering" in text(provider.get(own))
    assert "Selvfakturering" in text(provider.get("/provider/invoices"))
    assert not PageParts(provider.get(own).get_data(as_text=True)).find_all(
        "form", action=f"{own}/issue"
    )
    with app.app_context():
        invoice = db.session.get(Invoice, staff)
        db.session.get(Contract, invoice.contract_id).invoicing = "provider_issued"
        db.session.commit()
    assert "Skal udstedes" in text(provider.get("/provider/invoices"))
    procurement = client_of(app, "indkob@example.dk")
    assert "SÆR-2018-03" not in text(procurement.get("/procurement/invoices"))
    issued = post_form(provider, own, f"{own}/issue")
    assert "Udstedt. Kommunen attesterer og godkender nu fakturaen." in text(issued)
    with app.app_context():
        assert db.session.get(Invoice, staff).status == "issued"
    assert "SÆR-2018-03" in text(procurement.get("/procurement/invoices"))
    again = post_form(
        procurement, f"/finance/invoices/{staff}", f"/procurement/invoices/{staff}/attest"
    )
    assert "Attesteret" in text(again)


def test_another_provider_cannot_issue_or_learn_of_the_invoice(
    app, staff, make_user, make_provider
):
    with app.app_context():
        invoice = db.session.get(Invoice, staff)
        db.session.get(Contract, invoice.contract_id).invoicing = "provider_issued"
        other = make_provider(db.session)
        make_user(db.session, "anden@example.dk", "provider", other.id)
        db.session.commit()
    stranger = client_of(app, "anden@example.dk")
    token = csrf_token(stranger.get("/provider/").get_data(as_text=True))
    refused = stranger.post(f"/provider/invoices/{staff}/issue", data={"csrf_token": token})
    assert refused.status_code == 404
    assert stranger.get(f"/provider/invoices/{staff}").status_code == 404
    with app.app_context():
        assert db.session.get(Invoice, staff).status == "draft"


def test_english_pages_name_the_steps(app, staff):
    procurement = client_of(app, "indkob@example.dk")
    token = csrf_token(procurement.get("/procurement/").get_data(as_text=True))
    procurement.post("/language", data={"csrf_token": token, "language": "en", "next": "/"})
    queue = text(procurement.get("/procurement/invoices"))
    assert "Invoices to attest" in queue and "Waiting for attestation" in queue
    page = text(procurement.get(f"/finance/invoices/{staff}"))
    assert "Attest the invoice" in page and "Made from the accepted report" in page
