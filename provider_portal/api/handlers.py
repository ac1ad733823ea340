"""The API's own error answers, on top of `provider_portal.errors` (which answers the rest)."""

from __future__ import annotations

import logging
import re

from flask import current_app, request
from psycopg.errors import NotNullViolation
from sqlalchemy.exc import IntegrityError

from contracts.rules.problems import InputRejected
from contracts.services.contract_register import ContractRefused

from ..errors import api_error
from ..extensions import db
from .blueprint import bp

log = logging.getLogger(__name__)


@bp.errorhandler(ContractRefused)
def _refused(error: ContractRefused):
    # Every problem at once, so a caller fixes them all in one round.
    return api_error(error.status, errors=[problem.as_json() for problem in error.problems])


@bp.errorhandler(InputRejected)
def _rejected(error: InputRejected):
    # A report or file refused whole: every problem by line and column, in English.
    return api_error(error.status, errors=[problem.as_json() for problem in error.problems])


# SQLite names the column in its message; psycopg in the error's diagnostics.
SQLITE_NOT_NULL = re.compile(r"NOT NULL constraint failed: \w+\.(\w+)")


def _missing_column(error: IntegrityError) -> str | None:
    """The column a NOT NULL violation left empty; None for any other integrity error."""
    if isinstance(error.orig, NotNullViolation):
        return error.orig.diag.column_name or ""
    match = SQLITE_NOT_NULL.search(str(error.orig))
    return match.group(1) if match else None


@bp.errorhandler(IntegrityError)
def _integrity(error: IntegrityError):
    # The services check uniqueness first; this is the race where another request got there
    # between that check and the insert. Nothing was stored.
    db.session.rollback()
    column = _missing_column(error)
    if column is not None:
        # A value the request left out or sent as null: trying again would not help.
        log.warning("NOT NULL violation answered 422: %s", error.orig)
        return api_error(422, "must not be empty", column or None)
    log.warning("integrity error answered 409: %s", error.orig)
    return api_error(
        409,
        "Another request changed the same records at the same time; nothing was stored. Try again.",
    )


@bp.before_request
def _no_options():
    # Flask would answer OPTIONS with an empty page; the API has no such method, and says so
    # as it says every other error, with the methods the path does take.
    if request.method != "OPTIONS":
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    response, status = api_error(405)
    response.headers["Allow"] = ", ".join(sorted(set(adapter.allowed_methods()) - {"OPTIONS"}))
    return response, status


@bp.after_request
def _challenge(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
