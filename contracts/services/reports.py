"""Monthly reports: store a checked draft whole or not at all, submit, accept, reject.

All three ways in (the page's form, a file upload, the API) end here with a ReadReport, so
one set of rules decides and every stored report looks the same.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Enrolment, MonthlyReport, Participant, ReportLine, utcnow
from ..rules.exits import TRANSFERRED
from ..rules.milestones import DEFAULT_CHECK_SHARE
from ..rules.periods import COPENHAGEN, Month, month_of, parse_month
from ..rules.problems import N_, InputRejected
from ..rules.report_calendar import has_ended, month_ends_on
from ..rules.report_checks import Enrolled, check_lines
from ..rules.report_format import ReadReport
from . import DomainError, notification_events
from .audit import Actor, record
from .bulk import insert_rows
from .notice_lists import ExitsDisagree, confirmed_exits, stored_exit_problems
from .report_claims import make_from_report, report_claim_problems, store_follow_ups
from .report_versions import latest_report

EDITABLE = ("draft", "rejected")


def in_month(contract_id: int, month: str) -> sa.ColumnElement[bool]:
    """The contract's enrolments that overlap the month; not one registered by mistake
    (`withdrawn`), which no report carries."""
    first, last = parse_month(month)
    return sa.and_(
        Enrolment.contract_id == contract_id,
        Enrolment.start_on <= last,
        sa.or_(Enrolment.end_on.is_(None), Enrolment.end_on >= first),
        Enrolment.counts,
    )


def enrolled_for_month(session: Session, contract_id: int, month: str) -> list[Enrolled]:
    """Every enrolment of the contract in the month (`in_month`), in order of reference."""
    # Core rows, not ORM entities: a report may have thousands of lines.
    rows = (
        session.connection()
        .execute(
            sa.select(
                Participant.ref, Participant.id, Enrolment.id, Enrolment.start_on, Enrolment.end_on
            )
            .join(Participant, Participant.id == Enrolment.participant_id)
            .where(in_month(contract_id, month))
            .order_by(Participant.ref)
        )
        .all()
    )
    return [Enrolled(ref, pid, eid, start, end) for ref, pid, eid, start, end in rows]


def _check_month(contract: Contract, month: str, today: date) -> None:
    first, last = parse_month(month)
    if last < contract.start_on or first > contract.end_on:
        raise DomainError(
            N_("the contract runs from %(start)s to %(end)s; %(month)s is outside it"),
            "month",
            start=contract.start_on,
            end=contract.end_on,
            month=month,
        )
    if month > month_of(today):
        raise DomainError(
            N_("%(month)s has not started yet; a month is reported when it has begun"),
            "month",
            month=month,
        )


def save_draft(
    session: Session,
    actor: Actor,
    contract: Contract,
    month: str,
    read: ReadReport,
    today: date,
    source: str,
) -> MonthlyReport:
    """Check every line and store them as the month's draft, replacing an earlier draft whole.

    Raises InputRejected with every problem (nothing stored, the earlier draft untouched), or
    DomainError when the report's state forbids a change. A report already invoiced gets a
    new version: the correction, whose money effect the next aggregation settles.
    """
    try:
        month = Month.parse(month)
    except ValueError:
        raise DomainError(
            N_("'%(text)s' is not a month in the form YYYY-MM"), "month", text=month
        ) from None
    _check_month(contract, month, today)
    latest = latest_report(session, contract.id, month)
    if latest is not None and latest.status == "submitted":
        raise DomainError(
            N_(
                "the report for %(month)s is submitted and waiting for review; it can be "
                "changed if procurement rejects it"
            ),
            status=409,
            month=month,
        )
    if latest is not None and latest.status == "accepted":
        raise DomainError(
            N_("the report for %(month)s is accepted and locked"), status=409, month=month
        )
    checked = check_lines(
        read,
        month,
        enrolled_for_month(session, contract.id, month),
        contract.programme.weekly_hours_ceiling,
        confirmed_exits(session, contract.id, month),
        lambda follow_ups: report_claim_problems(session, contract, follow_ups, today),
    )
    lines = checked.lines
    if latest is None or latest.status == "invoiced":
        report = MonthlyReport(
            contract_id=contract.id, month=month, version=latest.version + 1 if latest else 1
        )
        session.add(report)
        session.flush()
    else:
        report = latest
        session.execute(sa.delete(ReportLine).where(ReportLine.report_id == report.id))
        report.status = "draft"
        report.rejection_reason = None
        report.updated_at = utcnow()
    # Core, one statement: the ORM's bulk path adds nothing here but time.
    insert_rows(
        session,
        ReportLine.__table__,
        [
            {
                "report_id": report.id,
                "position": line.position,
                "participant_id": line.participant_id,
                "enrolment_id": line.enrolment_id,
                "hours_planned": line.hours_planned,
                "hours_delivered": line.hours_delivered,
                "absence_hours": line.absence_hours,
                "status": line.status,
                "exit_on": line.exit_on,
                "exit_reason": line.exit_reason,
            }
            for line in lines
        ],
    )
    store_follow_ups(session, report.id, checked.follow_ups)
    session.expire(report, ["lines"])
    record(
        session,
        actor,
        "report.saved",
        "monthly_report",
        report.id,
        contract_id=contract.id,
        month=month,
        version=report.version,
        lines=len(lines),
        follow_ups=len(checked.follow_ups),
        source=source,
    )
    return report


def submit(
    session: Session,
    actor: Actor,
    report: MonthlyReport,
    now: datetime | None = None,
) -> None:
    """Send a draft to procurement for review, once its month has ended on the day of `now`
    in Copenhagen; before, it stays a draft (DESIGN.md §3)."""
    now = now or utcnow()
    today = now.astimezone(COPENHAGEN).date()
    if report.status != "draft":
        raise DomainError(
            N_("only a draft can be submitted; this report is %(state)s"),
            status=409,
            state=report.status,
        )
    if not has_ended(report.month, today):
        raise DomainError(
            N_(
                "the report for %(month)s can be submitted from %(from_day)s, when the month "
                "has ended; until then it can be saved as a draft"
            ),
            "month",
            month=report.month,
            from_day=month_ends_on(report.month),
        )
    # A notice confirmed since the draft was saved must be on its line too (DESIGN.md §3).
    disagreeing = stored_exit_problems(session, report)
    if disagreeing:
        raise ExitsDisagree(disagreeing)
    report.status = "submitted"
    report.submitted_at = now
    report.submitted_by_id = actor.user_id
    record(
        session,
        actor,
        "report.submitted",
        "monthly_report",
        report.id,
        contract_id=report.contract_id,
        month=report.month,
        version=report.version,
    )
    notification_events.report_submitted(session, report)


def accept(
    session: Session,
    actor: Actor,
    report: MonthlyReport,
    now: datetime | None = None,
    check_share: Decimal = DEFAULT_CHECK_SHARE,
) -> None:
    """Accept a submitted report: it is locked, its exits end their enrolments, and its
    follow-up lines' milestone claims are made (`report_claims.make_from_report`; 409 when
    they no longer hold), drawn for a check with `check_share`."""
    if report.status != "submitted":
        raise DomainError(
            N_("only a submitted report can be accepted; this report is %(state)s"),
            status=409,
            state=report.status,
        )
    exits = session.execute(
        sa.select(ReportLine.enrolment_id, ReportLine.exit_on, ReportLine.exit_reason).where(
            ReportLine.report_id == report.id, ReportLine.status == "exited"
        )
    ).all()
    for enrolment_id, exit_on, reason in exits:
        enrolment = session.get(Enrolment, enrolment_id)
        if enrolment.end_on is None or enrolment.end_reason != TRANSFERRED:
            enrolment.end_on, enrolment.end_reason = exit_on, reason
    now = now or utcnow()
    claims = make_from_report(
        session, actor, report, now.astimezone(COPENHAGEN).date(), now, check_share
    )
    report.status = "accepted"
    report.decided_at = now
    report.decided_by_id = actor.user_id
    record(
        session,
        actor,
        "report.accepted",
        "monthly_report",
        report.id,
        contract_id=report.contract_id,
        month=report.month,
        version=report.version,
        exits=len(exits),
        claims=claims,
    )
    notification_events.report_decided(session, report)


def reject(
    session: Session, actor: Actor, report: MonthlyReport, reason: str, now: datetime | None = None
) -> None:
    """Send a submitted report back to the provider with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("a rejection needs a reason the provider can act on"), "reason")
    if report.status != "submitted":
        raise DomainError(
            N_("only a submitted report can be rejected; this report is %(state)s"),
            status=409,
            state=report.status,
        )
    report.status = "rejected"
    report.rejection_reason = reason[:2000]
    report.decided_at = now or utcnow()
    report.decided_by_id = actor.user_id
    record(
        session,
        actor,
        "report.rejected",
        "monthly_report",
        report.id,
        contract_id=report.contract_id,
        month=report.month,
        version=report.version,
    )
    notification_events.report_decided(session, report)


__all__ = [
    "InputRejected",
    "accept",
    "enrolled_for_month",
    "reject",
    "save_draft",
    "submit",
]
