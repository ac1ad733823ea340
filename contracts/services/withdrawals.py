"""Ending an enrolment registered by mistake (issue 12): procurement ends it with the
administrative reason `withdrawn` ("Oprettet ved en fejl") and says why.

What it does, all in one transaction or not at all:
- the enrolment ends on its own start day with the reason `withdrawn`: it was never a course,
  so it is neither an exit in any figure or score nor a participant, no report needs a line for
  it and no invoice prices it (`Enrolment.counts` is false);
- exit notices of it still waiting or confirmed are rejected with the same reason, which the
  provider reads, so no report is asked to carry an exit of a course that never was;
- its lines in reports the provider is still writing (a draft, or a rejected report) are taken
  out, so a draft sent in later cannot count it again;
- the audit log records who did it, why, and what it was before.

It is refused, changing nothing:
- 403 for anyone but procurement; 404 for an enrolment that is not the contract's;
- 422 without a reason (or one longer than 2,000 characters);
- 409 when the enrolment is already withdrawn, or is part of a changeover (moved to the
  successor contract, or continuing one from the predecessor: a real course either way);
- 409 while a report that counts, or one waiting for review, carries the participant: the
  newest accepted (or invoiced) version of a month, or a submitted one. Invoices and figures
  rest on it, so the report is corrected first (rejected, or a correction by the provider
  without the line, accepted), and then the enrolment can be ended.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Enrolment, MonthlyReport, Notice, Participant, ReportLine, utcnow
from ..models.notices import LIVE_STATUSES
from ..rules.exits import TRANSFERRED, WITHDRAWN
from ..rules.problems import N_
from . import DomainError, NotFound, scope
from .audit import Actor, record
from .report_versions import is_version_in, newest_counted_versions
from .scope import Viewer

REASON_MOST = 2000
# Reports the provider is still writing: their lines are the provider's draft, not a fact.
UNSENT = ("draft", "rejected")


def withdrawable_enrolment(
    session: Session, viewer: Viewer, contract_id: int, enrolment_id: int, lock: bool = False
) -> tuple[Enrolment, str]:
    """The contract's enrolment and its participant's reference, for procurement; 403 for any
    other role, NotFound when the viewer may not see it or it is another contract's."""
    if not viewer.may("procurement"):
        raise DomainError(
            N_("only procurement ends an enrolment registered by mistake"), status=403
        )
    stmt = scope.enrolments(
        viewer,
        sa.select(Enrolment, Participant.ref).join(
            Participant, Participant.id == Enrolment.participant_id
        ),
    ).where(Enrolment.id == enrolment_id, Enrolment.contract_id == contract_id)
    if lock:
        stmt = stmt.with_for_update(of=Enrolment)
    found = session.execute(stmt).first()
    if found is None:
        raise NotFound(N_("no such enrolment"), "enrolment_id")
    return found[0], found[1]


def _carrying_report(session: Session, enrolment: Enrolment) -> MonthlyReport | None:
    """The first month's report that counts, or waits for review, with a line of the enrolment."""
    newest = newest_counted_versions(MonthlyReport.contract_id == enrolment.contract_id)
    counted = sa.select(MonthlyReport.id).join(newest, is_version_in(newest))
    return session.scalar(
        sa.select(MonthlyReport)
        .join(ReportLine, ReportLine.report_id == MonthlyReport.id)
        .where(
            ReportLine.enrolment_id == enrolment.id,
            sa.or_(MonthlyReport.status == "submitted", MonthlyReport.id.in_(counted)),
        )
        .order_by(MonthlyReport.month, MonthlyReport.version)
        .limit(1)
    )


def refusal(session: Session, enrolment: Enrolment, ref: str) -> DomainError | None:
    """Why the enrolment cannot be ended as registered by mistake now, or None when it can
    (the page asks before it offers the button; `withdraw` asks again)."""
    if enrolment.end_reason == WITHDRAWN:
        return DomainError(
            N_("%(ref)s's enrolment is already ended as registered by mistake"),
            status=409,
            ref=ref,
        )
    if enrolment.end_reason == TRANSFERRED or enrolment.transferred_from_id is not None:
        return DomainError(
            N_(
                "%(ref)s's enrolment is part of a changeover between a contract and its "
                "successor; it was a real course and cannot be ended as registered by mistake"
            ),
            status=409,
            ref=ref,
        )
    report = _carrying_report(session, enrolment)
    if report is not None:
        return DomainError(
            N_(
                "%(ref)s is on the report for %(month)s, which is %(state)s; the report must "
                "first stop carrying the participant (a submitted report can be rejected, an "
                "accepted or invoiced one needs the provider's correction), then the enrolment "
                "can be ended."
            ),
            status=409,
            ref=ref,
            month=report.month,
            state=report.status,
        )
    return None


def withdraw(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_id: int,
    enrolment_id: int,
    reason: str,
    now: datetime | None = None,
) -> Enrolment:
    """End the enrolment as registered by mistake, on its start day (see the module)."""
    enrolment, ref = withdrawable_enrolment(session, viewer, contract_id, enrolment_id, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            N_("say why the enrolment was registered by mistake; the reason is kept in the log"),
            "reason",
        )
    if len(reason) > REASON_MOST:
        raise DomainError(
            N_("the reason may be at most %(most)s characters"), "reason", most=REASON_MOST
        )
    refused = refusal(session, enrolment, ref)
    if refused is not None:
        raise refused
    now = now or utcnow()
    before: tuple[date | None, str | None] = (enrolment.end_on, enrolment.end_reason)
    notice_ids = list(
        session.scalars(
            sa.select(Notice.id).where(
                Notice.enrolment_id == enrolment.id,
                Notice.kind == "exit",
                Notice.status.in_(LIVE_STATUSES),
            )
        )
    )
    if notice_ids:
        session.execute(
            sa.update(Notice)
            .where(Notice.id.in_(notice_ids))
            .values(
                status="rejected",
                rejection_reason=reason,
                decided_at=now,
                decided_by_id=actor.user_id,
            )
            .execution_options(synchronize_session="fetch")
        )
    unsent = sa.select(MonthlyReport.id).where(
        MonthlyReport.contract_id == enrolment.contract_id, MonthlyReport.status.in_(UNSENT)
    )
    removed = session.execute(
        sa.delete(ReportLine).where(
            ReportLine.enrolment_id == enrolment.id, ReportLine.report_id.in_(unsent)
        )
    ).rowcount
    enrolment.end_on, enrolment.end_reason = enrolment.start_on, WITHDRAWN
    session.flush()
    record(
        session,
        actor,
        "enrolment.withdrawn",
        "contract",
        enrolment.contract_id,
        occurred_at=now,
        participant=ref,
        enrolment_id=enrolment.id,
        start_on=enrolment.start_on.isoformat(),
        old_end=before[0].isoformat() if before[0] else None,
        previous_end_reason=before[1],
        reason=reason,
        notices_rejected=notice_ids,
        draft_lines_removed=removed,
    )
    return enrolment
