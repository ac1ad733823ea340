"""Every error of the API is JSON with the right status: never an HTML page, never a 500."""

from __future__ import annotations

import json

import pytest

from contracts.models import ApiToken, Provider
from contracts.services.accounts import revoke_token
from tests.api.answers import assert_json_error
from tests.api.conftest import bearer, count
from tests.conftest import TEST_ACTOR


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer pp_not-a-real-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["absent", "wrong", "empty", "basic"],
)
@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/v1/providers"),
        ("GET", "/api/v1/providers/1"),
        ("POST", "/api/v1/providers"),
        ("GET", "/api/v1/contracts"),
        ("GET", "/api/v1/contracts/1"),
        ("POST", "/api/v1/contracts"),
    ],
)
def test_calls_without_a_valid_token_get_401_json(app, client, headers, method, path):
    response = client.open(path, method=method, headers=headers, json={})
    errors = assert_json_error(response, 401)
    assert "Bearer" in errors[0]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    assert client.get("/api/v1/providers", headers=bearer(token)).status_code == 200
    from provider_portal.extensions import db

    with app.app_context():
        row = db.session.query(ApiToken).one()
        revoke_token(db.session, TEST_ACTOR, row.id)
        db.session.commit()
    assert_json_error(client.get("/api/v1/providers", headers=bearer(token)), 401)


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/providers/abc", "/api/v2/providers"]
)
def test_unknown_api_path_is_404_json(app, client, make_token, path):
    token = make_token(app, "indkob@example.dk", "procurement")
    assert_json_error(client.get(path), 404)
    assert_json_error(client.get(path, headers=bearer(token)), 404)


def test_wrong_method_is_405_json_with_allow(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    response = client.delete("/api/v1/providers", headers=bearer(token))
    assert_json_error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert_json_error(client.put("/api/v1/contracts/1", headers=bearer(token), json={}), 405)


def test_body_over_the_limit_is_413_json(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    padding = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/api/v1/providers",
        headers=bearer(token),
        content_type="application/json",
        data=json.dumps({"name": padding, "cvr": "13585628"}),
    )
    assert_json_error(response, 413)
    assert count(app, Provider) == 0


def test_wrong_content_type_is_415_json(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    response = client.post(
        "/api/v1/providers", headers=bearer(token), data={"name": "Exit Aktiv", "cvr": "13585628"}
    )
    errors = assert_json_error(response, 415)
    assert "application/json" in errors[0]["message"]
    assert count(app, Provider) == 0


@pytest.mark.parametrize(
    "data,words",
    [
        ("{not json", "not valid JSON"),
        ('["Exit Aktiv", "13585628"]', "JSON object"),
        ("null", "JSON object"),
        (b"\xff\xfe{}", "UTF-8"),
        ("", "not valid JSON"),
    ],
)
def test_body_that_is_not_a_json_object_is_400_json(app, client, make_token, data, words):
    token = make_token(app, "indkob@example.dk", "procurement")
    response = client.post(
        "/api/v1/providers", headers=bearer(token), content_type="application/json", data=data
    )
    errors = assert_json_error(response, 400)
    assert words in errors[0]["message"]
    assert count(app, Provider) == 0


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/v1/providers"),
        ("GET", "/api/v1/providers/1"),
        ("POST", "/api/v1/providers"),
        ("GET", "/api/v1/contracts"),
        ("GET", "/api/v1/contracts/1"),
        ("POST", "/api/v1/contracts"),
    ],
)
def test_admin_gets_403_on_provider_and_contract_data(app, client, make_token, method, path):
    token = make_token(app, "admin@example.dk", "admin")
    assert_json_error(client.open(path, method=method, headers=bearer(token), json={}), 403)


def test_finance_may_read_but_not_register(app, client, make_token):
    token = make_token(app, "okonomi@example.dk", "finance")
    assert client.get("/api/v1/providers", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/contracts", headers=bearer(token)).status_code == 200
    response = client.post(
        "/api/v1/providers", headers=bearer(token), json={"name": "Exit Aktiv", "cvr": "13585628"}
    )
    assert_json_error(response, 403)
    assert count(app, Provider) == 0


def test_openapi_document_is_public(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1")


@pytest.mark.postgres
def test_values_the_database_cannot_hold_are_refused_not_crashed(any_app, make_token):
    client = any_app.test_client()
    token = make_token(any_app, "indkob@example.dk", "procurement")
    for path in ("/api/v1/providers/99999999999", "/api/v1/contracts/2147483648"):
        assert_json_error(client.get(path, headers=bearer(token)), 404)
    errors = assert_json_error(
        client.get("/api/v1/contracts?provider_id=99999999999", headers=bearer(token)), 422
    )
    assert errors[0]["field"] == "provider_id"
    errors = assert_json_error(
        client.get("/api/v1/contracts?programme=a%00b", headers=bearer(token)), 422
    )
    assert errors[0]["field"] == "programme"
    body = {"name": "Nul\u0000Aktiv", "cvr": "13585628"}
    errors = assert_json_error(
        client.post("/api/v1/providers", headers=bearer(token), json=body), 422
    )
    assert errors[0] == {"field": "name", "message": "must not contain a NUL character"}
    assert count(any_app, Provider) == 0
