"""The procurement pages: the contracts, the reports waiting for review and the effort's totals.

Every query goes through contracts.services.scope with the request's viewer.
"""

from __future__ import annotations

from collections import OrderedDict

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template
from sqlalchemy.orm import selectinload

from contracts.models import Contract, Enrolment, MonthlyReport
from contracts.services import scope
from contracts.services.contract_invoices import contract_invoices

from .. import clock
from ..extensions import db
from ..security import allow, viewer

bp = Blueprint("procurement", __name__, url_prefix="/procurement")

_CONTRACT_DETAILS = (
    selectinload(Contract.provider),
    selectinload(Contract.programme),
    selectinload(Contract.successor),
)


def _visible_contracts() -> list[Contract]:
    """The viewer's contracts with what the tables show, loaded in a few queries."""
    stmt = scope.contracts(viewer()).options(*_CONTRACT_DETAILS).order_by(Contract.reference)
    return list(db.session.scalars(stmt))


def may_open(endpoint: str) -> bool:
    """True when the viewer's role is among the roles the endpoint's view allows (deny by default)."""
    roles = getattr(current_app.view_functions.get(endpoint), "allowed_roles", ())
    return viewer().role in roles


# Templates decide their links and buttons with it, so a page shared by roles offers each only what it may open.
bp.add_app_template_global(may_open, "may_open")


def _expiring_first(contracts: list[Contract], today) -> list[Contract]:
    """Expiring contracts first, soonest end first; then the rest in reference order."""
    expiring = sorted((c for c in contracts if c.is_expiring(today)), key=lambda c: c.end_on)
    return expiring + [c for c in contracts if not c.is_expiring(today)]


@bp.route("/")
@allow("procurement")
def home():
    """The overview: contracts (expiring ones first), reports to review and the effort's totals."""
    from contracts.services.figures import effort_totals

    today = clock.today()
    contracts = _expiring_first(_visible_contracts(), today)
    waiting = list(
        db.session.scalars(
            scope.reports(viewer())
            .where(MonthlyReport.status == "submitted")
            .options(selectinload(MonthlyReport.contract).selectinload(Contract.provider))
            .order_by(MonthlyReport.month, MonthlyReport.submitted_at)
        )
    )
    totals = effort_totals(db.session, up_to=today)
    return render_template(
        "procurement/home.html",
        today=today,
        contracts=contracts,
        expiring=[c for c in contracts if c.is_expiring(today)],
        waiting=waiting,
        totals=totals,
    )


@bp.route("/contracts")
@allow("procurement", "finance")
def contracts():
    """Every contract, expiring ones first; finance reads it (DESIGN §1: read-only elsewhere)."""
    today = clock.today()
    return render_template(
        "procurement/contracts.html",
        today=today,
        contracts=_expiring_first(_visible_contracts(), today),
    )


@bp.route("/contracts/<int:contract_id>")
@allow("procurement", "finance")
def contract(contract_id: int):
    """One contract: price terms, period, amendments, participants, reports by month and invoices.

    Finance reads it too, to check an invoice against its contract; the actions on it stay
    procurement's (their routes allow only procurement, and the template offers each link only
    to a viewer who may open it).
    """
    v = viewer()
    found = db.session.scalar(
        scope.contracts(v)
        .where(Contract.id == contract_id)
        .options(
            *_CONTRACT_DETAILS,
            selectinload(Contract.amendments),
            selectinload(Contract.predecessor),
        )
    )
    if found is None:
        abort(404)
    today = clock.today()
    participants, active = db.session.execute(
        scope.contracts(
            v,
            sa.select(
                sa.func.count(sa.distinct(Enrolment.participant_id)),
                sa.func.count(Enrolment.id).filter(
                    sa.or_(Enrolment.end_on.is_(None), Enrolment.end_on >= today)
                ),
            ).join(Contract, Enrolment.contract_id == Contract.id),
        ).where(Enrolment.contract_id == contract_id)
    ).one()
    reports = db.session.scalars(
        scope.reports(v)
        .where(MonthlyReport.contract_id == contract_id)
        .order_by(MonthlyReport.month.desc(), MonthlyReport.version.desc())
    )
    # The newest version of each month is the one that counts.
    by_month: OrderedDict[str, MonthlyReport] = OrderedDict()
    for report in reports:
        by_month.setdefault(report.month, report)
    return render_template(
        "procurement/contract.html",
        today=today,
        contract=found,
        participants=participants,
        active=active,
        reports=list(by_month.values()),
        invoices=contract_invoices(db.session, v, found),
    )
