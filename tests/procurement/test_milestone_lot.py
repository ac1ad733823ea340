"""A lot that asks for milestone prices (DESIGN.md §15), through the API: the bids price start,
week13 and week26, the evaluation price weighs each by the lot's expected share, and the contract
made from the winning bid is paid by those milestones with the lot's clawback days."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from contracts.models import AuditEvent, Bid
from tests.api.conftest import count
from tests.bodies import LOT, PRICES, TENDER
from tests.conftest import VALID_CVRS
from tests.procurement.conftest import set_clock

SHARES = {"expected_week13_rate": "0.10", "expected_week26_rate": "0.07", "clawback_days": 91}
MILESTONE_LOT = {**LOT, **SHARES}
# A: cheap start, dear lasting results; B: the reverse, with an amount that needs rounding.
BID_A = {
    "monthly_fee": "10000.00",
    "hourly_rate": "40.00",
    "outcome_bonus": "4000.00",
    "milestones": [
        {"code": "week13", "amount": "6000.00"},
        {"code": "week26", "amount": "8000.00"},
    ],
}
BID_B = {
    "monthly_fee": "9000.00",
    "hourly_rate": "45.00",
    "outcome_bonus": "10000.00",
    "milestones": [
        {"code": "start", "amount": "10000.00"},
        {"code": "week13", "amount": "5000.00"},
        {"code": "week26", "amount": "5555.55"},
    ],
}


def _price(fee, rate, start, week13, week26) -> Decimal:
    """The evaluation price worked by hand: fee + 80 h × rate + Σ share × amount, half up."""
    exact = (
        Decimal(fee)
        + Decimal(80) * Decimal(rate)
        + Decimal("0.15") * Decimal(start)
        + Decimal("0.10") * Decimal(week13)
        + Decimal("0.07") * Decimal(week26)
    )
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def world(app, api, make_token):
    """Procurement and two bidders, A and B, of providers of their own; today 24 January 2019."""
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")
    world = {"staff": staff, "ids": []}
    for n, key in enumerate("ab"):
        body = {"name": f"Bud {key.upper()}", "cvr": VALID_CVRS[n]}
        provider = api("POST", "/api/v1/providers", staff, body)[1]["id"]
        world["ids"].append(provider)
        world[key] = make_token(app, f"{key}@example.dk", "provider", provider)
    return world


def _published(api, staff, lots) -> dict:
    status, tender = api("POST", "/api/v1/tenders", staff, {**TENDER, "lots": lots})
    assert status == 201, tender
    assert api("POST", f"/api/v1/tenders/{tender['id']}/publish", staff)[0] == 200
    return tender


def test_a_milestone_lot_from_bids_to_a_contract_paid_by_milestones(app, api, world):
    staff = world["staff"]
    tender = _published(api, staff, [MILESTONE_LOT])
    tid, lot = tender["id"], tender["lots"][0]
    assert lot["milestone_prices"] is True
    assert (lot["expected_week13_rate"], lot["expected_week26_rate"]) == ("0.10", "0.07")
    assert lot["clawback_days"] == 91
    url = f"/api/v1/tenders/{tid}/lots/{lot['id']}/bid"

    status, mine = api("PUT", url, world["a"], BID_A)
    assert status == 200, mine
    assert mine["milestones"] == [
        {"code": "start", "amount": "4000.00"},
        {"code": "week13", "amount": "6000.00"},
        {"code": "week26", "amount": "8000.00"},
    ]
    assert api("PUT", url, world["b"], BID_B)[0] == 200

    # Sealed: procurement sees no bid, the other bidder not A's amounts.
    assert api("GET", f"/api/v1/tenders/{tid}/bids", staff)[1]["total"] == 0
    seen_by_b = api("GET", f"/api/v1/tenders/{tid}/bids", world["b"])[1]["items"]
    assert len(seen_by_b) == 1 and "6000.00" not in str(seen_by_b)

    set_clock(app, date(2019, 3, 18))
    bids = {
        b["provider"]["id"]: b["id"]
        for b in api("GET", f"/api/v1/tenders/{tid}/bids", staff)[1]["items"]
    }
    points = [
        {"bid_id": bids[world["ids"][0]], "points": "6.00", "reason": "Nogenlunde"},
        {"bid_id": bids[world["ids"][1]], "points": "9.00", "reason": "Stærk metode"},
    ]
    status, evaluation = api(
        "POST", f"/api/v1/tenders/{tid}/evaluation", staff, {"quality_points": points}
    )
    assert status == 200, evaluation
    table = evaluation["lots"][0]
    assert (table["expected_week13_rate"], table["expected_week26_rate"]) == ("0.10", "0.07")
    by_provider = {line["provider"]["id"]: line for line in table["lines"]}
    a, b = by_provider[world["ids"][0]], by_provider[world["ids"][1]]
    # A: 10000 + 3200 + 600 + 600 + 560 = 14960.00; B: 9000 + 3600 + 1500 + 500 + 388.8885.
    price_a = _price("10000.00", "40.00", "4000.00", "6000.00", "8000.00")
    price_b = _price("9000.00", "45.00", "10000.00", "5000.00", "5555.55")
    assert (price_a, price_b) == (Decimal("14960.00"), Decimal("14988.89"))
    assert (a["evaluation_price"], b["evaluation_price"]) == (str(price_a), str(price_b))
    assert table["lowest_evaluation_price"] == "14960.00"
    assert b["price_points"] == "9.98"  # 10 × 14960 / 14988.89 = 9.9807…
    assert (a["total"], b["total"]) == ("8.40", "9.59")  # 0.6 × 10 + 0.4 × 6; 0.6 × 9.98 + 0.4 × 9
    assert [line["provider"]["id"] for line in table["lines"]] == world["ids"][::-1]
    assert [m["amount"] for m in b["milestones"]] == ["10000.00", "5000.00", "5555.55"]

    assert api("POST", f"/api/v1/tenders/{tid}/award", staff)[0] == 200
    set_clock(app, date(2019, 3, 29))
    status, concluded = api("POST", f"/api/v1/tenders/{tid}/conclude", staff)
    assert status == 200, concluded
    (contract,) = concluded["contracts"]
    assert contract["provider"]["id"] == world["ids"][1]
    assert contract["outcome_bonus"] == "10000.00"
    assert contract["milestones"] == BID_B["milestones"]
    assert contract["clawback_days"] == 91
    # The contract's own page in the API says the same.
    again = api("GET", f"/api/v1/contracts/{contract['id']}", staff)[1]
    assert again["milestones"] == BID_B["milestones"] and again["clawback_days"] == 91


def test_a_plain_lot_is_priced_and_concluded_as_before(app, api, world):
    staff = world["staff"]
    tender = _published(api, staff, [LOT])
    lot = tender["lots"][0]
    assert lot["milestone_prices"] is False and lot["clawback_days"] is None
    url = f"/api/v1/tenders/{tender['id']}/lots/{lot['id']}/bid"
    status, body = api("PUT", url, world["a"], {**PRICES, "milestones": BID_A["milestones"]})
    assert status == 422
    assert "does not ask for milestone prices" in body["errors"][0]["message"]
    status, bid = api("PUT", url, world["a"], PRICES)
    assert status == 200 and bid["milestones"] == [{"code": "start", "amount": "20000.00"}]
    set_clock(app, date(2019, 3, 18))
    status, evaluation = api(
        "POST",
        f"/api/v1/tenders/{tender['id']}/evaluation",
        staff,
        {"quality_points": [{"bid_id": bid["id"], "points": "5.00", "reason": "Godt"}]},
    )
    # 9000 + 80 × 45 + 0.15 × 20000
    assert evaluation["lots"][0]["lines"][0]["evaluation_price"] == "15600.00"
    assert evaluation["lots"][0]["expected_week13_rate"] is None
    assert api("POST", f"/api/v1/tenders/{tender['id']}/award", staff)[0] == 200
    set_clock(app, date(2019, 3, 29))
    (contract,) = api("POST", f"/api/v1/tenders/{tender['id']}/conclude", staff)[1]["contracts"]
    assert contract["milestones"] == [{"code": "start", "amount": "20000.00"}]
    assert contract["clawback_days"] is None


@pytest.mark.parametrize(
    ("milestones", "words"),
    [
        ([{"code": "week13", "amount": "6000.00"}], "give the amount of the week26 milestone"),
        ([], "give the amount of the week13 milestone"),
        (
            [{"code": "start", "amount": "1.00"}] + BID_A["milestones"],
            "the start milestone is the outcome bonus",
        ),
        (
            [{"code": "week13", "amount": "-1.00"}, {"code": "week26", "amount": "1.00"}],
            "must not be negative",
        ),
    ],
)
def test_a_bid_on_a_milestone_lot_without_its_amounts_is_422(app, api, world, milestones, words):
    tender = _published(api, world["staff"], [MILESTONE_LOT])
    url = f"/api/v1/tenders/{tender['id']}/lots/{tender['lots'][0]['id']}/bid"
    before = count(app, Bid), count(app, AuditEvent)
    status, body = api("PUT", url, world["a"], {**BID_A, "milestones": milestones})
    assert status == 422, body
    assert any(words in e["message"] for e in body["errors"]), body
    assert all(e["field"] == "milestones" for e in body["errors"])
    assert (count(app, Bid), count(app, AuditEvent)) == before


@pytest.mark.parametrize(
    ("shares", "field", "words"),
    [
        (
            {"expected_week13_rate": "0.20", "expected_week26_rate": "0.07"},
            "lots.1.expected_week13_rate",
            "13 weeks (0.20) ≤ start, the outcome rate (0.15)",
        ),
        (
            {"expected_week13_rate": "0.10", "expected_week26_rate": "0.12"},
            "lots.1.expected_week13_rate",
            "26 weeks (0.12) ≤ 13 weeks (0.10)",
        ),
        ({"expected_week13_rate": "0.10"}, "lots.1.expected_week26_rate", "both 13 and 26 weeks"),
        ({"clawback_days": 91}, "lots.1.clawback_days", "asks for milestone prices"),
    ],
)
def test_lot_shares_out_of_order_are_422(app, api, world, shares, field, words):
    status, body = api(
        "POST", "/api/v1/tenders", world["staff"], {**TENDER, "lots": [{**LOT, **shares}]}
    )
    assert status == 422, body
    assert [e["field"] for e in body["errors"]] == [field]
    assert words in body["errors"][0]["message"]


def test_a_draft_lot_is_changed_to_ask_for_milestone_prices_and_back(app, api, world):
    staff = world["staff"]
    status, tender = api("POST", "/api/v1/tenders", staff, TENDER)
    url = f"/api/v1/tenders/{tender['id']}/lots/{tender['lots'][0]['id']}"
    status, lot = api("PATCH", url, staff, SHARES)
    assert status == 200, lot
    assert lot["milestone_prices"] is True and lot["clawback_days"] == 91
    status, body = api("PATCH", url, staff, {"expected_outcome_rate": "0.05"})
    assert status == 422 and "≤ start, the outcome rate (0.05)" in body["errors"][0]["message"]
    off = {"expected_week13_rate": None, "expected_week26_rate": None, "clawback_days": None}
    status, lot = api("PATCH", url, staff, off)
    assert status == 200 and lot["milestone_prices"] is False
