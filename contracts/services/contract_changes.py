"""Changes to signed contracts: extensions by amendment, and the changeover to successors."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Amendment, Contract, Enrolment, utcnow
from ..rules.exits import TRANSFERRED
from ..rules.problems import N_
from . import DomainError
from .audit import SYSTEM, Actor, record


def extend(
    session: Session,
    actor: Actor,
    contract: Contract,
    new_end: date,
    reason: str,
    today: date,
    now: datetime | None = None,
) -> Amendment:
    """Move a contract's end date by an amendment, never past its extension option."""
    reason = (reason or "").strip()
    status = contract.status_on(today)
    if status in ("ended", "terminated"):
        raise DomainError(
            N_("the contract is %(state)s and cannot be extended"),
            "end_date",
            status=409,
            state=status,
        )
    if not reason:
        raise DomainError(N_("an extension needs a reason"), "reason")
    if new_end <= contract.end_on:
        raise DomainError(
            N_("the new end date must be after the current one, %(end)s"),
            "end_date",
            end=contract.end_on,
        )
    if new_end > contract.max_end_on:
        raise DomainError(
            N_(
                "the contract's extension option runs to %(max_end)s at the latest; %(end)s is past it"
            ),
            "end_date",
            max_end=contract.max_end_on,
            end=new_end,
        )
    if new_end < today:
        raise DomainError(N_("the new end date is in the past"), "end_date")
    amendment = Amendment(
        contract_id=contract.id,
        kind="extension",
        field="end_on",
        old_value=contract.end_on.isoformat(),
        new_value=new_end.isoformat(),
        reason=reason[:2000],
        user_id=actor.user_id,
        created_at=now or utcnow(),
    )
    contract.end_on = new_end
    session.add(amendment)
    session.flush()
    record(
        session,
        actor,
        "contract.extended",
        "contract",
        contract.id,
        occurred_at=now,
        old_end=amendment.old_value,
        new_end=amendment.new_value,
        reason=amendment.reason,
    )
    return amendment


def changeover(session: Session, day: date, actor: Actor = SYSTEM) -> int:
    """Move the participants still active in contracts that ended the day before to their successors.

    The old enrolment ends on the predecessor's last day with reason `transferred` (never an
    exit) and a new one starts on `day`. Running it twice finds nobody left to move.
    """
    moved = 0
    predecessors = session.scalars(
        sa.select(Contract).where(Contract.end_on == day - timedelta(days=1))
    ).all()
    for old in predecessors:
        new = old.successor
        if new is None or new.start_on > day:
            continue
        for enrolment in session.scalars(
            sa.select(Enrolment).where(Enrolment.contract_id == old.id, Enrolment.end_on.is_(None))
        ).all():
            enrolment.end_on, enrolment.end_reason = old.end_on, TRANSFERRED
            session.flush()
            session.add(
                Enrolment(
                    participant_id=enrolment.participant_id,
                    contract_id=new.id,
                    # The age rule was met when the course began; it continues.
                    start_on=day,
                    age_at_start=enrolment.age_at_start,
                    transferred_from_id=enrolment.id,
                )
            )
            moved += 1
        if old.status == "active":
            old.status = "ended"
        if new.status == "draft":
            new.status = "active"
        record(
            session,
            actor,
            "contract.changeover",
            "contract",
            old.id,
            successor_id=new.id,
            day=day.isoformat(),
        )
    session.flush()
    return moved
