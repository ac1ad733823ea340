"""The procurement contract page lists the contract's invoices and its invoiced net against the ceiling."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Contract, User
from contracts.services.contract_invoices import contract_invoices
from contracts.services.invoicing import credit, invoice_contract_month
from contracts.services.scope import Viewer
from tests.conftest import TEST_ACTOR
from tests.finance.demo_approvals import approve_invoice
from tests.pages import PageParts

# A contract whose December 2018 report is accepted on the demo's day (SÆR-2018-01's waits for review).
REFERENCE = "SÆR-2018-02"


def danish(amount: Decimal) -> str:
    """Written out here, not with the portal's helper: 1234567.5 -> 1.234.567,50 kr."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " kr."


@pytest.fixture
def invoiced(demo_app):
    """October to December 2018 invoiced, October approved, December credited; the ceiling
    set so that December's invoice crossed it."""
    from provider_portal.extensions import db

    with demo_app.app_context():
        session = db.session
        contract = session.scalar(sa.select(Contract).where(Contract.reference == REFERENCE))
        october = invoice_contract_month(session, contract.id, "2018-10")
        november = invoice_contract_month(session, contract.id, "2018-11")
        # Only December's invoice is made after the lowered ceiling, so only it crosses it.
        contract.ceiling = october.net + november.net + Decimal("1.00")
        december = invoice_contract_month(session, contract.id, "2018-12")
        finance = session.scalar(sa.select(User).where(User.role == "finance"))
        approve_invoice(
            session, october.id, date(2018, 11, 15), (TEST_ACTOR, Viewer(finance.id, "finance"))
        )
        note = credit(session, december)
        session.commit()
        return {
            "contract_id": contract.id,
            "provider_id": contract.provider_id,
            "number": october.number,
            "invoices": [(i.net, i.vat, i.total) for i in (october, november, december)],
            "so_far": october.net + november.net,
            "exceeds": [december.exceeds_ceiling, note.exceeds_ceiling],
        }


def test_contract_page_lists_invoices_in_danish_with_the_invoiced_net_so_far(client_as, invoiced):
    assert invoiced["exceeds"] == [True, False]  # the setup did what it says
    response = client_as("procurement").get(f"/procurement/contracts/{invoiced['contract_id']}")
    assert response.status_code == 200
    page = PageParts(response.get_data(as_text=True))
    text = page.text
    assert "Fakturaer og kreditnotaer" in text
    for net, vat, total in invoiced["invoices"]:
        assert danish(net) in text and danish(vat) in text and danish(total) in text
    assert invoiced["number"] and invoiced["number"] in text
    for month in ("oktober 2018", "november 2018", "december 2018"):
        assert month in text
    # November's and December's wait for attestation: the page leads to procurement's queue.
    assert "/procurement/invoices" in {a.get("href") for a in page.find_all("a")}
    assert "Kreditnota" in text and "Krediteret" in text and "Kladde" in text and "Godkendt" in text
    # Net, the credit note deducted: October and November only.
    assert f"Faktureret indtil nu (netto) {danish(invoiced['so_far'])}" in text
    assert text.count("Overskrider aftalens loft") == 1
    # Procurement may read an invoice's page, so each of the four numbers links to its own.
    links = [a["href"] for a in page.find_all("a") if (a.get("href") or "").startswith("/finance/")]
    assert len(links) == 4 and all(re.fullmatch(r"/finance/invoices/\d+", href) for href in links)


def test_contract_without_invoices_says_so(client_as, demo_app):
    from provider_portal.extensions import db

    with demo_app.app_context():
        contract_id = db.session.scalar(
            sa.select(Contract.id).where(Contract.reference == REFERENCE)
        )
    text = PageParts(
        client_as("procurement").get(f"/procurement/contracts/{contract_id}").get_data(as_text=True)
    ).text
    assert "Ingen fakturaer på kontrakten endnu." in text
    assert f"Faktureret indtil nu (netto) {danish(Decimal('0'))}" in text


def test_finance_reads_the_contract_page_with_links_to_its_invoices(client_as, invoiced):
    page = PageParts(
        client_as("finance")
        .get(f"/procurement/contracts/{invoiced['contract_id']}")
        .get_data(as_text=True)
    )
    assert f"Faktureret indtil nu (netto) {danish(invoiced['so_far'])}" in page.text
    assert (
        len(
            [
                a
                for a in page.find_all("a")
                if (a.get("href") or "").startswith("/finance/invoices/")
            ]
        )
        == 4
    )


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_only_staff_readers_reach_the_contract_page(client_as, invoiced, role):
    response = client_as(role).get(f"/procurement/contracts/{invoiced['contract_id']}")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert REFERENCE not in html
    assert not any(danish(net) in html for net, _vat, _total in invoiced["invoices"])


def test_another_providers_viewer_gets_none_of_the_contracts_invoices(demo_app, invoiced):
    from provider_portal.extensions import db

    with demo_app.app_context():
        contract = db.session.get(Contract, invoiced["contract_id"])
        other = Viewer(None, "provider", invoiced["provider_id"] + 1)
        own = Viewer(None, "provider", invoiced["provider_id"])
        seen_by_other = contract_invoices(db.session, other, contract)
        seen_by_own = contract_invoices(db.session, own, contract)
    assert seen_by_other.rows == [] and seen_by_other.invoiced_net == Decimal("0.00")
    assert len(seen_by_own.rows) == 4 and seen_by_own.invoiced_net == invoiced["so_far"]
