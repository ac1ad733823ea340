"""Milestone prices on the pages (DESIGN.md §15): procurement asks for them on a new tender's lot,
the demo's re-tender asks for them on youth placement, a provider bids the three amounts as
Danes write money, and the evaluation writes out each milestone's term."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Bid, Lot, Tender
from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.pages import PageParts
from tests.procurement.conftest import set_clock


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def demo(app, client):
    """The demo on its day; the re-tender and its youth-placement lot."""
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        tender = db.session.scalars(sa.select(Tender)).one()
        lot = next(x for x in tender.lots if x.programme.code == "youth-placement")
        ids = {"tender": tender.id, "lot": lot.id}
    set_clock(app, date(2019, 1, 24))
    return ids


def test_the_demo_retender_asks_for_milestone_prices_on_youth_placement(app, client, demo):
    with app.app_context():
        lots = db.session.scalars(sa.select(Lot).order_by(Lot.number)).all()
        asking = [(x.programme.code, x.expected_week13_rate, x.clawback_days) for x in lots]
    assert [a for a in asking if a[1] is not None] == [("youth-placement", Decimal("0.1000"), 91)]
    login(client, "indkob@demo.dk", "demo-password")
    page = PageParts(client.get(f"/procurement/tenders/{demo['tender']}").get_data(as_text=True))
    assert "13 uger 10,0 %, 26 uger 8,0 %; tilbagebetaling inden for 91 dage" in page.text


def test_a_provider_bids_milestone_prices_on_the_page(app, client, demo):
    url = f"/procurement/tenders/{demo['tender']}/lots/{demo['lot']}/bid"
    login(client, "leverandor@demo.dk", "demo-password")
    form = client.get(url)
    assert "Job eller uddannelse varede 13 uger" in _text(form)
    prices = {
        "csrf_token": csrf_token(form.get_data(as_text=True)),
        "monthly_fee": "1.750,00",
        "hourly_rate": "45",
        "outcome_bonus": "5.000,00",
    }
    # Without the later amounts the bid is not even shown back.
    missing = client.post(url, data={**prices, "week13": "7.500,00"})
    assert missing.status_code == 422 and "Angiv beløbet." in _text(missing)
    shown = client.post(url, data={**prices, "week13": "7.500,00", "week26": "10.000,50"})
    assert shown.status_code == 200 and "10.000,50" in _text(shown)
    placed = client.post(
        url, data={**prices, "week13": "7500.00", "week26": "10000.50", "confirmed": "yes"}
    )
    assert placed.status_code == 302
    with app.app_context():
        bid = db.session.scalars(sa.select(Bid)).one()
        assert (bid.outcome_bonus, bid.week13_amount, bid.week26_amount) == (
            Decimal("5000.00"),
            Decimal("7500.00"),
            Decimal("10000.50"),
        )
    mine = _text(client.get(f"/procurement/tenders/{demo['tender']}"))
    assert "7.500,00" in mine and "10.000,50" in mine

    # After the deadline procurement's evaluation writes out each milestone's term.
    client.post(
        "/logout", data={"csrf_token": csrf_token(client.get("/provider/").get_data(as_text=True))}
    )
    set_clock(app, date(2019, 3, 18))
    login(client, "indkob@demo.dk", "demo-password")
    page = PageParts(client.get(f"/procurement/tenders/{demo['tender']}").get_data(as_text=True))
    assert (
        "Evalueringspris = månedspris + 80,00 × timepris + 0,1500 × resultatbonus (start) "
        "+ 0,1000 × 13 uger + 0,0800 × 26 uger" in page.text
    )
    # 1750 + 80 × 45 + 0.15 × 5000 + 0.10 × 7500 + 0.08 × 10000.50 = 7650.04
    assert "7.650,04" in page.text


@pytest.fixture
def staff(client, world):
    assert login(client, "indkob@example.dk").status_code == 302
    return client


def _tender(**lot) -> dict:
    """A new tender with one lot, youth placement's, and the given milestone fields."""
    data = {
        "title": "Ungeindsats 2020",
        "procedure": "open",
        "contract_kind": "special_effort",
        "deadline": "2019-03-15T12:00",
        "contract_start_on": "2019-09-01",
        "contract_end_on": "2021-08-31",
        "lots-0-programme": "youth-placement",
        "lots-0-chosen": "y",
        "lots-0-expected_hours": "80",
        "lots-0-expected_outcome_rate": "15",
        "lots-0-w_price": "0,6",
        "lots-0-w_quality": "0,4",
        "lots-0-max_awards": "1",
    }
    return data | {f"lots-0-{name}": value for name, value in lot.items()}


def _post_new(client, data: dict):
    token = csrf_token(client.get("/procurement/tenders/new").get_data(as_text=True))
    return client.post("/procurement/tenders/new", data={"csrf_token": token, **data})


@pytest.fixture
def world(app, make_user):
    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    set_clock(app, date(2019, 1, 24))


def test_procurement_asks_for_milestone_prices_on_a_new_lot(app, staff):
    asked = _tender(
        milestone_prices="y",
        expected_week13_rate="10",
        expected_week26_rate="7,5",
        clawback_days="91",
    )
    assert _post_new(staff, asked).status_code == 302
    with app.app_context():
        lots = db.session.scalars(sa.select(Lot).order_by(Lot.number)).all()
        assert [
            (x.expected_week13_rate, x.expected_week26_rate, x.clawback_days) for x in lots
        ] == [(Decimal("0.1000"), Decimal("0.0750"), 91)]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"expected_week26_rate": ""}, "Angiv den forventede andel."),
        (
            {"expected_week13_rate": "20"},
            "Færre når en senere milepæl end en tidligere: de forventede andele skal være "
            "26 uger (0,07) ≤ 13 uger (0,2) ≤ start, resultatraten (0,15).",
        ),
    ],
)
def test_milestone_shares_missing_or_out_of_order_are_refused_in_danish(app, staff, changes, words):
    shares = {"expected_week13_rate": "10", "expected_week26_rate": "7"}
    response = _post_new(staff, _tender(milestone_prices="y", **(shares | changes)))
    assert response.status_code == 422
    assert words in _text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Tender)) == 0
