"""The API's own error answers, on top of `provider_portal.errors` (which answers the rest)."""

from __future__ import annotations

import logging

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


@bp.errorhandler(IntegrityError)
def _integrity(error: IntegrityError):
    # The services check uniqueness first; this is the race where another request got there
    # between that check and the insert. Nothing was stored.
    db.session.rollback()
    log.warning("integrity error answered 409: %s", error.orig)
    return api_error(
        409,
        "Another request changed the same records at the same time; nothing was stored. Try again.",
    )


@bp.after_request
def _challenge(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
