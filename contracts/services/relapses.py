"""Relapses (DESIGN.md §15): a citizen who left a contract for a job or education is back on
benefit. Recorded by the contract's provider or by procurement, with the day it happened.

From then on no milestone after that day is payable (a claim of one is refused, an unpaid one
lapses), and a paid milestone within the contract's `clawback_days` before it is taken back on
the invoice of the month the relapse is recorded in (`milestone_lines`). One relapse an
enrolment: 422 for a second, a day to come, a day before the exit, or a participant who did not
leave the contract for a job or education.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Relapse
from ..rules.problems import N_, Problem
from . import DomainError, Refused
from .audit import Actor, record
from .contract_register import get_contract
from .milestone_claims import not_left_for_work, positive_enrolment
from .scope import Viewer


class RelapseRefused(Refused):
    """A relapse cannot be recorded: every problem found, each with its field."""


def record_relapse(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    contract_id: int,
    *,
    participant_ref: str,
    on: date,
    today: date,
    now: datetime,
) -> Relapse:
    """Record that the participant was back on benefit on `on` (see the module)."""
    if not viewer.may("provider", "procurement"):
        raise DomainError(
            N_("the contract's provider or procurement records a relapse"), status=403
        )
    contract = get_contract(session, viewer, contract_id)  # NotFound for another's contract
    ref = (participant_ref or "").strip()
    found = positive_enrolment(session, contract.id, ref)
    problems = [] if found is not None else [not_left_for_work(ref)]
    if on > today:
        problems.append(Problem(N_("the day cannot be in the future"), field="date"))
    if found is not None:
        enrolment, relapsed_on = found
        if relapsed_on is not None:
            problems.append(
                Problem(
                    N_("%(ref)s's relapse is already recorded, on %(day)s"),
                    {"ref": ref, "day": relapsed_on},
                    field="participant_ref",
                )
            )
        elif on < enrolment.end_on:
            problems.append(
                Problem(
                    N_("%(ref)s left for a job or education on %(exit)s; a relapse comes after"),
                    {"ref": ref, "exit": enrolment.end_on},
                    field="date",
                )
            )
    if problems:
        raise RelapseRefused(problems)
    relapse = Relapse(
        contract_id=contract.id,
        enrolment_id=enrolment.id,
        participant_id=enrolment.participant_id,
        relapsed_on=on,
        recorded_on=today,
        recorded_at=now,
        recorded_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(relapse)
    except IntegrityError:
        raise RelapseRefused(
            [
                Problem(
                    N_("%(ref)s's relapse is already recorded, on %(day)s"),
                    {"ref": ref, "day": on},
                    field="participant_ref",
                )
            ]
        ) from None
    record(
        session,
        actor,
        "relapse.recorded",
        "relapse",
        relapse.id,
        occurred_at=now,
        contract_id=contract.id,
        participant_ref=ref,
        relapsed_on=on.isoformat(),
    )
    return relapse
