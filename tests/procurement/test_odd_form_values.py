"""Procurement's tender forms given values no person types, as `make fuzz`'s form posts found
them answering 500: the page answers in Danish, shows what was sent, and stores nothing."""

from __future__ import annotations

import html
from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import Contract, Tender
from contracts.services.demo import DEMO_PASSWORD, load_demo
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.pages import PageParts
from tests.procurement.conftest import set_clock

# More digits than a Decimal keeps (28), and than any number the portal shows grouped.
HUGE = "9" * 5000


def _demo_procurement(app):
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        contract_id = db.session.scalar(sa.select(Contract.id).order_by(Contract.id))
    set_clock(app, date(2019, 1, 24))
    client = app.test_client()
    assert login(client, "indkob@demo.dk", DEMO_PASSWORD).status_code == 302
    return client, contract_id


def _tenders(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Tender))


@pytest.mark.postgres
@pytest.mark.parametrize("contract_id", ["2147483648", "99999999999999999999"])
def test_a_retender_of_an_id_past_any_contract_asks_to_choose_one(pg_app, contract_id):
    client, _ = _demo_procurement(pg_app)
    before = _tenders(pg_app)
    token = csrf_token(client.get("/procurement/tenders/retender").get_data(as_text=True))
    answer = client.post(
        "/procurement/tenders/retender",
        data={"csrf_token": token, "title": "Genudbud", "contract_ids": contract_id},
    )
    assert answer.status_code == 422
    assert "mindst én aftale, der skal genudbydes" in html.unescape(answer.get_data(as_text=True))
    assert _tenders(pg_app) == before


def test_an_unticked_lot_with_a_number_too_long_to_write_comes_back_as_typed(app):
    """An unticked programme's fields are not checked, but the page drawn again for another
    problem shows them: a value of more digits than any number is shown as it was typed."""
    client, _ = _demo_procurement(app)
    before = _tenders(app)
    page = client.get("/procurement/tenders/new").get_data(as_text=True)
    form = next(f for f in PageParts(page).root.forms if f.method.upper() == "POST")
    sent = dict(form.form_values())
    sent.update({"title": "", "lots-0-estimated_value": HUGE})
    answer = client.post("/procurement/tenders/new", data=sent)
    assert answer.status_code == 422
    shown = PageParts(answer.get_data(as_text=True))
    assert "Giv udbuddet en titel." in shown.text
    [value] = shown.xpath("//input[@name='lots-0-estimated_value']/@value")
    assert value == HUGE
    assert _tenders(app) == before
