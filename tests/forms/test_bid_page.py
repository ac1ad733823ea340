"""A bid typed on the page: read as Danes write it, shown back before it is placed, and never
Infinity (which once made the tender's pages answer 500 and the tender impossible to award)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Bid, Tender
from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.pages import PageParts
from tests.procurement.conftest import set_clock


@pytest.fixture
def bidder(app):
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        tender = db.session.scalars(sa.select(Tender)).one()
        url = f"/procurement/tenders/{tender.id}/lots/{tender.lots[2].id}/bid"
    set_clock(app, date(2019, 1, 24))
    client = app.test_client()
    login(client, "leverandor@demo.dk", "demo-password")
    return client, url, tender.id


def _send(client, url, monthly_fee, **extra):
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "monthly_fee": monthly_fee, "hourly_rate": "450,00"}
    return client.post(url, data={**data, "outcome_bonus": "15.000", **extra})


def _bids(app) -> list[Decimal]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Bid.monthly_fee)))


@pytest.mark.parametrize("typed", ["inf", "Infinity", "NaN", "1e5", "1_000"])
def test_a_bid_of_infinity_or_python_spellings_is_refused_in_danish_and_nothing_is_stored(
    app, bidder, typed
):
    client, url, tender_id = bidder
    before = _bids(app)
    refused = _send(client, url, typed, outcome_bonus="15000")
    assert refused.status_code == 422
    text = PageParts(refused.get_data(as_text=True)).text
    assert f"“{typed}” er ikke et tal: skriv det med cifre, fx 4.500,50." in text
    assert _bids(app) == before
    assert client.get(f"/procurement/tenders/{tender_id}").status_code == 200


def test_an_ambiguous_amount_is_asked_again_and_a_danish_one_is_shown_back_before_it_is_placed(
    app, bidder
):
    client, url, tender_id = bidder
    before = _bids(app)
    # 15.000 could be fifteen thousand or fifteen: asked again, nothing stored.
    asked = _send(client, url, "4.500,50")
    assert asked.status_code == 422
    assert "“15.000” kan betyde både 15000 og 15,00" in PageParts(asked.get_data(as_text=True)).text
    shown = _send(client, url, "4.500,50", outcome_bonus="15.000,00")
    assert shown.status_code == 200
    page = PageParts(shown.get_data(as_text=True)).text
    assert "Sådan bliver tilbuddet gemt" in page
    assert "4.500,50 kr." in page and "450,00 kr." in page and "15.000,00 kr." in page
    assert _bids(app) == before
    # "Ret beløbene" goes back to the form with the amounts as Danes write them.
    token = csrf_token(shown.get_data(as_text=True))
    stored = {"monthly_fee": "4500.50", "hourly_rate": "450.00", "outcome_bonus": "15000.00"}
    back = client.post(url, data={"csrf_token": token, **stored, "change": "1"})
    assert back.status_code == 200 and 'value="4.500,50"' in back.get_data(as_text=True)
    placed = client.post(url, data={"csrf_token": token, **stored, "confirmed": "yes"})
    assert placed.status_code == 302
    assert sorted(_bids(app)) == sorted([*before, Decimal("4500.50")])
    assert "4.500,50" in client.get(f"/procurement/tenders/{tender_id}").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e1"])
def test_quality_points_of_nan_or_infinity_are_refused_with_a_danish_notice(app, bidder, typed):
    _client, _url, tender_id = bidder
    staff = app.test_client()
    login(staff, "indkob@demo.dk", "demo-password")
    page = staff.get(f"/procurement/tenders/{tender_id}")
    sent = staff.post(
        f"/procurement/tenders/{tender_id}/evaluation",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "points-1": typed},
    )
    assert sent.status_code == 302
    shown = PageParts(staff.get(f"/procurement/tenders/{tender_id}").get_data(as_text=True)).text
    assert "Kvalitetspoint er tal fra 0 til 10." in shown
