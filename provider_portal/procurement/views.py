"""The procurement pages: the contracts, the reports waiting for review and the effort's totals.

Every query is a service's, scoped through contracts.services.scope with the request's viewer.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from contracts.services import NotFound
from contracts.services.attestation import attestation_summary
from contracts.services.figures import figures_as_of
from contracts.services.notice_lists import exits_waiting
from contracts.services.procurement_overview import (
    contract_page,
    expiring_first,
    reports_to_review,
    visible_contracts,
)

from .. import clock
from ..extensions import db
from ..security import allow, viewer

bp = Blueprint("procurement", __name__, url_prefix="/procurement")


def may_open(endpoint: str) -> bool:
    """True when the viewer's role is among the roles the endpoint's view allows (deny by default)."""
    roles = getattr(current_app.view_functions.get(endpoint), "allowed_roles", ())
    return viewer().role in roles


# Templates decide their links and buttons with it, so a page shared by roles offers each only what it may open.
bp.add_app_template_global(may_open, "may_open")


@bp.route("/")
@allow("procurement")
def home():
    """The overview: contracts (expiring ones first), exit notices and reports waiting for a
    decision, and the effort's figures as of today (from the enrolments and confirmed exits)."""
    today = clock.today()
    contracts = expiring_first(visible_contracts(db.session, viewer()), today)
    waiting = reports_to_review(db.session, viewer())
    totals = figures_as_of(db.session, viewer(), today)
    return render_template(
        "procurement/home.html",
        exits_waiting=exits_waiting(db.session, viewer()),
        today=today,
        contracts=contracts,
        expiring=[c for c in contracts if c.is_expiring(today)],
        waiting=waiting,
        totals=totals,
        attestation=attestation_summary(db.session, viewer()),
    )


@bp.route("/contracts")
@allow("procurement", "finance")
def contracts():
    """Every contract, expiring ones first; finance reads it (DESIGN §1: read-only elsewhere)."""
    today = clock.today()
    return render_template(
        "procurement/contracts.html",
        today=today,
        contracts=expiring_first(visible_contracts(db.session, viewer()), today),
    )


@bp.route("/contracts/<int:contract_id>")
@allow("procurement", "finance")
def contract(contract_id: int):
    """One contract: price terms, period, amendments, participants, reports by month and invoices.

    Finance reads it too, to check an invoice against its contract; the actions on it stay
    procurement's (their routes allow only procurement, and the template offers each link only
    to a viewer who may open it).
    """
    today = clock.today()
    try:
        page = contract_page(db.session, viewer(), contract_id, today)
    except NotFound:
        abort(404)
    return render_template(
        "procurement/contract.html",
        today=today,
        contract=page.contract,
        participants=page.participants,
        active=page.active,
        reports=page.reports,
        invoices=page.invoices,
    )
