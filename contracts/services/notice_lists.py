"""Reading notices: the lists a viewer may see, the exits waiting for procurement, and a
contract's month of confirmed exits and absence hours (the report's check, the reviewer's page).

Every list is scoped through `scope.contracts`: procurement and finance see every provider's
notices, a provider only its own, an administrator none.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Contract, Enrolment, MonthlyReport, Notice, Participant, ReportLine
from ..models.notices import NOTICE_KINDS, NOTICE_STATUSES
from ..rules.periods import parse_month
from ..rules.problems import N_, Problem
from ..rules.report_checks import confirmed_exit_problem
from . import DomainError, NotFound, Refused, scope
from .paging import Page, page_of
from .scope import Viewer
from .sql import decimal_from_hundredths, sum_hundredths


def _visible(viewer: Viewer) -> sa.Select:
    """The notices the viewer may see, through their contracts."""
    return scope.contracts(
        viewer, sa.select(Notice).join(Contract, Contract.id == Notice.contract_id)
    ).options(
        selectinload(Notice.participant),
        selectinload(Notice.contract).selectinload(Contract.provider),
    )


def _in_month(month: str) -> sa.ColumnElement[bool]:
    first, last = parse_month(month)
    return Notice.on.between(first, last)


def _filtered(
    viewer: Viewer,
    contract_id: int | None,
    kind: str | None,
    status: str | None,
    month: str | None,
) -> sa.Select:
    stmt = _visible(viewer)
    if kind is not None:
        if kind not in NOTICE_KINDS:
            raise DomainError(
                N_("the kind must be one of %(kinds)s"), "kind", kinds=", ".join(NOTICE_KINDS)
            )
        stmt = stmt.where(Notice.kind == kind)
    if status is not None:
        if status not in NOTICE_STATUSES:
            raise DomainError(
                N_("the status must be one of %(states)s"),
                "status",
                states=", ".join(NOTICE_STATUSES),
            )
        stmt = stmt.where(Notice.status == status)
    if contract_id is not None:
        stmt = stmt.where(Notice.contract_id == contract_id)
    if month is not None:
        try:
            stmt = stmt.where(_in_month(month))
        except ValueError:
            raise DomainError(
                N_("'%(text)s' is not a month in the form YYYY-MM"), "month", text=month
            ) from None
    return stmt


def notices_page(
    session: Session,
    viewer: Viewer,
    *,
    contract_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    month: str | None = None,
    page: int = 1,
    per_page: int = 50,
    oldest_first: bool = False,
) -> Page[Notice]:
    """One page of the notices the viewer may see that the filters find: the newest day first
    (or the oldest recorded first, as procurement's queue works through them). A filter on
    another provider's contract finds nothing."""
    stmt = _filtered(viewer, contract_id, kind, status, month)
    if oldest_first:
        stmt = stmt.order_by(Notice.recorded_at, Notice.id)
    else:
        stmt = stmt.order_by(Notice.on.desc(), Notice.id.desc())
    return page_of(session, stmt, page, per_page)


def visible_notice(session: Session, viewer: Viewer, notice_id: int) -> Notice:
    """One notice the viewer may see; NotFound also when it exists but is another provider's."""
    notice = session.scalar(_visible(viewer).where(Notice.id == notice_id))
    if notice is None:
        raise NotFound(N_("no such notice"), "notice_id")
    return notice


def exits_waiting(session: Session, viewer: Viewer) -> int:
    """How many exit notices wait for procurement's decision (none for anyone else)."""
    if not viewer.may("procurement"):
        return 0
    return int(
        session.scalar(
            sa.select(sa.func.count(Notice.id)).where(
                Notice.kind == "exit", Notice.status == "received"
            )
        )
    )


def absence_notices(
    session: Session, viewer: Viewer, contract_id: int | None, month: str | None
) -> list[Notice]:
    """Every absence notice the filters find, by day then participant (the export's rows)."""
    stmt = _filtered(viewer, contract_id, "absence", None, month)
    return list(session.scalars(stmt.order_by(Notice.on, Notice.contract_id, Notice.id)))


def confirmed_exits(session: Session, contract_id: int, month: str) -> dict[str, tuple[date, str]]:
    """The contract's confirmed exits in the month: participant reference → (day, reason)."""
    rows = session.execute(
        sa.select(Participant.ref, Notice.on, Notice.exit_reason)
        .join(Participant, Participant.id == Notice.participant_id)
        .where(
            Notice.contract_id == contract_id,
            Notice.kind == "exit",
            Notice.status == "confirmed",
            _in_month(month),
        )
    ).all()
    return {ref: (on, reason) for ref, on, reason in rows}


def absence_hours_by_participant(
    session: Session, contract_id: int, month: str
) -> dict[str, Decimal]:
    """The hours missed by absence notices in the month, summed per participant reference."""
    rows = session.execute(
        sa.select(Participant.ref, sum_hundredths(Notice.hours_missed))
        .join(Participant, Participant.id == Notice.participant_id)
        .where(Notice.contract_id == contract_id, Notice.kind == "absence", _in_month(month))
        .group_by(Participant.ref)
    ).all()
    return {ref: decimal_from_hundredths(hours) for ref, hours in rows}


class ExitsDisagree(Refused):
    """A stored report leaves out, or changes, exits that notices confirmed: each such line."""


def stored_exit_problems(session: Session, report: MonthlyReport) -> list[Problem]:
    """The stored report's lines that disagree with the month's confirmed exits (DESIGN.md §3),
    each as a problem on its line (its position in the report) naming the participant."""
    confirmed = confirmed_exits(session, report.contract_id, report.month)
    if not confirmed:
        return []
    rows = session.execute(
        sa.select(
            ReportLine.position,
            Participant.ref,
            ReportLine.status,
            ReportLine.exit_on,
            ReportLine.exit_reason,
        )
        .join(Participant, Participant.id == ReportLine.participant_id)
        .where(ReportLine.report_id == report.id, Participant.ref.in_(list(confirmed)))
        .order_by(ReportLine.position)
    ).all()
    problems = []
    for position, ref, status, exit_on, reason in rows:
        problem = confirmed_exit_problem(position, status, exit_on, reason, confirmed[ref], ref)
        if problem is not None:
            problems.append(problem)
    return problems


def participants_on(session: Session, viewer: Viewer, contract_id: int, day: date) -> list[str]:
    """The references of the contract's participants enrolled on the day, in order: whom a
    notice of that day may name (none of a contract the viewer may not see)."""
    stmt = sa.select(Participant.ref).join_from(
        Enrolment, Participant, Participant.id == Enrolment.participant_id
    )
    return list(
        session.scalars(
            scope.enrolments(viewer, stmt)
            .where(
                Enrolment.contract_id == contract_id,
                Enrolment.start_on <= day,
                sa.or_(Enrolment.end_on.is_(None), Enrolment.end_on >= day),
                Enrolment.counts,  # not one registered by mistake
            )
            .order_by(Participant.ref)
        )
    )
