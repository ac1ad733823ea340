"""Who issues a contract's invoices, chosen when it is entered on the page, and a provider's
postal address, entered and changed on the provider form: what procurement sets for the
invoices' documents (DESIGN.md §6). The API's side is in tests/api."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Provider
from provider_portal.extensions import db
from tests.bodies import contract_form
from tests.conftest import csrf_token, login

PROVIDER = {"name": "Kursskifte ApS", "cvr": "29403473"}


@pytest.fixture
def staff(app, client, make_provider, make_user):
    """A procurement user logged in, beside one registered provider."""
    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        make_provider(db.session, name="Nyt Fodfæste A/S", cvr="13585628")
        db.session.commit()
    assert login(client, "indkob@example.dk").status_code == 302
    return client


@pytest.fixture
def world(app, staff) -> dict:
    with app.app_context():
        return {"provider_id": db.session.scalar(sa.select(Provider.id))}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _post(client, url: str, data: dict):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _contract(world, **changes) -> dict:
    return contract_form(world["provider_id"], **changes)


def test_a_contract_entered_on_the_page_is_self_billed_unless_chosen_otherwise(app, staff, world):
    form = _text(staff.get("/procurement/contracts/new"))
    assert "Fakturering" in form and "Leverandøren udsteder fakturaen" in form
    assert _post(staff, "/procurement/contracts/new", _contract(world)).status_code == 302
    other = _contract(world, reference="SÆR-2018-04", invoicing="provider_issued")
    assert _post(staff, "/procurement/contracts/new", other).status_code == 302
    with app.app_context():
        terms = dict(db.session.execute(sa.select(Contract.reference, Contract.invoicing)).all())
        ids = dict(db.session.execute(sa.select(Contract.reference, Contract.id)).all())
    assert terms == {"SÆR-2018-03": "self_billing", "SÆR-2018-04": "provider_issued"}
    page = " ".join(_text(staff.get(f"/procurement/contracts/{ids['SÆR-2018-03']}")).split())
    assert "Fakturering</dt><dd>Selvfakturering</dd>" in page
    page = " ".join(_text(staff.get(f"/procurement/contracts/{ids['SÆR-2018-04']}")).split())
    assert "Fakturering</dt><dd>Leverandøren udsteder fakturaen</dd>" in page


def test_an_unknown_invoicing_term_on_the_page_is_refused_and_nothing_stored(app, staff, world):
    response = _post(staff, "/procurement/contracts/new", _contract(world, invoicing="barter"))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contract)) == 0


def test_procurement_registers_a_provider_with_its_address(app, staff, world):
    address = {"street": "Tingbjerg Allé 4", "postcode": "2700", "city": "Brønshøj"}
    response = _post(staff, "/procurement/providers/new", {**PROVIDER, **address})
    assert response.status_code == 302
    with app.app_context():
        provider = db.session.scalars(
            sa.select(Provider).where(Provider.name == PROVIDER["name"])
        ).one()
        assert (provider.street, provider.postcode, provider.city) == tuple(address.values())
        provider_id = provider.id
    page = _text(staff.get(f"/procurement/providers/{provider_id}"))
    assert "Postadresse" in page and "Tingbjerg Allé 4" in page and "2700 Brønshøj" in page
    assert "Postnummer: – → 2700" in page  # the history names the address like the contact


def test_procurement_moves_a_provider_and_the_history_shows_old_and_new(app, staff, world):
    url = f"/procurement/providers/{world['provider_id']}/edit"
    form = _text(staff.get(url))
    assert "Vej og husnummer" in form and "Postnummer" in form and "By" in form
    moved = {"street": "Folehaven 12", "postcode": "2500", "city": "Valby"}
    with app.app_context():
        provider = db.session.get(Provider, world["provider_id"])
        current = {"name": provider.name, "cvr": provider.cvr}
    assert _post(staff, url, {**current, **moved}).status_code == 302
    with app.app_context():
        provider = db.session.get(Provider, world["provider_id"])
        assert (provider.street, provider.postcode, provider.city) == tuple(moved.values())
    page = _text(staff.get(f"/procurement/providers/{world['provider_id']}"))
    assert "By: – → Valby" in page and "Vej og husnummer: – → Folehaven 12" in page


@pytest.mark.parametrize("postcode", ["250", "25000", "DK-2500", "2a00"])
def test_a_wrong_postcode_is_refused_in_danish_next_to_the_field(app, staff, world, postcode):
    url = f"/procurement/providers/{world['provider_id']}/edit"
    with app.app_context():
        provider = db.session.get(Provider, world["provider_id"])
        current = {"name": provider.name, "cvr": provider.cvr}
    response = _post(staff, url, {**current, "postcode": postcode, "city": "Valby"})
    assert response.status_code == 422
    page = _text(response)
    assert f"Et postnummer har 4 cifre, fx 2400; “{postcode}” er ikke et postnummer." in page
    assert 'id="postcode-error"' in page
    with app.app_context():
        assert db.session.get(Provider, world["provider_id"]).city == ""
