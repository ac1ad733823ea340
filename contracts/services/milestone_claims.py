"""Milestone claims (DESIGN.md §15): the provider claims that a participant's job or education
lasted 13 or 26 weeks; procurement verifies or rejects.

- `make` (the contract's provider): 422 for a milestone the contract does not pay, a participant
  without an exit to a job or education on the contract, a claim before the milestone's day or
  after a relapse before it, missing evidence, or a second claim of the same milestone.
  A reproducible share of claims must be checked (`check_required`); the others are payable the
  day they are made.
- `verify` (procurement): a claim waiting for its check becomes payable that day; 409 once
  decided.
- `reject` (procurement, with a reason): never paid; one already paid is taken back on the next
  invoice (`milestone_lines`). 409 when already rejected.

The invoices read the claims in SQL; nothing here touches an invoice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..models import Contract, Enrolment, MilestoneClaim, Participant, Relapse
from ..rules import milestones as rules
from ..rules.exits import POSITIVE_EXITS
from ..rules.identifiers import compact_cvr, cvr_problem
from ..rules.problems import N_, Problem
from . import DomainError, NotFound, Refused, scope
from .audit import Actor, record
from .contract_register import get_contract
from .paging import Page, page_of
from .scope import Viewer


class ClaimRefused(Refused):
    """A claim cannot be made: every problem found, each with its field."""


def positive_enrolment(
    session: Session, contract_id: int, ref: str
) -> tuple[Enrolment, date | None] | None:
    """The participant's latest enrolment in the contract that ended in a job or education, with
    the day of its relapse, if one is recorded."""
    row = session.execute(
        sa.select(Enrolment, Relapse.relapsed_on)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .outerjoin(Relapse, Relapse.enrolment_id == Enrolment.id)
        .where(
            Enrolment.contract_id == contract_id,
            Participant.ref == ref,
            Enrolment.end_reason.in_(POSITIVE_EXITS),
        )
        .order_by(Enrolment.end_on.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def make(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_id: int,
    *,
    participant_ref: str,
    code: str,
    employer_cvr: str | None,
    institution: str | None,
    started_on: date,
    weekly_hours: Decimal,
    today: date,
    now: datetime,
    check_share: Decimal,
) -> MilestoneClaim:
    """Record the provider's claim (see the module); every problem at once."""
    if not viewer.is_provider:
        raise DomainError(N_("only the contract's provider claims its milestones"), status=403)
    contract = get_contract(session, viewer, contract_id)  # NotFound for another's contract
    ref = (participant_ref or "").strip()
    employer_cvr = compact_cvr(employer_cvr) if employer_cvr and employer_cvr.strip() else None
    institution = (institution or "").strip() or None
    found = positive_enrolment(session, contract.id, ref)
    problems = claim_problems(
        contract, ref, found, code, employer_cvr, institution, started_on, weekly_hours, today
    )
    if problems:
        raise ClaimRefused(problems)
    enrolment = found[0]
    if session.scalar(_claimed(contract.id, enrolment.participant_id, code)) is not None:
        raise ClaimRefused([twice(ref, code)])
    return add_claim(
        session,
        actor,
        contract.id,
        enrolment,
        ref,
        code,
        (employer_cvr, institution, started_on, weekly_hours),
        today,
        now,
        check_share,
        actor.user_id,
    )


def add_claim(
    session: Session,
    actor: Actor,
    contract_id: int,
    enrolment: Enrolment,
    ref: str,
    code: str,
    evidence: tuple[str | None, str | None, date, Decimal],
    today: date,
    now: datetime,
    check_share: Decimal,
    made_by_id: int | None,
    **audit,
) -> MilestoneClaim:
    """Store a claim whose rules were checked, drawn for a check, and audit it (`audit` adds to
    the event). `evidence` is (employer CVR, institution, started_on, weekly hours)."""
    employer_cvr, institution, started_on, weekly_hours = evidence
    required = rules.check_required(contract_id, ref, code, check_share)
    claim = MilestoneClaim(
        contract_id=contract_id,
        enrolment_id=enrolment.id,
        participant_id=enrolment.participant_id,
        code=code,
        employer_cvr=employer_cvr,
        institution=institution,
        started_on=started_on,
        weekly_hours=weekly_hours,
        milestone_on=rules.milestone_on(code, started_on),
        made_on=today,
        made_at=now,
        made_by_id=made_by_id,
        check_required=required,
        status="claimed",
        payable_on=rules.payable_on(required, "claimed", today, None),
    )
    try:
        # A savepoint: the unique constraint settles a race with the same claim made at once.
        with session.begin_nested():
            session.add(claim)
    except IntegrityError:
        raise ClaimRefused([twice(ref, code)]) from None
    record(
        session,
        actor,
        "milestone_claim.made",
        "milestone_claim",
        claim.id,
        occurred_at=now,
        contract_id=contract_id,
        participant_ref=ref,
        milestone=code,
        check_required=required,
        **audit,
    )
    return claim


def not_left_for_work(ref: str) -> Problem:
    """The participant has no positive exit from this contract: nothing to claim or relapse."""
    return Problem(
        N_("%(ref)s has not left this contract for a job or education"),
        {"ref": ref[:40]},
        field="participant_ref",
    )


def claim_problems(
    contract: Contract,
    ref: str,
    found: tuple[Enrolment, date | None] | None,
    code: str,
    employer_cvr: str | None,
    institution: str | None,
    started_on: date,
    weekly_hours: Decimal,
    today: date,
) -> list[Problem]:
    """Why a claim cannot be made today, each with its field: the one home of a claim's rules,
    for a claim made by page or API (`make`) and one in a report's follow-up line
    (`report_claims`). `found` is the participant's `positive_enrolment`; a second claim of
    the same milestone is the caller's to find."""
    problems: list[Problem] = [] if found is not None else [not_left_for_work(ref)]
    paid = {m.code for m in contract.milestones}
    if code in rules.CLAIMED_MILESTONES and code not in paid:
        problems.append(
            Problem(
                N_("contract %(reference)s does not pay the %(milestone)s milestone"),
                {"reference": contract.reference, "milestone": code},
                field="milestone",
            )
        )
    relapsed_on = found[1] if found else None
    problems += rules.claim_problems(
        code, started_on, today, relapsed_on, weekly_hours, employer_cvr, institution
    )
    if employer_cvr and (wrong := cvr_problem(employer_cvr)) is not None:
        problems.append(Problem(wrong.template, wrong.params, field="employer_cvr"))
    return problems


def _claimed(contract_id: int, participant_id: int, code: str) -> sa.Select:
    return sa.select(MilestoneClaim.id).where(
        MilestoneClaim.contract_id == contract_id,
        MilestoneClaim.participant_id == participant_id,
        MilestoneClaim.code == code,
    )


def twice(ref: str, code: str) -> Problem:
    return Problem(
        N_("%(ref)s's %(milestone)s milestone is already claimed"),
        {"ref": ref, "milestone": code},
        field="milestone",
    )


def verify(
    session: Session, actor: Actor, claim_id: int, today: date, now: datetime
) -> MilestoneClaim:
    """Procurement has checked the evidence: payable from today (a claim not drawn for a check
    keeps the day it was made)."""
    claim = _decidable(session, claim_id)
    if claim.status != "claimed":
        raise DomainError(N_("the claim is already %(state)s"), "claim_id", 409, state=claim.status)
    claim.status = "verified"
    claim.decided_on, claim.decided_at, claim.decided_by_id = today, now, actor.user_id
    claim.payable_on = rules.payable_on(claim.check_required, "verified", claim.made_on, today)
    record(session, actor, "milestone_claim.verified", "milestone_claim", claim.id, occurred_at=now)
    return claim


def reject(
    session: Session, actor: Actor, claim_id: int, reason: str, today: date, now: datetime
) -> MilestoneClaim:
    """The claim is false: never paid, and taken back on the next invoice if it was paid."""
    claim = _decidable(session, claim_id)
    if claim.status == "rejected":
        raise DomainError(N_("the claim is already rejected"), "claim_id", 409)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("say why the claim is rejected"), "reason")
    was = claim.status
    claim.status, claim.rejection_reason = "rejected", reason
    claim.decided_on, claim.decided_at, claim.decided_by_id = today, now, actor.user_id
    claim.payable_on = None
    record(
        session,
        actor,
        "milestone_claim.rejected",
        "milestone_claim",
        claim.id,
        occurred_at=now,
        was=was,
        reason=reason,
    )
    return claim


def _decidable(session: Session, claim_id: int) -> MilestoneClaim:
    claim = session.get(MilestoneClaim, claim_id, with_for_update=True)
    if claim is None:
        raise NotFound(N_("no such claim"), "claim_id")
    return claim


def _visible(viewer: Viewer) -> sa.Select:
    """The claims the viewer may see, through their contracts."""
    return scope.contracts(
        viewer,
        sa.select(MilestoneClaim).join(Contract, Contract.id == MilestoneClaim.contract_id),
    ).options(
        selectinload(MilestoneClaim.participant),
        selectinload(MilestoneClaim.contract),
    )


def visible_claim(session: Session, viewer: Viewer, claim_id: int) -> MilestoneClaim:
    """One claim the viewer may see; NotFound also when it is another provider's."""
    claim = session.scalar(_visible(viewer).where(MilestoneClaim.id == claim_id))
    if claim is None:
        raise NotFound(N_("no such claim"), "claim_id")
    return claim


def claims_page(
    session: Session,
    viewer: Viewer,
    *,
    contract_id: int | None = None,
    status: str | None = None,
    to_check: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page[MilestoneClaim]:
    """A page of the claims the viewer may see, oldest first (procurement's queue works through
    them so); `to_check` keeps those waiting for a required check."""
    stmt = _visible(viewer)
    if contract_id is not None:
        stmt = stmt.where(MilestoneClaim.contract_id == contract_id)
    if status is not None:
        if status not in rules.CLAIM_STATUSES:
            raise DomainError(
                N_("the status must be one of %(states)s"),
                "status",
                states=", ".join(rules.CLAIM_STATUSES),
            )
        stmt = stmt.where(MilestoneClaim.status == status)
    if to_check:
        stmt = stmt.where(MilestoneClaim.status == "claimed", MilestoneClaim.check_required)
    stmt = stmt.order_by(MilestoneClaim.made_at, MilestoneClaim.id)
    return page_of(session, stmt, page, per_page)


def lapsed_ids(session: Session, claim_ids: list[int]) -> set[int]:
    """Which of the claims lapsed: their milestone's day falls after the participant's relapse."""
    return set(
        session.scalars(
            sa.select(MilestoneClaim.id)
            .join(Relapse, Relapse.enrolment_id == MilestoneClaim.enrolment_id)
            .where(
                MilestoneClaim.id.in_(claim_ids),
                MilestoneClaim.milestone_on > Relapse.relapsed_on,
            )
        )
    )


def positive_refs(session: Session, viewer: Viewer, contract_id: int) -> list[str]:
    """The references of the contract's participants who left it for a job or education (the
    ones a claim or a relapse is about), in reference order."""
    contract = get_contract(session, viewer, contract_id)
    return list(
        session.scalars(
            sa.select(Participant.ref)
            .join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(Enrolment.contract_id == contract.id, Enrolment.end_reason.in_(POSITIVE_EXITS))
            .distinct()
            .order_by(Participant.ref)
        )
    )
