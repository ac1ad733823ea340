"""The provider pages: the provider's own contracts, their monthly reports and participants.

Every query goes through contracts.services.scope with the request's viewer, so a provider
user sees its own provider's records and nothing that tells it others exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, render_template
from sqlalchemy.orm import selectinload

from contracts.models import Contract, Enrolment, MonthlyReport, Participant
from contracts.rules.periods import month_of, months_between, report_due_on
from contracts.services import scope
from contracts.services.audit import record

from .. import clock
from ..extensions import db
from ..security import actor, allow, viewer

bp = Blueprint("provider", __name__, url_prefix="/provider")

# The effort started in 2018; no report is expected for months before it.
FIRST_REPORT_MONTH = "2018-01"
DONE_STATUSES = ("submitted", "accepted", "invoiced")


@dataclass(frozen=True)
class ReportMonth:
    """A month of a contract as the provider sees it: the report's state and when it is due."""

    month: str
    status: str  # "missing" when no report exists yet
    due_on: date
    late: bool
    rejection_reason: str | None = None


def report_months(
    contract: Contract, reports: dict[str, MonthlyReport], today: date
) -> list[ReportMonth]:
    """The contract's months from its start (or 2018-01) to the current month, newest first."""
    first = max(month_of(contract.start_on), FIRST_REPORT_MONTH)
    last = min(month_of(contract.end_on), month_of(today))
    rows = []
    for month in months_between(first, last):
        report = reports.get(month)
        status = report.status if report else "missing"
        due_on = report_due_on(month)
        rows.append(
            ReportMonth(
                month=month,
                status=status,
                due_on=due_on,
                late=due_on < today and status not in DONE_STATUSES,
                rejection_reason=report.rejection_reason
                if report and status == "rejected"
                else None,
            )
        )
    return list(reversed(rows))


@bp.route("/")
@allow("provider")
def home():
    """The provider's contracts with each month's report status, and its participants."""
    v = viewer()
    today = clock.today()
    contracts = list(
        db.session.scalars(
            scope.contracts(v)
            .options(selectinload(Contract.programme))
            .order_by(Contract.start_on, Contract.reference)
        )
    )
    latest: dict[int, dict[str, MonthlyReport]] = {}
    for report in db.session.scalars(scope.reports(v).order_by(MonthlyReport.version)):
        # Ordered by version, so the newest version of a month wins.
        latest.setdefault(report.contract_id, {})[report.month] = report
    months = {c.id: report_months(c, latest.get(c.id, {}), today) for c in contracts}
    enrolments = db.session.execute(
        scope.contracts(
            v,
            sa.select(
                Participant.ref,
                Contract.reference,
                Enrolment.start_on,
                Enrolment.end_on,
                Enrolment.end_reason,
            )
            .join(Contract, Enrolment.contract_id == Contract.id)
            .join(Participant, Enrolment.participant_id == Participant.id),
        ).order_by(Contract.reference, Enrolment.start_on, Participant.ref)
    ).all()
    # Reading a participant list is an audit event (GDPR art. 10 data), even on a home page.
    record(
        db.session,
        actor(),
        "participants.viewed",
        "provider",
        v.provider_id,
        page="provider.home",
        count=len(enrolments),
    )
    return render_template(
        "provider/home.html",
        today=today,
        contracts=contracts,
        months=months,
        enrolments=enrolments,
        late_count=sum(1 for rows in months.values() for row in rows if row.late),
    )
