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
        raise DomainError(str(error), "cpr") from None
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise DomainError("no such contract", "contract_id", status=404)
    if contract.status in ("ended", "terminated"):
        raise DomainError(f"the contract is {contract.status}; refer to its successor", "contract_id",
                          status=409)
    if not contract.start_on <= start_on <= contract.end_on:
        raise DomainError(
            f"the start date must be within the contract's period, {contract.start_on.isoformat()} "
            f"to {contract.end_on.isoformat()}", "start_date")
    age = age_on(born, start_on)
    programme = session.get(Programme, contract.programme_id)
    if age < MIN_AGE:
        raise DomainError(f"the citizen is {age} on the start date; the effort is for {MIN_AGE} and over",
                          "cpr")
    if not age_allowed(programme.age_rule, age):
        rule = {"under_30": "under 30", "30_and_over": "30 and over"}[programme.age_rule]
        raise DomainError(f"the citizen is {age} on the start date; {programme.name_en} is for "
                          f"citizens {rule}", "cpr")
    digest = pseudonym(compact, key)
    participant = session.scalar(sa.select(Participant).where(Participant.pseudonym == digest))
    if participant is None:
        participant = Participant(ref=new_reference(session), pseudonym=digest)
        session.add(participant)
        session.flush()
    else:
        open_enrolment = session.scalar(sa.select(Enrolment).where(
            Enrolment.participant_id == participant.id, Enrolment.end_on.is_(None)))
        if open_enrolment is not None:
            raise DomainError(
                f"{participant.ref} is already enrolled (since {open_enrolment.start_on.isoformat()}); "
                "a citizen has one open enrolment at a time", "cpr", status=422)
    enrolment = Enrolment(participant_id=participant.id, contract_id=contract.id, start_on=start_on,
                          age_at_start=age)
    session.add(enrolment)
    session.flush()
    record(session, actor, "participant.referred", "enrolment", enrolment.id,
           participant_ref=participant.ref, contract_id=contract.id, start_on=start_on.isoformat())
    return Referral(participant.ref, participant.id, enrolment.id)
