"""Registering and reading providers through the API."""

from __future__ import annotations

import pytest

from contracts.models import AuditEvent, Provider
from tests.api.answers import assert_json_error
from tests.api.conftest import bearer, count


@pytest.mark.postgres
def test_register_provider_round_trips_and_is_audited(any_app, make_token):
    client = any_app.test_client()
    token = make_token(any_app, "indkob@example.dk", "procurement")
    sent = {
        "name": "Exit Aktiv ApS",
        "cvr": "13585628",
        "gln": "5798009800275",
        "street": "Tagensvej 85",
        "postcode": "2200",
        "city": "København N",
    }
    response = client.post("/api/v1/providers", headers=bearer(token), json=sent)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created == {**sent, "id": created["id"]}

    assert (
        client.get(f"/api/v1/providers/{created['id']}", headers=bearer(token)).get_json()
        == created
    )
    assert client.get("/api/v1/providers", headers=bearer(token)).get_json() == {
        "items": [created],
        "page": 1,
        "pages": 1,
        "total": 1,
    }

    from provider_portal.extensions import db

    with any_app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="provider.created").one()
        assert (event.record_type, event.record_id, event.actor_label) == (
            "provider",
            created["id"],
            "indkob@example.dk",
        )


def test_gln_is_optional_and_cvr_spacing_is_tidied(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    response = client.post(
        "/api/v1/providers", headers=bearer(token), json={"name": "Nytte", "cvr": "13 58 56 28"}
    )
    assert response.status_code == 201
    assert response.get_json()["cvr"] == "13585628"
    assert response.get_json()["gln"] is None


@pytest.mark.parametrize(
    "body,field,words",
    [
        ({"name": "A", "cvr": "1358562"}, "cvr", "8 digits"),
        ({"name": "A", "cvr": "135856281"}, "cvr", "8 digits"),
        ({"name": "A", "cvr": "1358562x"}, "cvr", "only digits"),
        ({"name": "A", "cvr": "13585627"}, "cvr", "modulus 11"),
        ({"name": "A", "cvr": "03585628"}, "cvr", "never starts with 0"),
        ({"name": "A", "cvr": 13585628}, "cvr", "must be a string"),
        ({"name": "A", "cvr": "13585628", "gln": "579800980027"}, "gln", "13 digits"),
        ({"name": "A", "cvr": "13585628", "gln": "57980098002A5"}, "gln", "only digits"),
        ({"name": "A", "cvr": "13585628", "gln": "5798009800274"}, "gln", "check digit"),
        ({"name": "", "cvr": "13585628"}, "name", "at least 1 character"),
        ({"cvr": "13585628"}, "name", "is required"),
        ({"name": "A", "cvr": "13585628", "ean": "5798009800275"}, "ean", "not a known field"),
    ],
)
def test_bad_provider_is_422_with_the_field_and_nothing_stored(
    app, client, make_token, body, field, words
):
    token = make_token(app, "indkob@example.dk", "procurement")
    errors = assert_json_error(
        client.post("/api/v1/providers", headers=bearer(token), json=body), 422
    )
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["message"]
    assert count(app, Provider) == 0


def test_every_problem_is_answered_at_once(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    body = {"name": "A", "cvr": "13585627", "gln": "5798009800274"}
    errors = assert_json_error(
        client.post("/api/v1/providers", headers=bearer(token), json=body), 422
    )
    assert {e["field"] for e in errors} == {"cvr", "gln"}


def test_a_registered_cvr_is_409(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    first = client.post(
        "/api/v1/providers", headers=bearer(token), json={"name": "A", "cvr": "13585628"}
    )
    assert first.status_code == 201
    again = client.post(
        "/api/v1/providers", headers=bearer(token), json={"name": "B", "cvr": "DK13585628"}
    )
    errors = assert_json_error(again, 409)
    assert errors[0]["field"] == "cvr" and "13585628" in errors[0]["message"]
    assert count(app, Provider) == 1


def test_a_provider_user_may_not_register_providers(app, client, make_token, make_provider):
    from provider_portal.extensions import db

    with app.app_context():
        own = make_provider(db.session).id
        db.session.commit()
    token = make_token(app, "lev@example.dk", "provider", own)
    response = client.post(
        "/api/v1/providers", headers=bearer(token), json={"name": "X", "cvr": "29403473"}
    )
    assert_json_error(response, 403)
    assert count(app, Provider) == 1


@pytest.mark.postgres
def test_provider_user_sees_only_its_own_provider(any_app, make_token, make_provider):
    client = any_app.test_client()
    from provider_portal.extensions import db

    with any_app.app_context():
        a = make_provider(db.session, name="Alfa Aktivering", cvr="13585628")
        b = make_provider(
            db.session, name="Beta Beskæftigelse", cvr="29403473", gln="5798009800275"
        )
        a_id, b_id = a.id, b.id
        db.session.commit()
    token = make_token(any_app, "alfa@example.dk", "provider", a_id)

    listing = client.get("/api/v1/providers", headers=bearer(token))
    assert [p["id"] for p in listing.get_json()["items"]] == [a_id]
    assert client.get(f"/api/v1/providers/{a_id}", headers=bearer(token)).status_code == 200
    hidden = client.get(f"/api/v1/providers/{b_id}", headers=bearer(token))
    missing = client.get("/api/v1/providers/999999", headers=bearer(token))
    # Someone else's provider looks exactly like one that does not exist.
    assert_json_error(hidden, 404)
    assert hidden.get_json() == missing.get_json()
    for response in (listing, hidden):
        text = response.get_data(as_text=True)
        assert "Beta" not in text and "29403473" not in text and "5798009800275" not in text

    staff = make_token(any_app, "okonomi@example.dk", "finance")
    assert {
        p["id"] for p in client.get("/api/v1/providers", headers=bearer(staff)).get_json()["items"]
    } == {a_id, b_id}


def test_procurement_changes_a_providers_address_and_the_history_has_old_and_new(
    app, client, make_token
):
    token = make_token(app, "indkob@example.dk", "procurement")
    created = client.post(
        "/api/v1/providers", headers=bearer(token), json={"name": "Nytte", "cvr": "13585628"}
    ).get_json()
    assert (created["street"], created["postcode"], created["city"]) == ("", "", "")
    url = f"/api/v1/providers/{created['id']}"
    moved = {"street": "Folehaven 12", "postcode": "2500", "city": "Valby"}
    response = client.patch(url, headers=bearer(token), json=moved)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {**created, **moved}
    assert client.get(url, headers=bearer(token)).get_json() == {**created, **moved}
    from provider_portal.extensions import db

    with app.app_context():
        [event] = db.session.query(AuditEvent).filter_by(action="provider.updated").all()
        assert event.details["changes"] == {
            "street": ["", "Folehaven 12"],
            "postcode": ["", "2500"],
            "city": ["", "Valby"],
        }


@pytest.mark.parametrize(
    "body,field",
    [
        ({"postcode": "250"}, "postcode"),
        ({"postcode": "DK-2500"}, "postcode"),
        ({"postcode": "٢٥٠٠"}, "postcode"),
        ({"city": "x" * 101}, "city"),
        ({"name": None}, "name"),
        ({"cvr": "13585627"}, "cvr"),
    ],
)
def test_a_bad_change_is_422_and_changes_nothing(app, client, make_token, body, field):
    token = make_token(app, "indkob@example.dk", "procurement")
    created = client.post(
        "/api/v1/providers",
        headers=bearer(token),
        json={"name": "Nytte", "cvr": "13585628", "postcode": "2500"},
    ).get_json()
    url = f"/api/v1/providers/{created['id']}"
    errors = assert_json_error(client.patch(url, headers=bearer(token), json=body), 422)
    assert [e["field"] for e in errors] == [field]
    assert client.get(url, headers=bearer(token)).get_json() == created


def test_a_bad_postcode_at_registration_is_422_with_the_rule(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    body = {"name": "A", "cvr": "13585628", "postcode": "25000", "city": "Valby"}
    errors = assert_json_error(
        client.post("/api/v1/providers", headers=bearer(token), json=body), 422
    )
    assert [e["field"] for e in errors] == ["postcode"]
    assert "4 digits, such as 2400" in errors[0]["message"]
    assert count(app, Provider) == 0


def test_only_procurement_changes_a_provider(app, client, make_token, make_provider):
    from provider_portal.extensions import db

    with app.app_context():
        own = make_provider(db.session).id
        db.session.commit()
    for role, provider_id in (("provider", own), ("finance", None)):
        token = make_token(app, f"{role}@example.dk", role, provider_id)
        response = client.patch(
            f"/api/v1/providers/{own}", headers=bearer(token), json={"city": "Valby"}
        )
        assert_json_error(response, 403)
