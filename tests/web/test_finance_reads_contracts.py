"""Finance reads the contract list and a contract's page (DESIGN §1: read-only elsewhere); the
contract's actions, its provider page, its reports and its history stay procurement's."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import Amendment, Contract, Enrolment
from tests.conftest import csrf_token
from tests.pages import PageParts


@pytest.fixture
def running(demo_app) -> dict:
    """A running demo contract with no successor: procurement's page offers every action on it."""
    from provider_portal.extensions import db

    with demo_app.app_context():
        contract = db.session.scalar(
            sa.select(Contract)
            .where(Contract.successor == None)  # noqa: E711
            .where(Contract.end_on >= sa.func.date("2019-01-24"))
            .order_by(Contract.end_on)
        )
        return {
            "id": contract.id,
            "reference": contract.reference,
            "provider_id": contract.provider_id,
        }


ACTIONS = ("/extend", "/refer")


def _links(client, path: str) -> set[str]:
    return {
        a["href"]
        for a in PageParts(client.get(path).get_data(as_text=True)).find_all("a")
        if a.get("href")
    }


def test_procurement_is_offered_the_actions(client_as, running):
    page = PageParts(
        client_as("procurement")
        .get(f"/procurement/contracts/{running['id']}")
        .get_data(as_text=True)
    )
    assert page.find_all("p", class_="actions") and "Henvis en borger" in page.text
    links = {a["href"] for a in page.find_all("a") if a.get("href")}
    assert {f"/procurement/contracts/{running['id']}{a}" for a in ACTIONS} <= links
    assert f"/procurement/tenders/retender?contract_id={running['id']}" in links


def test_finance_reads_the_contract_page_without_its_actions(client_as, running):
    client = client_as("finance")
    response = client.get(f"/procurement/contracts/{running['id']}")
    assert response.status_code == 200
    page = PageParts(response.get_data(as_text=True))
    assert running["reference"] in page.text and "Priser" in page.text
    assert not page.find_all("p", class_="actions") and "Henvis en borger" not in page.text
    links = {a["href"] for a in page.find_all("a") if a.get("href")}
    # No link on the page leads finance to a page it would be refused.
    assert not [
        h
        for h in links
        if "/extend" in h
        or "/refer" in h
        or "retender" in h
        or h.startswith("/procurement/providers")
        or "/reports/" in h
    ]
    for href in links:
        if href.startswith(("/procurement/", "/finance/")):
            assert client.get(href).status_code == 200, href
    assert "Historik" not in page.text  # procurement's audit history is not shown as empty


def test_finance_reads_the_contract_list_without_procurements_buttons(client_as, running):
    client = client_as("finance")
    links = _links(client, "/procurement/contracts")
    assert f"/procurement/contracts/{running['id']}" in links
    assert (
        "/procurement/contracts/new" not in links and "/procurement/tenders/retender" not in links
    )


@pytest.mark.parametrize("role", ["finance", "provider", "admin"])
def test_the_actions_refuse_everyone_but_procurement(demo_app, client_as, running, role):
    from provider_portal.extensions import db

    client = client_as(role)
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    with demo_app.app_context():
        before = (
            db.session.get(Contract, running["id"]).end_on,
            db.session.scalar(sa.select(sa.func.count(Amendment.id))),
            db.session.scalar(sa.select(sa.func.count(Enrolment.id))),
        )
    base = f"/procurement/contracts/{running['id']}"
    forms = {
        f"{base}/extend": {"end_date": "2030-01-01", "reason": "Forlænget efter option"},
        f"{base}/refer": {"cpr": "0101901234", "start_date": "2019-02-01"},
        f"/procurement/tenders/retender?contract_id={running['id']}": {
            "contract_ids": str(running["id"])
        },
    }
    for url, data in forms.items():
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    with demo_app.app_context():
        after = (
            db.session.get(Contract, running["id"]).end_on,
            db.session.scalar(sa.select(sa.func.count(Amendment.id))),
            db.session.scalar(sa.select(sa.func.count(Enrolment.id))),
        )
    assert after == before


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_providers_and_admin_still_reach_no_contract_or_staff_invoice_page(
    demo_app, client_as, running, role
):
    from contracts.services.invoicing import invoice_contract_month
    from provider_portal.extensions import db

    with demo_app.app_context():
        invoice = invoice_contract_month(db.session, running["id"], "2018-12")
        db.session.commit()
        invoice_id = invoice.id
    client = client_as(role)
    for url in [
        "/procurement/contracts",
        f"/procurement/contracts/{running['id']}",
        f"/finance/invoices/{invoice_id}",
        f"/finance/invoices/{invoice_id}.pdf",
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert running["reference"] not in response.get_data(as_text=True), url
