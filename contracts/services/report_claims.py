"""The milestone claims in a monthly report's follow-up lines (`rules.report_follow_ups` says
what they are): checked with a claim's own rules when the report is saved, stored with it, and
made when procurement accepts it.

A few statements per report however many follow-up lines it has: the participants' job or
education exits and relapses, and the milestones already claimed, are read in one go each.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import (
    Contract,
    Enrolment,
    MilestoneClaim,
    MonthlyReport,
    Participant,
    Relapse,
    ReportFollowUp,
)
from ..rules.exits import POSITIVE_EXITS
from ..rules.problems import N_, Problem
from ..rules.report_follow_ups import FollowUp, on_line, split_employer
from .audit import Actor
from .bulk import insert_rows
from .milestone_claims import ClaimRefused, add_claim, claim_problems, twice


def _positive_enrolments(
    session: Session, contract_id: int, refs: list[str]
) -> dict[str, tuple[Enrolment, date | None]]:
    """Each participant's latest enrolment in the contract that ended in a job or education,
    with its relapse day (as `milestone_claims.positive_enrolment`, for many at once)."""
    rows = session.execute(
        sa.select(Participant.ref, Enrolment, Relapse.relapsed_on)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .outerjoin(Relapse, Relapse.enrolment_id == Enrolment.id)
        .where(
            Enrolment.contract_id == contract_id,
            Participant.ref.in_(refs),
            Enrolment.end_reason.in_(POSITIVE_EXITS),
        )
        .order_by(Participant.ref, Enrolment.end_on.desc())
    ).all()
    found: dict[str, tuple[Enrolment, date | None]] = {}
    for ref, enrolment, relapsed_on in rows:
        found.setdefault(ref, (enrolment, relapsed_on))
    return found


def _claimed(session: Session, contract_id: int, refs: list[str]) -> set[tuple[str, str]]:
    """The milestones already claimed for these participants on the contract, as (ref, code)."""
    return set(
        session.execute(
            sa.select(Participant.ref, MilestoneClaim.code)
            .join(Participant, Participant.id == MilestoneClaim.participant_id)
            .where(MilestoneClaim.contract_id == contract_id, Participant.ref.in_(refs))
        ).all()
    )


def _known(session: Session, contract_id: int, refs: list[str]) -> set[str]:
    """Which of the references are participants of the contract at all."""
    return set(
        session.scalars(
            sa.select(Participant.ref)
            .join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(Enrolment.contract_id == contract_id, Participant.ref.in_(refs))
        )
    )


def report_claim_problems(
    session: Session, contract: Contract, follow_ups: list[FollowUp], today: date
) -> list[Problem]:
    """Every reason the follow-up lines' claims cannot be made today, each on its line and
    column: the rules of a claim made by page or API (`milestone_claims.claim_problems`), a
    reference unknown to the contract, and a milestone already claimed."""
    refs = sorted({f.participant_ref for f in follow_ups})
    found = _positive_enrolments(session, contract.id, refs)
    claimed = _claimed(session, contract.id, refs)
    known = _known(session, contract.id, refs)
    problems = []
    for follow_up in follow_ups:
        ref, code = follow_up.participant_ref, follow_up.milestone
        if ref not in known:
            problems.append(
                Problem(
                    N_("%(ref)s is not a participant of this contract"),
                    {"ref": ref[:40]},
                    follow_up.line,
                    "participant_ref",
                )
            )
            continue
        cvr, institution = split_employer(follow_up.employer)
        own = claim_problems(
            contract,
            ref,
            found.get(ref),
            code,
            cvr,
            institution,
            follow_up.started_on,
            follow_up.weekly_hours,
            today,
        )
        if (ref, code) in claimed:
            own.append(twice(ref, code))
        problems += [on_line(p, follow_up) for p in own]
    return problems


def store_follow_ups(session: Session, report_id: int, follow_ups: list[FollowUp]) -> None:
    """Keep the report's checked follow-up lines with it, replacing what an earlier draft had."""
    session.execute(sa.delete(ReportFollowUp).where(ReportFollowUp.report_id == report_id))
    if not follow_ups:
        return
    ids = dict(
        session.execute(
            sa.select(Participant.ref, Participant.id).where(
                Participant.ref.in_({f.participant_ref for f in follow_ups})
            )
        ).all()
    )
    rows = []
    for f in follow_ups:
        cvr, institution = split_employer(f.employer)
        rows.append(
            {
                "report_id": report_id,
                "position": f.position,
                "participant_id": ids[f.participant_ref],
                "code": f.milestone,
                "employer_cvr": cvr,
                "institution": institution,
                "started_on": f.started_on,
                "weekly_hours": f.weekly_hours,
            }
        )
    insert_rows(session, ReportFollowUp.__table__, rows)


def stored_follow_ups(session: Session, report_id: int) -> list[FollowUp]:
    """A stored report's follow-up lines in the order sent (`line` is the position)."""
    participant = aliased(Participant)
    rows = session.execute(
        sa.select(ReportFollowUp, participant.ref)
        .join(participant, participant.id == ReportFollowUp.participant_id)
        .where(ReportFollowUp.report_id == report_id)
        .order_by(ReportFollowUp.position)
    ).all()
    return [
        FollowUp(
            f.position,
            f.position,
            ref,
            f.code,
            f.employer_cvr or f.institution,
            f.started_on,
            f.weekly_hours,
        )
        for f, ref in rows
    ]


def make_from_report(
    session: Session,
    actor: Actor,
    report: MonthlyReport,
    today: date,
    now: datetime,
    check_share: Decimal,
) -> int:
    """Make the accepted report's claims, each as `milestone_claims.make` would (the provider's
    word, drawn for a check the same way), after checking them again today: a relapse or a
    claim recorded since the report was saved refuses the acceptance (409) with every problem.
    The number of claims made."""
    follow_ups = stored_follow_ups(session, report.id)
    if not follow_ups:
        return 0
    contract = session.get(Contract, report.contract_id)
    problems = report_claim_problems(session, contract, follow_ups, today)
    if problems:
        raise ClaimRefused(problems, status=409)
    found = _positive_enrolments(
        session, contract.id, sorted({f.participant_ref for f in follow_ups})
    )
    for f in follow_ups:
        add_claim(
            session,
            actor,
            contract.id,
            found[f.participant_ref][0],
            f.participant_ref,
            f.milestone,
            (*split_employer(f.employer), f.started_on, f.weekly_hours),
            today,
            now,
            check_share,
            # The provider's word: whoever sent the report in.
            report.submitted_by_id,
            report_id=report.id,
        )
    return len(follow_ups)
