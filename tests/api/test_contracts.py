"""Entering and reading contracts through the API (PORTAL_TODAY is 2019-01-24 in tests)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract
from tests.api.answers import assert_json_error
from tests.api.conftest import add_programmes, bearer, count
from tests.bodies import contract_body


@pytest.fixture
def setup(make_token, make_provider):
    """setup(app) -> (procurement token, provider A id, provider B id), with the programmes."""

    def make(app):
        from provider_portal.extensions import db

        with app.app_context():
            add_programmes(db.session)
            a = make_provider(db.session, name="Alfa Aktivering", cvr="13585628").id
            b = make_provider(db.session, name="Beta Beskæftigelse", cvr="29403473").id
            db.session.commit()
        return make_token(app, "indkob@example.dk", "procurement"), a, b

    return make


@pytest.mark.postgres
def test_enter_contract_round_trips_exactly(any_app, setup):
    client = any_app.test_client()
    token, a, _ = setup(any_app)
    sent = contract_body(a, reference="SÆR-2018-03", title="Særindsats, beskæftigelsesforløb 30+")
    response = client.post("/api/v1/contracts", headers=bearer(token), json=sent)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    for name, value in sent.items():
        if name != "provider_id":
            assert created[name] == value, name
    assert created["provider"] == {"id": a, "name": "Alfa Aktivering", "cvr": "13585628"}
    assert created["status"] == "active"
    assert created["days_left"] == 35  # 24 January to 28 February 2019
    assert created["expiring"] is True
    assert created["predecessor_id"] is None and created["successor_id"] is None
    assert created["amendments"] == [] and created["warnings"] == []

    read = client.get(f"/api/v1/contracts/{created['id']}", headers=bearer(token)).get_json()
    assert read == {k: v for k, v in created.items() if k != "warnings"}
    assert client.get("/api/v1/contracts", headers=bearer(token)).get_json() == {
        "items": [read],
        "page": 1,
        "pages": 1,
        "total": 1,
    }

    from provider_portal.extensions import db

    with any_app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="contract.created").one()
        assert (event.record_type, event.record_id) == ("contract", created["id"])
        assert event.details["reference"] == "SÆR-2018-03"


@pytest.mark.parametrize(
    "start,end,status,days_left,expiring",
    [
        ("2019-09-01", "2021-08-31", "draft", 950, False),
        ("2018-01-01", "2019-01-24", "active", 0, True),
        ("2019-01-24", "2020-12-31", "active", 707, False),
        ("2018-01-01", "2019-01-23", "ended", None, False),
    ],
)
def test_status_follows_the_period_around_today(
    app, client, setup, start, end, status, days_left, expiring
):
    token, a, _ = setup(app)
    body = contract_body(a, start_date=start, end_date=end, max_end_date=end)
    created = client.post("/api/v1/contracts", headers=bearer(token), json=body).get_json()
    assert (created["status"], created["days_left"], created["expiring"]) == (
        status,
        days_left,
        expiring,
    )
    listed = client.get(f"/api/v1/contracts?status={status}", headers=bearer(token)).get_json()[
        "items"
    ]
    assert [c["id"] for c in listed] == [created["id"]]
    other = "ended" if status != "ended" else "active"
    assert client.get(f"/api/v1/contracts?status={other}", headers=bearer(token)).get_json() == {
        "items": [],
        "page": 1,
        "pages": 1,
        "total": 0,
    }


def test_references_are_given_per_start_year(app, client, setup):
    token, a, b = setup(app)
    refs = [
        client.post("/api/v1/contracts", headers=bearer(token), json=contract_body(p)).get_json()[
            "reference"
        ]
        for p in (a, b)
    ]
    later = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        json=contract_body(
            a, start_date="2019-09-01", end_date="2020-08-31", max_end_date="2021-08-31"
        ),
    ).get_json()["reference"]
    assert refs == ["AFT-2018-001", "AFT-2018-002"] and later == "AFT-2019-001"


def test_successor_links_both_ways_and_warns_of_a_gap(app, client, setup):
    token, a, b = setup(app)
    old = client.post("/api/v1/contracts", headers=bearer(token), json=contract_body(a)).get_json()
    assert old["expiring"] is True
    new = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        json=contract_body(
            b,
            start_date="2019-03-04",
            end_date="2020-02-29",
            max_end_date="2021-02-28",
            predecessor_id=old["id"],
        ),
    ).get_json()
    assert new["predecessor_id"] == old["id"]
    assert [w["field"] for w in new["warnings"]] == ["start_date"]
    assert "3 day(s) without a contract" in new["warnings"][0]["message"]
    old_now = client.get(f"/api/v1/contracts/{old['id']}", headers=bearer(token)).get_json()
    assert old_now["successor_id"] == new["id"]
    assert old_now["expiring"] is False  # a successor is in place

    # A contract has one successor at most.
    third = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        json=contract_body(
            a,
            start_date="2019-03-01",
            end_date="2020-02-29",
            max_end_date="2021-02-28",
            predecessor_id=old["id"],
        ),
    )
    errors = assert_json_error(third, 422)
    assert (
        errors[0]["field"] == "predecessor_id" and "already has a successor" in errors[0]["message"]
    )


@pytest.mark.parametrize(
    "changes,field,words",
    [
        ({"end_date": "2018-02-28"}, "end_date", "cannot end"),
        ({"max_end_date": "2019-01-31"}, "max_end_date", "extension option"),
        ({"provider_id": 999999}, "provider_id", "Choose a provider from the list."),
        (
            {"programme": "knitting"},
            "programme",
            "youth-bridging, youth-placement, adult-employment, utility-work",
        ),
        ({"monthly_fee": "-1.00"}, "monthly_fee", "Must not be negative."),
        ({"ceiling": "-0.01"}, "ceiling", "Must not be negative."),
        ({"vat_rate": "1"}, "vat_rate", "up to, not including, 1"),
        ({"vat_rate": "-0.25"}, "vat_rate", "must not be negative"),
        ({"vat_rate": 0.25}, "vat_rate", "not a JSON number"),
        ({"vat_rate": "25%"}, "vat_rate", "decimal fraction"),
        ({"monthly_fee": 9500.5}, "monthly_fee", "not a JSON number"),
        ({"monthly_fee": 9500}, "monthly_fee", "not a JSON number"),
        ({"monthly_fee": "9500.005"}, "monthly_fee", "more than two decimals"),
        ({"monthly_fee": "ni tusind"}, "monthly_fee", "is not an amount"),
        ({"ceiling": "99999999999.00"}, "ceiling", "at most"),
        ({"start_date": "01-03-2018"}, "start_date", "YYYY-MM-DD"),
        ({"start_date": "2018-02-30"}, "start_date", "not a date in the calendar"),
        ({"kind": "handshake"}, "kind", "special_effort"),
        ({"provider_id": "1"}, "provider_id", "whole number"),
        ({"predecessor_id": 999999}, "predecessor_id", "Choose a contract from the list."),
        ({"reference": "x" * 41}, "reference", "at most 40 characters"),
        ({"monthly_fees": "1.00"}, "monthly_fees", "not a known field"),
    ],
)
def test_bad_contract_is_422_with_the_field_and_nothing_stored(
    app, client, setup, changes, field, words
):
    token, a, _ = setup(app)
    events = count(app, AuditEvent)
    response = client.post(
        "/api/v1/contracts", headers=bearer(token), json=contract_body(a, **changes)
    )
    errors = assert_json_error(response, 422)
    assert [e["field"] for e in errors] == [field], errors
    assert words in errors[0]["message"]
    assert count(app, Contract) == 0
    assert count(app, AuditEvent) == events


def test_missing_fields_are_each_named(app, client, setup):
    token, a, _ = setup(app)
    body = contract_body(a)
    del body["ceiling"], body["start_date"]
    errors = assert_json_error(
        client.post("/api/v1/contracts", headers=bearer(token), json=body), 422
    )
    assert {(e["field"], e["message"]) for e in errors} == {
        ("ceiling", "is required"),
        ("start_date", "is required"),
    }


def test_a_taken_reference_is_refused(app, client, setup):
    token, a, _ = setup(app)
    assert (
        client.post(
            "/api/v1/contracts", headers=bearer(token), json=contract_body(a, reference="R-1")
        ).status_code
        == 201
    )
    errors = assert_json_error(
        client.post(
            "/api/v1/contracts", headers=bearer(token), json=contract_body(a, reference="R-1")
        ),
        422,
    )
    assert errors[0]["field"] == "reference"
    assert count(app, Contract) == 1


def test_list_filters(app, client, setup):
    token, a, b = setup(app)

    def post(body):
        return client.post("/api/v1/contracts", headers=bearer(token), json=body).get_json()["id"]

    c1 = post(contract_body(a))
    c2 = post(contract_body(b, programme="youth-bridging", kind="framework"))
    c3 = post(
        contract_body(
            a,
            programme="utility-work",
            start_date="2019-09-01",
            end_date="2020-08-31",
            max_end_date="2021-08-31",
        )
    )

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/contracts?{query}", headers=bearer(token))
        assert response.status_code == 200, response.get_json()
        return [c["id"] for c in response.get_json()["items"]]

    assert ids("") == [c1, c2, c3]
    assert ids(f"provider_id={a}") == [c1, c3]
    assert ids("programme=youth-bridging") == [c2]
    assert ids("kind=framework") == [c2]
    assert ids("status=draft") == [c3]
    assert ids(f"status=active&provider_id={a}") == [c1]
    assert ids("status=&kind=") == [c1, c2, c3]  # blank filters are no filters
    for query, field in [
        ("status=open", "status"),
        ("kind=x", "kind"),
        ("provider_id=abc", "provider_id"),
        ("programme=knitting", "programme"),
        ("colour=red", "colour"),
    ]:
        errors = assert_json_error(
            client.get(f"/api/v1/contracts?{query}", headers=bearer(token)), 422
        )
        assert errors[0]["field"] == field


@pytest.mark.postgres
def test_provider_user_never_sees_another_providers_contracts(any_app, setup, make_token):
    client = any_app.test_client()
    token, a, b = setup(any_app)
    mine = client.post(
        "/api/v1/contracts", headers=bearer(token), json=contract_body(a, reference="ALFA-1")
    ).get_json()
    theirs = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        json=contract_body(
            b,
            reference="BETA-1",
            monthly_fee="12345.67",
            predecessor_id=mine["id"],
            start_date="2019-03-01",
            end_date="2020-02-29",
            max_end_date="2021-02-28",
        ),
    ).get_json()
    alfa = make_token(any_app, "alfa@example.dk", "provider", a)

    listing = client.get("/api/v1/contracts", headers=bearer(alfa))
    assert [c["id"] for c in listing.get_json()["items"]] == [mine["id"]]
    assert client.get(f"/api/v1/contracts?provider_id={b}", headers=bearer(alfa)).get_json() == {
        "items": [],
        "page": 1,
        "pages": 1,
        "total": 0,
    }
    hidden = client.get(f"/api/v1/contracts/{theirs['id']}", headers=bearer(alfa))
    assert_json_error(hidden, 404)
    assert (
        hidden.get_json() == client.get("/api/v1/contracts/999999", headers=bearer(alfa)).get_json()
    )
    own = client.get(f"/api/v1/contracts/{mine['id']}", headers=bearer(alfa))
    assert own.status_code == 200
    for response in (listing, hidden):
        text = response.get_data(as_text=True)
        assert (
            "BETA-1" not in text
            and "Beta" not in text
            and "12345.67" not in text
            and "29403473" not in text
        )
    # A provider may not enter contracts, not even for itself.
    assert_json_error(
        client.post("/api/v1/contracts", headers=bearer(alfa), json=contract_body(a)), 403
    )
    assert count(any_app, Contract) == 2


def test_the_invoicing_term_is_self_billing_unless_chosen_and_is_shown(app, client, setup):
    token, provider_id, _ = setup(app)
    default = client.post(
        "/api/v1/contracts", headers=bearer(token), json=contract_body(provider_id)
    )
    assert default.status_code == 201, default.get_json()
    assert default.get_json()["invoicing"] == "self_billing"
    chosen = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        json=contract_body(provider_id, invoicing="provider_issued"),
    )
    created = chosen.get_json()
    assert created["invoicing"] == "provider_issued"
    read = client.get(f"/api/v1/contracts/{created['id']}", headers=bearer(token)).get_json()
    assert read["invoicing"] == "provider_issued"
    from provider_portal.extensions import db

    with app.app_context():
        event = db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "contract.created", AuditEvent.record_id == created["id"]
            )
        ).one()
    assert event.details["invoicing"] == "provider_issued"
    wrong = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        json=contract_body(provider_id, invoicing="barter"),
    )
    assert [e["field"] for e in assert_json_error(wrong, 422)] == ["invoicing"]
