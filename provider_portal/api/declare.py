"""Declare an API call once: route, roles, request models, response; the rest follows from it.

`operation(...)` registers the Flask route on the API blueprint behind `security.allow`,
reads and validates the JSON body and the query string with the declared pydantic models
(every problem becomes `{"errors": [{"field", "message"}]}` with 422), serialises the
answer through the declared response model, and records the operation in `REGISTRY`, from
which `openapi.py` writes the OpenAPI document.

A list call is declared `paged` (DESIGN.md §8): it reads `page` and `per_page` from the query
string beside its filters, its view returns one `Page` that the SQL cut (`contracts.services.paging`),
and it answers `{items, page, pages, total}`. There is no other way to answer a list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Any

from flask import Response, abort, jsonify, request
from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    create_model,
    field_validator,
)

from contracts.services.paging import MAX_PER_PAGE, PER_PAGE, Page

from ..converters import JOB_ID_PATTERN, MONTH_PATTERN
from ..errors import api_error
from ..security import PUBLIC_ENDPOINTS, allow
from .blueprint import bp
from .types import MAX_ID, Model

# Flask's "<int:id>" converters and the JSON schema of each, for the OpenAPI parameters: what
# the route takes (converters.py); an id of 0 matches the route and names nothing (404).
PATH_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
CONVERTER_SCHEMAS = {
    "int": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "string": {"type": "string", "pattern": "^[^/]+$"},
    "month": {"type": "string", "pattern": MONTH_PATTERN, "examples": ["2019-01"]},
    "job": {"type": "string", "pattern": JOB_ID_PATTERN, "examples": ["aggregate-2019-01"]},
}


class PageQuery(Model):
    """Which page of a list call's answer (DESIGN.md §8): pages count from 1."""

    page: int = Field(
        default=1,
        ge=1,
        le=MAX_ID,
        description="The page, counted from 1; a page past the last is empty",
    )
    per_page: int = Field(
        default=PER_PAGE,
        ge=1,
        le=MAX_PER_PAGE,
        description=f"How many on a page, 1 to {MAX_PER_PAGE} ({PER_PAGE} when left out)",
    )

    @field_validator("page", "per_page", mode="wrap")
    @classmethod
    def _in_range(cls, value: object, handler: ValidatorFunctionWrapHandler) -> int:
        # Said plainly ("must be at most 200"), not in pydantic's words ("Input should be ...").
        try:
            return handler(value)
        except ValidationError as error:
            problem = error.errors()[0]
            if problem["type"] == "greater_than_equal":
                raise ValueError(f"must be at least {problem['ctx']['ge']}") from None
            if problem["type"] == "less_than_equal":
                raise ValueError(f"must be at most {problem['ctx']['le']}") from None
            raise


@cache
def paged_query(query: type[BaseModel] | None) -> type[BaseModel]:
    """The query model of a paged call: its filters (if any) followed by `page` and `per_page`."""
    if query is None:
        return PageQuery
    return create_model(f"{query.__name__}Paged", __base__=(PageQuery, query))


@dataclass(frozen=True)
class Operation:
    """One API call as declared: everything the route and the OpenAPI document need."""

    method: str
    rule: str
    endpoint: str
    summary: str
    roles: tuple[str, ...]
    status: int
    response: type[BaseModel] | None
    response_description: str
    # A list call: answered one page at a time as {items, page, pages, total}.
    paged: bool = False
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    conflicts: str | None = None
    tag: str | None = None
    description: str = ""
    extra_errors: tuple[int, ...] = field(default=())
    # A body the view reads itself (a CSV or a JSON file): its OpenAPI content by media type.
    raw_body: dict[str, dict] | None = None
    # The success answer's media type; a call that answers a file (PDF, XML) returns a Response.
    media_type: str = "application/json"
    # A call whose work may go to the queue instead: answered 202 with this model (a Response).
    queued: type[BaseModel] | None = None

    @property
    def public(self) -> bool:
        return not self.roles

    @property
    def path(self) -> str:
        """The full path in OpenAPI's spelling: /api/v1/contracts/{contract_id}."""
        return PATH_PARAMETER.sub(lambda m: "{" + m.group("name") + "}", bp.url_prefix + self.rule)

    @property
    def path_parameters(self) -> list[tuple[str, dict]]:
        return [
            (
                m.group("name"),
                CONVERTER_SCHEMAS.get(m.group("converter") or "string", {"type": "string"}),
            )
            for m in PATH_PARAMETER.finditer(self.rule)
        ]

    @property
    def month_in_path(self) -> bool:
        return any(m.group("converter") == "month" for m in PATH_PARAMETER.finditer(self.rule))

    @property
    def query_model(self) -> type[BaseModel] | None:
        """The model the query string is read with: the filters, and the page of a paged call."""
        return paged_query(self.query) if self.paged else self.query


REGISTRY: list[Operation] = []


class RequestProblem(Exception):
    """The request could not be read or validated; carries the status and the error items."""

    def __init__(self, status: int, errors: list[dict]):
        super().__init__(errors)
        self.status = status
        self.errors = errors


def operation(
    method: str,
    rule: str,
    *,
    summary: str,
    roles: tuple[str, ...] | None,
    response: type[BaseModel] | None,
    response_description: str,
    status: int = 200,
    paged: bool = False,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    conflicts: str | None = None,
    tag: str | None = None,
    extra_errors: tuple[int, ...] = (),
    raw_body: dict[str, dict] | None = None,
    media_type: str = "application/json",
    queued: type[BaseModel] | None = None,
) -> Callable:
    """Declare an API call and register its route on the API blueprint.

    The view receives the path arguments, plus `body=` and/or `query=` as validated model
    instances when declared. It returns a response-model instance, which is answered with
    `status`. A `paged` view also receives `page=` and `per_page=` (validated: 1 or more, and
    `per_page` at most MAX_PER_PAGE; `query=` then carries them too) and returns a `Page` of
    response-model instances, answered as `{items, page, pages, total}`.
    `roles=None` makes a public call; it must be listed in `security.PUBLIC_ENDPOINTS`.
    `conflicts` describes when the call answers 409. A call with another `media_type` (a PDF,
    an XML file) returns a ready Flask `Response`, which is answered as it is; one declared
    `queued` may instead answer 202 with that model, when its work went to the queue.
    """

    def decorate(view: Callable) -> Callable:
        endpoint = view.__name__
        declared = Operation(
            method=method.upper(),
            rule=rule,
            endpoint=endpoint,
            summary=summary,
            roles=tuple(roles or ()),
            status=status,
            response=response,
            response_description=response_description,
            paged=paged,
            body=body,
            query=query,
            conflicts=conflicts,
            tag=tag,
            description=(view.__doc__ or "").strip(),
            extra_errors=extra_errors,
            raw_body=raw_body,
            media_type=media_type,
            queued=queued,
        )
        if declared.public and f"{bp.name}.{endpoint}" not in PUBLIC_ENDPOINTS:
            raise ValueError(f"{endpoint} has no roles and is not a public endpoint")
        query_model = declared.query_model

        @wraps(view)
        def handle(**path_args: Any):
            if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in path_args.values()):
                abort(404)  # no record has such an id; the database would refuse the number
            try:
                if body is not None:
                    path_args["body"] = _validated(body, _json_object())
                if query_model is not None:
                    values = _validated(query_model, _query_values())
                    if query is not None:
                        path_args["query"] = values
                    if paged:
                        path_args.update(page=values.page, per_page=values.per_page)
            except RequestProblem as problem:
                return api_error(problem.status, errors=problem.errors)
            result = view(**path_args)
            if isinstance(result, Response):
                return result
            return jsonify(_serialised(result, paged)), status

        guarded = handle if declared.public else allow(*declared.roles)(handle)
        bp.add_url_rule(rule, endpoint=endpoint, view_func=guarded, methods=[declared.method])
        REGISTRY.append(declared)
        return guarded

    return decorate


def _serialised(result: Any, paged: bool) -> Any:
    if paged:
        if not isinstance(result, Page):
            raise TypeError("a paged call's view returns a Page")
        # `items` first, as a list answered before paging began, so its readers read on.
        return {
            "items": [item.model_dump(mode="json") for item in result.items],
            "page": result.page,
            "pages": result.pages,
            "total": result.total,
        }
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    return result


def _json_object() -> dict:
    """The request body as a JSON object, or a RequestProblem saying why it is not one."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise RequestProblem(
            415,
            [
                {
                    "field": None,
                    "message": "Send the body as JSON with 'Content-Type: application/json'.",
                }
            ],
        )
    raw = request.get_data(cache=True)  # raises 413 beyond MAX_CONTENT_LENGTH
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestProblem(400, [{"field": None, "message": "The body is not UTF-8."}]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RequestProblem(
            400,
            [
                {
                    "field": None,
                    "message": f"The body is not valid JSON: {error.msg} "
                    f"(line {error.lineno}, column {error.colno}).",
                }
            ],
        ) from None
    except RecursionError:
        # Arrays in arrays 100,000 deep: deeper than the parser goes, and than any call needs.
        raise RequestProblem(
            400, [{"field": None, "message": "The body is nested too deeply."}]
        ) from None
    except ValueError:
        # An integer of more digits than Python converts (4,300): no id, count or code has them.
        raise RequestProblem(
            400, [{"field": None, "message": "The body has a number with too many digits."}]
        ) from None
    if not isinstance(data, dict):
        raise RequestProblem(400, [{"field": None, "message": "The body must be a JSON object."}])
    return data


def _query_values() -> dict:
    # Empty values are absent filters (a form that leaves a filter blank sends "status=").
    return {name: value for name, value in request.args.items() if value != ""}


def _validated(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestProblem(422, validation_errors(error)) from None


# Pydantic's own wording for the common cases, said the way the rest of the API says it.
PLAIN_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "string_type": "must be a string",
}


def validation_errors(error: ValidationError) -> list[dict]:
    """Pydantic's errors as the API's {"field", "message"} items, one per problem."""
    items = []
    for problem in error.errors(include_url=False):
        field_name = ".".join(str(part) for part in problem["loc"]) or None
        message = PLAIN_MESSAGES.get(problem["type"]) or problem["msg"]
        if problem["type"] == "value_error":
            # Our validators' own messages, without pydantic's "Value error, " in front.
            message = str(problem["ctx"]["error"]) if "ctx" in problem else problem["msg"]
        items.append({"field": field_name, "message": message})
    return items
