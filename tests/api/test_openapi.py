"""The OpenAPI document describes every API route, and the answers match what it says."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from provider_portal.api.declare import REGISTRY
from tests.api.answers import check_against_document, document
from tests.api.conftest import add_programmes, bearer
from tests.bodies import contract_body

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def api_routes(app) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every route of the api blueprint in the app's url_map."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(method, path) for method in rule.methods - IGNORED_METHODS}
    return routes


def test_document_lists_every_api_route_and_nothing_else(app, client):
    doc = document(client)
    routes = api_routes(app)
    assert ("POST", "/api/v1/contracts") in routes  # the check sees real routes
    documented = {(method.upper(), path) for path, item in doc["paths"].items() for method in item}
    assert documented == routes


def test_document_is_well_formed_openapi(app, client):
    doc = document(client)
    assert doc["openapi"].startswith("3.1.")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert doc["security"] == [{"bearerAuth": []}]
    schemas = doc["components"]["schemas"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    for ref in re.findall(r'"\$ref": "([^"]+)"', __import__("json").dumps(doc)):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    operation_ids = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            operation_ids.append(op["operationId"])
            assert op["summary"] and op["responses"], (method, path)
            declared = next(o for o in REGISTRY if o.path == path and o.method.lower() == method)
            for status, response in op["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status) and response["description"]
                if status == "204":
                    assert "content" not in response  # No Content has no body
                    continue
                queued = status == "202" and declared.queued is not None
                success = status.startswith("2") and not queued
                media = declared.media_type if success else "application/json"
                assert "schema" in response["content"][media]
            if declared.body is not None:
                assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            elif declared.raw_body is not None:
                assert op["requestBody"]["content"] == declared.raw_body
            else:
                assert "requestBody" not in op
            names = re.findall(r"{(\w+)}", path)
            assert [p["name"] for p in op.get("parameters", []) if p["in"] == "path"] == names
            if path != "/api/v1/openapi.json":
                assert "401" in op["responses"] and "403" in op["responses"]
                assert op["responses"]["401"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorBody"
                }
            else:
                assert op["security"] == []
    assert len(operation_ids) == len(set(operation_ids))
    money = schemas["ContractIn"]["properties"]["monthly_fee"]
    assert money["type"] == "string"


@pytest.mark.parametrize("role", ["procurement", "provider"])
def test_answers_match_the_documented_schemas(app, client, make_token, role):
    doc = document(client)
    staff = make_token(app, "indkob@example.dk", "procurement")
    provider = client.post(
        "/api/v1/providers",
        headers=bearer(staff),
        json={"name": "Alfa", "cvr": "13585628", "gln": "5798009800275"},
    )
    check_against_document(doc, "POST", "/api/v1/providers", provider)
    provider_id = provider.get_json()["id"]
    from provider_portal.extensions import db

    with app.app_context():
        add_programmes(db.session)
        db.session.commit()
    contract = client.post(
        "/api/v1/contracts", headers=bearer(staff), json=contract_body(provider_id)
    )
    check_against_document(doc, "POST", "/api/v1/contracts", contract)
    contract_id = contract.get_json()["id"]
    token = (
        staff
        if role == "procurement"
        else make_token(app, "alfa@example.dk", "provider", provider_id)
    )
    calls = [
        ("GET", "/api/v1/providers", "/api/v1/providers"),
        ("GET", "/api/v1/providers/{provider_id}", f"/api/v1/providers/{provider_id}"),
        ("GET", "/api/v1/providers/{provider_id}", "/api/v1/providers/999999"),
        ("GET", "/api/v1/contracts", "/api/v1/contracts"),
        ("GET", "/api/v1/contracts", "/api/v1/contracts?status=nope"),
        ("GET", "/api/v1/contracts/{contract_id}", f"/api/v1/contracts/{contract_id}"),
        ("GET", "/api/v1/contracts/{contract_id}", "/api/v1/contracts/999999"),
    ]
    for method, documented, url in calls:
        check_against_document(
            doc, method, documented, client.open(url, method=method, headers=bearer(token))
        )
    bad = client.post(
        "/api/v1/contracts", headers=bearer(staff), json=contract_body(provider_id, monthly_fee=1)
    )
    check_against_document(doc, "POST", "/api/v1/contracts", bad)
    check_against_document(doc, "GET", "/api/v1/contracts", client.get("/api/v1/contracts"))
