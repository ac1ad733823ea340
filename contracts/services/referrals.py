"""Referring a citizen to a contract by CPR number: the number is checked, pseudonymised, forgotten.

The CPR number never reaches the database, the audit log or an error message. The same
citizen referred again is recognised by the keyed pseudonym and keeps their reference.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Enrolment, Participant, Programme
from ..rules.cpr import InvalidCPR, age_on, parse_cpr, pseudonym
from ..rules.problems import N_
from . import DomainError
from .audit import Actor, record

# No 0/O or 1/I: references are read aloud and typed by hand.
REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MIN_AGE = 15


@dataclass(frozen=True)
class Referral:
    participant_ref: str
    participant_id: int
    enrolment_id: int


def age_allowed(age_rule: str, age: int) -> bool:
    """Whether a programme's age rule admits a citizen of this age on the start day."""
    if age_rule == "under_30":
        return age < 30
    if age_rule == "30_and_over":
        return age >= 30
    return True


def new_reference(session: Session) -> str:
    """A short random reference such as DL-4Q7K2, unused so far."""
    while True:
        ref = "DL-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(5))
        if session.scalar(sa.select(Participant.id).where(Participant.ref == ref)) is None:
            return ref


def refer(
    session: Session, actor: Actor, cpr: str, contract_id: int, start_on: date, key: bytes
) -> Referral:
    """Enrol a citizen in a contract from a start date (a past date is allowed, for migration)."""
    try:
        compact, born = parse_cpr(cpr or "")
    except InvalidCPR as error:
        raise DomainError(error.template, "cpr") from None
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise DomainError(N_("no such contract"), "contract_id", status=404)
    if contract.status in ("ended", "terminated"):
        raise DomainError(
            N_("the contract is %(state)s; refer to its successor"),
            "contract_id",
            status=409,
            state=contract.status,
        )
    if not contract.start_on <= start_on <= contract.end_on:
        raise DomainError(
            N_("the start date must be within the contract's period, %(start)s to %(end)s"),
            "start_date",
            start=contract.start_on,
            end=contract.end_on,
        )
    age = age_on(born, start_on)
    programme = session.get(Programme, contract.programme_id)
    if age < MIN_AGE:
        raise DomainError(
            N_("the citizen is %(age)s on the start date; the effort is for %(min_age)s and over"),
            "cpr",
            age=age,
            min_age=MIN_AGE,
        )
    if not age_allowed(programme.age_rule, age):
        template = {
            "under_30": N_(
                "the citizen is %(age)s on the start date; the programme is for citizens under 30"
            ),
            "30_and_over": N_(
                "the citizen is %(age)s on the start date; the programme is for citizens 30 and over"
            ),
        }[programme.age_rule]
        raise DomainError(template, "cpr", age=age)
    digest = pseudonym(compact, key)
    participant = session.scalar(sa.select(Participant).where(Participant.pseudonym == digest))
    if participant is None:
        participant = Participant(ref=new_reference(session), pseudonym=digest)
        session.add(participant)
        session.flush()
    else:
        open_enrolment = session.scalar(
            sa.select(Enrolment).where(
                Enrolment.participant_id == participant.id, Enrolment.end_on.is_(None)
            )
        )
        if open_enrolment is not None:
            # Neither the reference nor the start: a refusal that named them would tell whoever
            # may refer which reference (and course) a CPR number belongs to.
            raise DomainError(
                N_(
                    "the citizen is already enrolled in a course that has not ended; a citizen "
                    "has one open enrolment at a time. End it, or find it on the contracts' "
                    "participant lists"
                ),
                "cpr",
                status=422,
            )
    enrolment = Enrolment(
        participant_id=participant.id, contract_id=contract.id, start_on=start_on, age_at_start=age
    )
    session.add(enrolment)
    session.flush()
    record(
        session,
        actor,
        "participant.referred",
        "enrolment",
        enrolment.id,
        participant_ref=participant.ref,
        contract_id=contract.id,
        start_on=start_on.isoformat(),
    )
    return Referral(participant.ref, participant.id, enrolment.id)
