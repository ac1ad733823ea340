"""Small, named data sets for tests, built through the models as the services would see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts.models import Contract, Enrolment, Participant, Programme, Provider

SAMPLE_REFS = ["DL-4Q7K2", "DL-9XW3M", "DL-2HB8R", "DL-7TZ5C", "DL-3PJ6N", "DL-8KD4V", "DL-5MR2F"]


@dataclass
class SampleScenario:
    """The scenario of the sample report files: one adult-employment contract, seven participants."""

    programme_id: int
    provider_id: int
    contract_id: int
    participant_ids: dict[str, int]
    enrolment_ids: dict[str, int]


def programme(session, code: str = "adult-employment") -> Programme:
    found = session.query(Programme).filter_by(code=code).one_or_none()
    if found:
        return found
    rules = {
        "youth-bridging": (1, "under_30"),
        "youth-placement": (2, "under_30"),
        "adult-employment": (3, "30_and_over"),
        "utility-work": (4, "all"),
    }
    position, age_rule = rules[code]
    row = Programme(code=code, position=position, name_da=code, name_en=code, age_rule=age_rule)
    session.add(row)
    session.flush()
    return row


def sample_scenario(
    session,
    provider_name: str = "Nyt Fodfæste A/S",
    cvr: str = "13585628",
    refs: list[str] = SAMPLE_REFS,
    reference: str = "SÆR-2018-03",
) -> SampleScenario:
    """The contract and participants that `tests/data/samples/README.md` describes."""
    prog = programme(session)
    provider = Provider(name=provider_name, cvr=cvr)
    session.add(provider)
    session.flush()
    contract = Contract(
        reference=reference,
        provider_id=provider.id,
        programme_id=prog.id,
        kind="special_effort",
        status="active",
        start_on=date(2018, 3, 1),
        end_on=date(2019, 8, 31),
        max_end_on=date(2019, 8, 31),
        monthly_fee=Decimal("9500.00"),
        hourly_rate=Decimal("45.00"),
        outcome_bonus=Decimal("15000.00"),
        vat_rate=Decimal("0.25"),
        ceiling=Decimal("3000000.00"),
    )
    session.add(contract)
    session.flush()
    participants, enrolments = {}, {}
    for n, ref in enumerate(refs):
        participant = Participant(ref=ref, pseudonym=f"{cvr}{n:056d}")
        session.add(participant)
        session.flush()
        enrolment = Enrolment(
            participant_id=participant.id,
            contract_id=contract.id,
            start_on=date(2018, 10, 1),
            age_at_start=35,
        )
        session.add(enrolment)
        session.flush()
        participants[ref], enrolments[ref] = participant.id, enrolment.id
    return SampleScenario(prog.id, provider.id, contract.id, participants, enrolments)
