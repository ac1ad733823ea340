"""Every guarded step of a tender: refused with a plain reason, and nothing changed."""

from __future__ import annotations

from datetime import date, time

import pytest

from contracts.models import AuditEvent, Bid
from tests.api.conftest import count
from tests.bodies import LOT, PRICES, TENDER
from tests.conftest import VALID_CVRS
from tests.procurement.conftest import set_clock

NO_ITEMS = {"items": [], "page": 1, "pages": 1, "total": 0}  # an empty list call's answer


@pytest.fixture
def world(app, api, make_token):
    """Procurement, two bidders from different providers, and a finance user; today 24 January 2019."""
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "indkob@example.dk", "procurement")
    ids = [
        api("POST", "/api/v1/providers", staff, {"name": f"L{n}", "cvr": VALID_CVRS[n]})[1]["id"]
        for n in (0, 1)
    ]
    return {
        "staff": staff,
        "a": make_token(app, "a@example.dk", "provider", ids[0]),
        "b": make_token(app, "b@example.dk", "provider", ids[1]),
        "finance": make_token(app, "okonomi@example.dk", "finance"),
    }


def _draft(api, staff, **changes) -> dict:
    status, tender = api("POST", "/api/v1/tenders", staff, {**TENDER, **changes})
    assert status == 201, tender
    return tender


def _published(api, world) -> dict:
    tender = _draft(api, world["staff"])
    assert api("POST", f"/api/v1/tenders/{tender['id']}/publish", world["staff"])[0] == 200
    return tender


def _refused(app, api, token, method, url, body, status, words, check_url, staff):
    """The call is refused with `status` and a message with `words`; the tender and the log are unchanged."""
    before = api("GET", check_url, staff)[1], count(app, AuditEvent), count(app, Bid)
    got, answer = api(method, url, token, body)
    assert got == status, answer
    assert words in answer["errors"][0]["message"]
    assert (api("GET", check_url, staff)[1], count(app, AuditEvent), count(app, Bid)) == before


def test_publishing_needs_a_lot_and_a_future_deadline(app, api, world):
    staff = world["staff"]
    no_lot = _draft(api, staff, lots=[])
    url = f"/api/v1/tenders/{no_lot['id']}"
    _refused(app, api, staff, "POST", url + "/publish", None, 422, "at least one lot", url, staff)
    no_deadline = _draft(api, staff, deadline=None)
    url = f"/api/v1/tenders/{no_deadline['id']}"
    _refused(app, api, staff, "POST", url + "/publish", None, 422, "set the deadline", url, staff)
    past = _draft(api, staff, deadline="2019-01-24T08:59")
    url = f"/api/v1/tenders/{past['id']}"
    _refused(
        app,
        api,
        staff,
        "POST",
        url + "/publish",
        None,
        422,
        "2019-01-24 08:59 (Copenhagen time) has passed",
        url,
        staff,
    )
    assert api("PATCH", url, staff, {"deadline": "2019-03-15T12:00"})[0] == 200
    assert api("POST", url + "/publish", staff)[1]["status"] == "published"
    _refused(
        app,
        api,
        staff,
        "POST",
        url + "/publish",
        None,
        409,
        "only a draft can be published",
        url,
        staff,
    )


def test_a_draft_takes_no_bids_and_a_provider_does_not_see_it(app, api, world):
    draft = _draft(api, world["staff"])
    lot = draft["lots"][0]["id"]
    assert api("GET", f"/api/v1/tenders/{draft['id']}", world["a"])[0] == 404
    assert api("PUT", f"/api/v1/tenders/{draft['id']}/lots/{lot}/bid", world["a"], PRICES)[0] == 404
    assert count(app, Bid) == 0


def test_no_bid_from_the_deadline_on_in_copenhagen_time(app, api, world):
    tender = _published(api, world)
    url = f"/api/v1/tenders/{tender['id']}"
    lot = tender["lots"][0]["id"]
    set_clock(app, date(2019, 3, 15), time(11, 59))
    assert api("PUT", f"{url}/lots/{lot}/bid", world["a"], PRICES)[0] == 200
    set_clock(app, date(2019, 3, 15), time(12, 0))
    _refused(
        app,
        api,
        world["b"],
        "PUT",
        f"{url}/lots/{lot}/bid",
        PRICES,
        409,
        "the deadline for bids was 2019-03-15 12:00 (Copenhagen time)",
        url,
        world["staff"],
    )
    assert api("GET", url, world["staff"])[1]["status"] == "closed"


def test_bids_are_sealed_before_the_deadline_and_never_shown_to_another_provider(app, api, world):
    tender = _published(api, world)
    url = f"/api/v1/tenders/{tender['id']}"
    lot = tender["lots"][0]["id"]
    assert (
        api("PUT", f"{url}/lots/{lot}/bid", world["a"], {**PRICES, "monthly_fee": "8123.45"})[0]
        == 200
    )
    assert api("PUT", f"{url}/lots/{lot}/bid", world["b"], PRICES)[0] == 200
    for token in (world["staff"], world["finance"]):
        assert api("GET", f"{url}/bids", token) == (200, NO_ITEMS)
        status, body = api("GET", f"{url}/evaluation", token)
        assert status == 409 and "8123.45" not in str(body)
        assert api("GET", "/api/v1/ocds/releases", token)[0] == 200
        assert "8123.45" not in str(api("GET", "/api/v1/ocds/releases", token)[1])
    mine = api("GET", f"{url}/bids", world["b"])[1]["items"]
    assert [b["monthly_fee"] for b in mine] == ["9000.00"]
    set_clock(app, date(2019, 3, 16))
    # After the deadline staff see both; a provider still only its own, and no evaluation.
    assert len(api("GET", f"{url}/bids", world["staff"])[1]["items"]) == 2
    mine = api("GET", f"{url}/bids", world["b"])[1]["items"]
    assert [b["monthly_fee"] for b in mine] == ["9000.00"]
    assert api("GET", f"{url}/evaluation", world["b"])[0] == 403


def test_evaluation_only_after_the_deadline_and_with_every_bid_scored(app, api, world):
    tender = _published(api, world)
    url = f"/api/v1/tenders/{tender['id']}"
    lot = tender["lots"][0]["id"]
    bid_a = api("PUT", f"{url}/lots/{lot}/bid", world["a"], PRICES)[1]["id"]
    api("PUT", f"{url}/lots/{lot}/bid", world["b"], PRICES)
    points = {"quality_points": [{"bid_id": bid_a, "points": "7.00", "reason": "God metode"}]}
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/evaluation",
        points,
        409,
        "sealed until the deadline",
        url,
        world["staff"],
    )
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/award",
        None,
        409,
        "only after the evaluation",
        url,
        world["staff"],
    )
    set_clock(app, date(2019, 3, 16))
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/evaluation",
        points,
        422,
        "quality points are missing",
        url,
        world["staff"],
    )
    too_many = {"quality_points": [{"bid_id": bid_a, "points": "11.00", "reason": "For god"}]}
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/evaluation",
        too_many,
        422,
        "from 0 to 10",
        url,
        world["staff"],
    )
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/award",
        None,
        409,
        "only after the evaluation",
        url,
        world["staff"],
    )
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/conclude",
        None,
        409,
        "only after the award",
        url,
        world["staff"],
    )


def test_conclusion_only_after_the_standstill_and_cancel_needs_a_reason(app, api, world):
    tender = _published(api, world)
    url = f"/api/v1/tenders/{tender['id']}"
    lot = tender["lots"][0]["id"]
    bid = api("PUT", f"{url}/lots/{lot}/bid", world["a"], PRICES)[1]["id"]
    set_clock(app, date(2019, 3, 16))
    api(
        "POST",
        f"{url}/evaluation",
        world["staff"],
        {"quality_points": [{"bid_id": bid, "points": "8", "reason": "God metode"}]},
    )
    assert api("POST", f"{url}/award", world["staff"])[1]["standstill_ends_on"] == "2019-03-26"
    set_clock(app, date(2019, 3, 26), time(23, 59))
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/conclude",
        None,
        409,
        "can be concluded from 2019-03-27",
        url,
        world["staff"],
    )
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/cancel",
        {"reason": "   "},
        422,
        "at least 1 character",
        url,
        world["staff"],
    )
    set_clock(app, date(2019, 3, 27))
    assert api("POST", f"{url}/conclude", world["staff"])[0] == 200
    # A concluded tender's contracts are self-billed, the default term (DESIGN.md §6).
    _status, contracts = api("GET", "/api/v1/contracts", world["staff"])
    assert {c["invoicing"] for c in contracts["items"]} == {"self_billing"}
    _refused(
        app,
        api,
        world["staff"],
        "POST",
        f"{url}/cancel",
        {"reason": "For sent"},
        409,
        "can no longer be cancelled",
        url,
        world["staff"],
    )


def test_cancel_with_a_reason_from_any_open_state(app, api, world):
    tender = _published(api, world)
    url = f"/api/v1/tenders/{tender['id']}"
    status, body = api("POST", f"{url}/cancel", world["staff"], {"reason": "Behovet er ændret"})
    assert (
        status == 200
        and body["status"] == "cancelled"
        and body["cancelled_reason"] == "Behovet er ændret"
    )
    lot = tender["lots"][0]["id"]
    _refused(
        app,
        api,
        world["a"],
        "PUT",
        f"{url}/lots/{lot}/bid",
        PRICES,
        409,
        "bids are accepted only while it is published",
        url,
        world["staff"],
    )


def test_a_lot_weights_must_add_up_to_one_and_lots_are_one_per_programme(app, api, world):
    status, body = api(
        "POST",
        "/api/v1/tenders",
        world["staff"],
        {**TENDER, "lots": [{**LOT, "w_price": "0.7"}, LOT]},
    )
    assert status == 422
    messages = [e["message"] for e in body["errors"]]
    assert any("must add up to 1" in m for m in messages)
    assert any("one lot per programme" in m for m in messages)
    assert api("GET", "/api/v1/tenders", world["staff"]) == (200, NO_ITEMS)


def test_only_procurement_runs_a_tender(app, api, world):
    tender = _draft(api, world["staff"])
    url = f"/api/v1/tenders/{tender['id']}"
    assert api("POST", "/api/v1/tenders", world["finance"], TENDER)[0] == 403
    assert api("POST", f"{url}/publish", world["a"])[0] == 403
    assert api("POST", f"{url}/publish", world["finance"])[0] == 403
    assert api("GET", url, world["staff"])[1]["status"] == "draft"
