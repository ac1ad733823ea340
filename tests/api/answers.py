"""Checks of the API's answers: an error in the one JSON shape, and an answer that matches the
schema the OpenAPI document gives for its call and status."""

from __future__ import annotations

from jsonschema import Draft202012Validator, FormatChecker


def assert_json_error(response, status: int) -> list[dict]:
    """The answer is `status` with a non-empty list of errors, each with a message; returns them."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body["errors"], list) and body["errors"]
    for item in body["errors"]:
        assert isinstance(item["message"], str) and item["message"]
    return body["errors"]


def document(client) -> dict:
    """The API's OpenAPI document, as it is served."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def check_against_document(doc: dict, method: str, path: str, response) -> None:
    """The answer matches the schema the document gives for this call and status."""
    op = doc["paths"][path][method.lower()]
    schema = op["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator(
        {**schema, "components": doc["components"]}, format_checker=FormatChecker()
    )
    errors = [e.message for e in validator.iter_errors(response.get_json())]
    assert not errors, (method, path, response.status_code, errors)
