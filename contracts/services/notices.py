"""Notices during the month (DESIGN.md §3): a provider records them, procurement decides exits.

- `record`: the contract's provider tells that a participant left (`exit`, with a §4 reason) or
  failed to turn up without a valid reason (`absence`, with the hours missed) on a day that has
  come. Every problem of the input is refused at once (422, each with the API's field name);
  what the records' state forbids is 409: a second exit notice of an enrolment that has one
  waiting or confirmed, an exit of an enrolment that has ended, an exit in a month whose
  report is already submitted or accepted (it is reported there, or in a correction), a
  second absence notice of the same day.
- `confirm` (procurement): the exit ends the enrolment on its date with its reason at once,
  before any monthly report. It is refused (409) when the notice is decided, when the
  enrolment has already ended otherwise, or when the month's report is already submitted or
  accepted without that exit. An enrolment that the month's accepted report ended on the same
  day for the same reason is confirmed as it is.
- `reject` (procurement, with a reason the provider reads): nothing else changes.

Absence notices are for the caseworker's record: they are never confirmed or rejected and stay
`received`; the caseworkers list and export them, and the reviewer sets them beside the report's
absence hours (`absence_hours_by_participant`).

What a notice must say, and a day's most hours of absence, are pure rules
(`contracts.rules.notice_checks`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Enrolment, MonthlyReport, Notice, Participant, ReportLine, utcnow
from ..models.notices import LIVE_STATUSES
from ..rules.notice_checks import DAY_MOST_HOURS, NOTE_MOST, input_problems
from ..rules.periods import month_of
from ..rules.problems import N_, Problem
from ..rules.report_calendar import DONE_STATUSES
from . import DomainError, NotFound, Refused, notification_events
from .audit import Actor
from .audit import record as audit
from .contract_register import get_contract
from .notice_lists import (
    absence_hours_by_participant,
    absence_notices,
    confirmed_exits,
    exits_waiting,
    notices_page,
    participants_on,
    visible_notice,
)
from .report_versions import latest_report
from .scope import Viewer

# A month whose report is sent in (DONE_STATUSES) has its exits settled by the report, not by
# a notice.
REPORTED = DONE_STATUSES


class NoticeRefused(Refused):
    """A notice cannot be recorded: every problem found, each with its field."""


def _enrolment_on(session: Session, contract_id: int, ref: str, on: date) -> Enrolment | None:
    """The participant's enrolment in the contract that covers the day, if any."""
    return session.scalar(
        sa.select(Enrolment)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .where(
            Enrolment.contract_id == contract_id,
            Participant.ref == ref,
            Enrolment.start_on <= on,
            sa.or_(Enrolment.end_on.is_(None), Enrolment.end_on >= on),
            Enrolment.counts,  # one registered by mistake has no days to tell of
        )
        .order_by(Enrolment.start_on.desc())
        .limit(1)
    )


def _exit_conflict(session: Session, enrolment: Enrolment, ref: str, on: date) -> None:
    """Raise 409 when the records' state leaves no exit to tell of."""
    if enrolment.end_on is not None:
        raise DomainError(
            N_("%(ref)s's enrolment has already ended, on %(day)s"),
            "participant_ref",
            409,
            ref=ref,
            day=enrolment.end_on,
        )
    live = session.scalar(
        sa.select(Notice).where(
            Notice.enrolment_id == enrolment.id,
            Notice.kind == "exit",
            Notice.status.in_(LIVE_STATUSES),
        )
    )
    if live is not None:
        raise DomainError(
            N_("%(ref)s already has an exit notice of %(day)s waiting for a decision")
            if live.status == "received"
            else N_("%(ref)s already has a confirmed exit notice of %(day)s"),
            "participant_ref",
            409,
            ref=ref,
            day=live.on,
        )
    report = latest_report(session, enrolment.contract_id, month_of(on))
    if report is not None and report.status in REPORTED:
        raise DomainError(
            N_(
                "the report for %(month)s is %(state)s; an exit in that month is told in the "
                "report, or in a correction of it"
            ),
            "date",
            409,
            month=report.month,
            state=report.status,
        )


def _absence_conflict(session: Session, enrolment: Enrolment, ref: str, on: date) -> None:
    """Raise 409 when the participant's absence that day is recorded already."""
    if session.scalar(
        sa.select(Notice.id).where(
            Notice.enrolment_id == enrolment.id, Notice.kind == "absence", Notice.on == on
        )
    ):
        raise DomainError(
            N_("%(ref)s's absence on %(day)s is already recorded"),
            "date",
            409,
            ref=ref,
            day=on,
        )


def record(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_id: int,
    *,
    participant_ref: str,
    kind: str,
    on: date,
    today: date,
    reason: str | None = None,
    hours: Decimal | None = None,
    note: str | None = None,
) -> Notice:
    """Record an exit or absence notice of one of the contract's participants (see the module)."""
    if not viewer.is_provider:
        raise DomainError(N_("only the contract's provider records its notices"), status=403)
    contract = get_contract(session, viewer, contract_id)  # NotFound for another's contract
    ref = (participant_ref or "").strip()
    reason = (reason or "").strip() or None
    note = (note or "").strip() or None
    problems = input_problems(kind, on, today, reason, hours, note)
    enrolment = None
    if not ref:
        problems.insert(0, Problem(N_("choose the participant"), field="participant_ref"))
    else:
        enrolment = _enrolment_on(session, contract.id, ref, on)
        if enrolment is None:
            problems.insert(
                0,
                Problem(
                    N_("%(ref)s is not enrolled in this contract on %(day)s"),
                    {"ref": ref[:40], "day": on},
                    field="participant_ref",
                ),
            )
    if problems:
        raise NoticeRefused(problems)
    if kind == "exit":
        _exit_conflict(session, enrolment, ref, on)
    else:
        _absence_conflict(session, enrolment, ref, on)
    notice = Notice(
        contract_id=contract.id,
        enrolment_id=enrolment.id,
        participant_id=enrolment.participant_id,
        kind=kind,
        on=on,
        exit_reason=reason if kind == "exit" else None,
        hours_missed=hours if kind == "absence" else None,
        note=note,
        status="received",
        recorded_at=utcnow(),
        recorded_by_id=actor.user_id,
    )
    try:
        # A savepoint: the unique indexes settle a race with a request recording the same notice.
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        raise DomainError(
            N_("the same notice was recorded at the same moment; nothing more was stored"),
            status=409,
        ) from None
    audit(
        session,
        actor,
        "notice.recorded",
        "notice",
        notice.id,
        contract_id=contract.id,
        participant_ref=ref,
        kind=kind,
        on=on.isoformat(),
        reason=notice.exit_reason,
        hours=None if notice.hours_missed is None else str(notice.hours_missed),
    )
    notification_events.notice_received(session, notice)
    return notice


def _decidable(session: Session, notice_id: int) -> Notice:
    """The notice, locked for the decision; 409 for an absence notice or one already decided."""
    notice = session.scalar(sa.select(Notice).where(Notice.id == notice_id).with_for_update())
    if notice is None:
        raise NotFound(N_("no such notice"), "notice_id")
    if notice.kind != "exit":
        raise DomainError(
            N_("an absence notice is kept for the record; it is not confirmed or rejected"),
            status=409,
        )
    if notice.status == "confirmed":
        raise DomainError(N_("the notice is already confirmed"), status=409)
    if notice.status == "rejected":
        raise DomainError(N_("the notice is already rejected"), status=409)
    return notice


def _report_carries(session: Session, report: MonthlyReport, notice: Notice) -> bool:
    """Whether the report has the notice's participant exiting on its day for its reason."""
    return (
        session.scalar(
            sa.select(ReportLine.id).where(
                ReportLine.report_id == report.id,
                ReportLine.participant_id == notice.participant_id,
                ReportLine.status == "exited",
                ReportLine.exit_on == notice.on,
                ReportLine.exit_reason == notice.exit_reason,
            )
        )
        is not None
    )


def confirm(session: Session, actor: Actor, notice_id: int, now: datetime | None = None) -> Notice:
    """Confirm an exit notice: its enrolment ends on its day with its reason, at once."""
    notice = _decidable(session, notice_id)
    enrolment = notice.enrolment
    ended = enrolment.end_on is not None
    if ended and (enrolment.end_on, enrolment.end_reason) != (notice.on, notice.exit_reason):
        raise DomainError(
            N_("the enrolment has already ended otherwise, on %(day)s (%(reason)s)"),
            status=409,
            day=enrolment.end_on,
            reason=enrolment.end_reason,
        )
    report = latest_report(session, notice.contract_id, month_of(notice.on))
    if (
        report is not None
        and report.status in REPORTED
        and not _report_carries(session, report, notice)
    ):
        raise DomainError(
            N_(
                "the report for %(month)s is %(state)s without this exit; it must be rejected "
                "or corrected before the notice can be confirmed"
            ),
            status=409,
            month=report.month,
            state=report.status,
        )
    if not ended:
        enrolment.end_on, enrolment.end_reason = notice.on, notice.exit_reason
    notice.status = "confirmed"
    notice.decided_at = now or utcnow()
    notice.decided_by_id = actor.user_id
    session.flush()
    audit(
        session,
        actor,
        "notice.confirmed",
        "notice",
        notice.id,
        contract_id=notice.contract_id,
        enrolment_id=enrolment.id,
        ended_on=notice.on.isoformat(),
        reason=notice.exit_reason,
        already_ended=ended,
    )
    return notice


def reject(
    session: Session, actor: Actor, notice_id: int, reason: str, now: datetime | None = None
) -> Notice:
    """Reject an exit notice with the reason the provider reads; nothing else changes."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("a rejection needs a reason the provider can act on"), "reason")
    if len(reason) > NOTE_MOST:
        raise DomainError(
            N_("the reason may be at most %(most)s characters"), "reason", most=NOTE_MOST
        )
    notice = _decidable(session, notice_id)
    notice.status = "rejected"
    notice.rejection_reason = reason
    notice.decided_at = now or utcnow()
    notice.decided_by_id = actor.user_id
    session.flush()
    audit(
        session,
        actor,
        "notice.rejected",
        "notice",
        notice.id,
        contract_id=notice.contract_id,
    )
    return notice


__all__ = [
    "DAY_MOST_HOURS",
    "NoticeRefused",
    "absence_hours_by_participant",
    "absence_notices",
    "confirm",
    "confirmed_exits",
    "exits_waiting",
    "notices_page",
    "participants_on",
    "record",
    "reject",
    "visible_notice",
]
