"""The seed's story through the API: four special-effort agreements extended to 31 August 2019,
re-tendered for 1 September 2019, bid on, evaluated, awarded, concluded, and changed over."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import sqlalchemy as sa

from contracts.models import Contract, Enrolment
from contracts.services.figures import effort_totals
from provider_portal.extensions import db
from provider_portal.procurement.commands import register as register_commands
from tests.bodies import contract_body
from tests.conftest import VALID_CVRS
from tests.procurement.conftest import set_clock

PROGRAMMES = ["youth-bridging", "youth-placement", "adult-employment", "utility-work"]
# (CPR, programme index): made up, valid dates; the young are under 30, the adult over 30.
CITIZENS = [
    ("010200-4321", 0),
    ("020301-4235", 1),
    ("150785-1234", 2),
    ("160784-2345", 2),
    ("030390-3456", 3),
]


def test_the_seed_story_from_extension_to_changeover(app, api, make_token):
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")

    providers = []
    for n in range(4):
        status, body = api(
            "POST",
            "/api/v1/providers",
            staff,
            {"name": f"Leverandør {n + 1}", "cvr": VALID_CVRS[n]},
        )
        assert status == 201, body
        providers.append(body["id"])
    status, newcomer = api(
        "POST", "/api/v1/providers", staff, {"name": "Nyt Spor ApS", "cvr": VALID_CVRS[4]}
    )
    assert status == 201
    bidder_a = make_token(app, "a@example.dk", "provider", providers[2])  # runs the adult agreement
    bidder_b = make_token(app, "b@example.dk", "provider", newcomer["id"])

    # Four contracts, each extended to 31 August 2019 by an amendment.
    contracts = []
    for provider_id, code in zip(providers, PROGRAMMES, strict=True):
        body = contract_body(provider_id, programme=code, hourly_rate="48.00", ceiling="3000000.00")
        status, body = api("POST", "/api/v1/contracts", staff, body)
        assert status == 201, body
        contracts.append(body["id"])
    for contract_id in contracts:
        status, body = api(
            "POST",
            f"/api/v1/contracts/{contract_id}/extend",
            staff,
            {"end_date": "2019-08-31", "reason": "Forlænget mens genudbuddet gennemføres"},
        )
        assert status == 200, body
        assert body["end_date"] == "2019-08-31"
        assert [(a["old_value"], a["new_value"]) for a in body["amendments"]] == [
            ("2019-02-28", "2019-08-31")
        ]
    status, body = api(
        "POST",
        f"/api/v1/contracts/{contracts[0]}/extend",
        staff,
        {"end_date": "2019-09-30", "reason": "En måned mere"},
    )
    assert status == 422
    assert "extension option runs to 2019-08-31" in body["errors"][0]["message"]
    assert api("GET", f"/api/v1/contracts/{contracts[0]}", staff)[1]["end_date"] == "2019-08-31"

    # Citizens referred in 2018 (a past start date is how existing enrolments are entered).
    refs = {}
    for cpr, index in CITIZENS:
        status, body = api(
            "POST",
            "/api/v1/referrals",
            staff,
            {"cpr": cpr, "contract_id": contracts[index], "start_date": "2018-10-01"},
        )
        assert status == 201, body
        assert cpr not in str(body) and cpr.replace("-", "") not in str(body)
        refs[cpr] = body["participant_ref"]

    # The re-tender: one lot per programme, its contracts starting the day after the old ones end.
    status, tender = api(
        "POST",
        "/api/v1/tenders/retender",
        staff,
        {"contract_ids": contracts, "deadline": "2019-03-15T12:00"},
    )
    assert status == 201, tender
    assert tender["status"] == "draft"
    assert [lot["programme"] for lot in tender["lots"]] == PROGRAMMES
    assert tender["contract_start_date"] == "2019-09-01"
    assert tender["predecessor_ids"] == contracts and tender["warnings"] == []
    assert tender["deadline"] == "2019-03-15T12:00:00+01:00"
    tid = tender["id"]
    lots = {lot["programme"]: lot["id"] for lot in tender["lots"]}
    status, body = api("POST", f"/api/v1/tenders/{tid}/publish", staff)
    assert status == 200 and body["status"] == "published"

    # Bids: the newcomer bids on every lot, the adult provider on its own programme and utility work.
    prices_b = {"monthly_fee": "9000.00", "hourly_rate": "45.00", "outcome_bonus": "20000.00"}
    prices_a = {"monthly_fee": "10000.00", "hourly_rate": "40.00", "outcome_bonus": "10000.00"}
    for code in PROGRAMMES:
        status, body = api(
            "PUT", f"/api/v1/tenders/{tid}/lots/{lots[code]}/bid", bidder_b, prices_b
        )
        assert status == 200, body
    for code in ("adult-employment", "utility-work"):
        status, body = api(
            "PUT", f"/api/v1/tenders/{tid}/lots/{lots[code]}/bid", bidder_a, prices_a
        )
        assert status == 200, body

    # Sealed: before the deadline procurement sees no bid and no evaluation; each bidder its own.
    assert api("GET", f"/api/v1/tenders/{tid}/bids", staff) == (
        200,
        {"items": [], "page": 1, "pages": 1, "total": 0},
    )
    status, body = api("GET", f"/api/v1/tenders/{tid}/evaluation", staff)
    assert status == 409 and "sealed" in body["errors"][0]["message"]
    seen_by_a = api("GET", f"/api/v1/tenders/{tid}/bids", bidder_a)[1]["items"]
    assert {b["provider"]["id"] for b in seen_by_a} == {providers[2]} and len(seen_by_a) == 2
    assert "9000.00" not in str(seen_by_a)

    # After the deadline (Copenhagen time) no bid is taken; evaluation, award, standstill, conclusion.
    set_clock(app, date(2019, 3, 15), time(12, 0))
    status, body = api(
        "PUT", f"/api/v1/tenders/{tid}/lots/{lots['utility-work']}/bid", bidder_a, prices_b
    )
    assert status == 409 and "deadline" in body["errors"][0]["message"]
    set_clock(app, date(2019, 3, 18))
    bids = api("GET", f"/api/v1/tenders/{tid}/bids", staff)[1]["items"]
    assert len(bids) == 6
    quality = {"a": "9.00", "b": "6.00"}
    points = [
        {
            "bid_id": b["id"],
            "points": quality["a" if b["provider"]["id"] == providers[2] else "b"],
            "reason": "Metodebeskrivelsen vurderet",
        }
        for b in bids
    ]
    status, evaluation = api(
        "POST", f"/api/v1/tenders/{tid}/evaluation", staff, {"quality_points": points}
    )
    assert status == 200, evaluation
    adult = next(lot for lot in evaluation["lots"] if lot["programme"] == "adult-employment")
    # 80 h and a 15 % outcome rate: A 10000 + 3200 + 1500 = 14700.00; B 9000 + 3600 + 3000 = 15600.00.
    by_price = {line["evaluation_price"]: line for line in adult["lines"]}
    assert set(by_price) == {"14700.00", "15600.00"}
    assert by_price["15600.00"]["price_points"] == "9.42"  # 10 × 14700 / 15600 = 9.423…
    assert by_price["14700.00"]["total"] == "9.60"  # 0.6 × 10 + 0.4 × 9
    assert by_price["15600.00"]["total"] == "8.05"  # 0.6 × 9.42 + 0.4 × 6 = 8.052
    assert [line["rank"] for line in adult["lines"]] == [1, 2]

    status, body = api("POST", f"/api/v1/tenders/{tid}/award", staff)
    assert status == 200 and body["status"] == "awarded"
    assert body["standstill_ends_on"] == "2019-03-28"
    set_clock(app, date(2019, 3, 28))
    status, body = api("POST", f"/api/v1/tenders/{tid}/conclude", staff)
    assert status == 409 and "standstill runs to 2019-03-28" in body["errors"][0]["message"]
    set_clock(app, date(2019, 3, 29))
    status, concluded = api("POST", f"/api/v1/tenders/{tid}/conclude", staff)
    assert status == 200, concluded
    assert concluded["tender"]["status"] == "concluded" and concluded["warnings"] == []
    successors = {c["programme"]: c for c in concluded["contracts"]}
    assert sorted(successors) == sorted(PROGRAMMES)
    assert {code: c["predecessor_id"] for code, c in successors.items()} == dict(
        zip(PROGRAMMES, contracts, strict=True)
    )
    assert successors["adult-employment"]["provider"]["id"] == providers[2]
    assert successors["adult-employment"]["monthly_fee"] == "10000.00"
    assert successors["youth-bridging"]["provider"]["id"] == newcomer["id"]
    assert all(
        c["start_date"] == "2019-09-01" and c["status"] == "draft" for c in successors.values()
    )
    with app.app_context():
        for code, c in successors.items():
            row = db.session.get(Contract, c["id"])
            assert row.lot_id == lots[code] and row.bid_id is not None

    # August's report for the adult agreement: both citizens still active.
    set_clock(app, date(2019, 9, 1))
    adult_refs = [refs["150785-1234"], refs["160784-2345"]]
    lines = [
        {
            "participant_ref": ref,
            "hours_planned": "80.00",
            "hours_delivered": "70.00",
            "status": "active",
        }
        for ref in adult_refs
    ]
    status, body = api(
        "PUT", f"/api/v1/contracts/{contracts[2]}/reports/2019-08", bidder_a, {"lines": lines}
    )
    assert status == 200, body
    assert (
        api("POST", f"/api/v1/contracts/{contracts[2]}/reports/2019-08/submit", bidder_a)[0] == 200
    )
    assert api("POST", f"/api/v1/contracts/{contracts[2]}/reports/2019-08/accept", staff)[0] == 200

    # The changeover on 1 September 2019: everyone active moves; nobody counts as an exit.
    register_commands(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["changeover", "--day", "2019-09-01"])
    assert result.exit_code == 0, result.output
    assert "5 participant(s) moved" in result.output
    again = runner.invoke(args=["changeover", "--day", "2019-09-01"])
    assert "0 participant(s) moved" in again.output
    with app.app_context():
        old_ends = db.session.execute(
            sa.select(Enrolment.end_on, Enrolment.end_reason).where(
                Enrolment.contract_id.in_(contracts)
            )
        ).all()
        assert set(old_ends) == {(date(2019, 8, 31), "transferred")}
        moved = db.session.scalars(
            sa.select(Enrolment).where(
                Enrolment.contract_id.in_([c["id"] for c in successors.values()])
            )
        ).all()
        assert len(moved) == 5 and all(
            e.start_on == date(2019, 9, 1) and e.end_on is None for e in moved
        )
        # Active to the last day, handed over, and not one exit, then or after.
        totals = effort_totals(db.session, up_to=date(2019, 8, 31), contract_ids=[contracts[2]])
        assert (totals.participants, totals.exits, totals.active) == (2, 0, 2)
        assert effort_totals(db.session, up_to=date(2019, 9, 1)).exits == 0
    assert Decimal(successors["adult-employment"]["ceiling"]) == Decimal("3000000.00")
