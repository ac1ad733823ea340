"""The OpenAPI 3.1 document, written from the declared operations (`declare.REGISTRY`).

Schemas come from the same pydantic models that validate requests and shape answers, so the
document cannot drift from what the API does.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from contracts.services.paging import MAX_PER_PAGE

from ..errors import API_MESSAGES
from .declare import REGISTRY, Operation, operation
from .types import ErrorBody

REF = "#/components/schemas/{model}"
ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


def _model_schemas() -> tuple[dict, dict]:
    """(refs per (model, mode), components) for every model the operations name."""
    # Errors are written as dicts, `line` only where there is one: the model as it validates.
    wanted: list[tuple[type[BaseModel], str]] = [(ErrorBody, "validation")]
    for op in REGISTRY:
        if op.body is not None:
            wanted.append((op.body, "validation"))
        if op.response is not None:
            wanted.append((op.response, "serialization"))
        if op.queued is not None:
            wanted.append((op.queued, "serialization"))
    unique = list(dict.fromkeys(wanted))
    refs, top = models_json_schema(unique, ref_template=REF, schema_generator=_AsServed)
    return refs, top.get("$defs", {})


class _AsServed(GenerateJsonSchema):
    """Pydantic's schemas, saying what is required and what may be null as the API has it."""

    def field_is_required(self, field, total: bool) -> bool:
        # Every answer carries every field of its model (model_dump), defaults or not.
        return self.mode == "serialization" or super().field_is_required(field, total)

    def default_schema(self, schema) -> dict:
        json_schema = super().default_schema(schema)
        # A change's field left out keeps its value (default None); sent as null, it is refused
        # unless its type takes null, so "default": null is no value it may be given.
        if json_schema.get("default", ...) is None and not _takes_null(json_schema):
            json_schema = {k: v for k, v in json_schema.items() if k != "default"}
        return json_schema


def _takes_null(schema: dict) -> bool:
    return schema.get("type") == "null" or any(
        branch.get("type") == "null" for branch in schema.get("anyOf", [])
    )


def _error(status: int, text: str) -> dict:
    return {"description": text, "content": {"application/json": {"schema": ERROR_REF}}}


def _without_null(schema: dict) -> dict:
    # An absent query parameter is the "null" of an optional filter; the parameter itself
    # is never null, so its schema is the non-null branch.
    branches = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(branches) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default", "title")}
        return {**branches[0], **rest}
    return schema


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": prop.get("description", prop.get("title", name)),
            "schema": _without_null(prop),
        }
        for name, prop in schema["properties"].items()
    ]


def _page_of(item_schema: dict) -> dict:
    """The answer of a paged list call: one page of the items, which page, how many in all."""
    return {
        "type": "object",
        "required": ["items", "page", "pages", "total"],
        "properties": {
            "items": {"type": "array", "items": item_schema},
            "page": {"type": "integer", "minimum": 1, "description": "This page, counted from 1"},
            "pages": {
                "type": "integer",
                "minimum": 1,
                "description": "How many pages the filters fill (at least 1)",
            },
            "total": {
                "type": "integer",
                "minimum": 0,
                "description": "How many the filters find on all pages",
            },
        },
    }


def _operation(op: Operation, refs: dict) -> dict:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": schema}
        for name, schema in op.path_parameters
    ]
    if op.query_model is not None:
        parameters += _query_parameters(op.query_model)
    if op.response is None:
        success_schema = {"type": "object"}
    else:
        success_schema = refs[(op.response, "serialization")]
        if op.paged:
            success_schema = _page_of(success_schema)
    if op.media_type != "application/json":
        # A file: a PDF or an XML document.
        success_schema = {"type": "string", "format": "binary"}
    success = {"description": op.response_description}
    if op.status != 204:  # No Content has no body, so no media type
        success["content"] = {op.media_type: {"schema": success_schema}}
    responses = {str(op.status): success}
    if op.queued is not None:
        responses["202"] = {
            "description": "Made on the queue: follow the document at Location until it is ready",
            "headers": {"Location": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": refs[(op.queued, "serialization")]}},
        }
    # Any call may find the database or the queue away (503); a user's calls are limited (429).
    errors = set(op.extra_errors) | {503}
    if not op.public:
        errors |= {401, 403, 429}
    if op.path_parameters:
        errors.add(404)
    if op.month_in_path:
        errors.add(422)  # a month not written YYYY-MM is named, as in a body or query
    if op.body is not None or op.raw_body is not None:
        errors |= {400, 413, 415, 422}
    if op.query_model is not None:
        errors.add(422)
    if op.conflicts:
        errors.add(409)
    for status in sorted(errors):
        text = op.conflicts if status == 409 and op.conflicts else API_MESSAGES[status]
        responses[str(status)] = _error(status, text)
    document = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "responses": responses,
    }
    if op.description:
        document["description"] = op.description
    if op.tag:
        document["tags"] = [op.tag]
    if parameters:
        document["parameters"] = parameters
    if op.body is not None:
        document["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
        }
    if op.raw_body is not None:
        document["requestBody"] = {"required": True, "content": op.raw_body}
    if op.public:
        document["security"] = []
    else:
        document["x-roles"] = list(op.roles)
        document["description"] = (
            document.get("description", "") + f"\n\nRoles: {', '.join(op.roles)}."
        ).strip()
    return document


@cache
def document() -> dict:
    """The whole OpenAPI document (built once: the declarations do not change at run time)."""
    refs, components = _model_schemas()
    paths: dict[str, dict] = {}
    for op in REGISTRY:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Provider Portal API",
            "version": "1",
            "description": (
                "The job centre's provider contracts. Authenticate with a personal token: "
                "'Authorization: Bearer <token>' (`flask create-token --email …`). Money is a "
                'decimal string ("1234.50"), rates a decimal fraction ("0.25"), dates YYYY-MM-DD; '
                f"lists are paged (`page` from 1, `per_page` up to {MAX_PER_PAGE}) and come as "
                '{"items": [...], "page", "pages", "total"}; '
                'errors as {"errors": [{"field", "message"}]}.'
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
    }


@operation(
    "GET",
    "/openapi.json",
    summary="This OpenAPI document",
    roles=None,
    tag="meta",
    response=None,
    response_description="The OpenAPI 3.1 document",
)
def openapi():
    """Public: it describes the calls, not the data."""
    return document()
