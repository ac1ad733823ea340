"""The contract register: entering a contract and reading the contracts a viewer may see.

A contract's status follows its period: `draft` before the start date, `active` from the
start to the end date (both included), `ended` after it; `terminated` is set by an
amendment and stays. The stored status is written when the contract is created; reads
derive it from the dates and today, so a contract never shows a stale status because no job
happened to run on its start or end day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, ContractMilestone, Programme, Provider
from ..models.contract import CONTRACT_KINDS, INVOICING_TERMS
from ..rules.milestones import later_milestones
from ..rules.problems import N_, Problem
from ..rules.succession import succession_warning
from . import NotFound, Refused, scope
from .audit import Actor, record
from .contract_lists import with_details
from .scope import Viewer
from .sql import next_reference

AMOUNT_FIELDS = ("monthly_fee", "hourly_rate", "outcome_bonus", "ceiling")
REFERENCE_PREFIX = "AFT"


class ContractRefused(Refused):
    """The contract cannot be entered: every problem found, each with its field."""


@dataclass(frozen=True)
class ContractTerms:
    """What procurement enters for a new contract; dates are the API's start/end/max_end."""

    provider_id: int
    programme: str
    kind: str
    start_on: date
    end_on: date
    max_end_on: date
    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    vat_rate: Decimal
    ceiling: Decimal
    reference: str | None = None
    title: str = ""
    predecessor_id: int | None = None
    # Who issues the invoices (DESIGN.md §6), fixed when the contract is entered: no call changes
    # it later, since the invoices already made under one term would read as the other's.
    invoicing: str = "self_billing"
    # Milestone terms (DESIGN.md §15): (code, amount) pairs, `start` being the outcome bonus,
    # and the clawback window; none of them gives the contract of before.
    milestones: tuple[tuple[str, Decimal], ...] = ()
    clawback_days: int | None = None


@dataclass
class NewContract:
    """A created contract and the warnings worth telling the person who entered it."""

    contract: Contract
    warnings: list[Problem] = field(default_factory=list)


def _problems(session: Session, viewer: Viewer, terms: ContractTerms):
    """Every reason the terms cannot be entered, and the provider, programme and predecessor found."""
    problems: list[Problem] = []
    provider = session.scalar(scope.providers(viewer).where(Provider.id == terms.provider_id))
    if provider is None:
        problems.append(Problem(N_("Choose a provider from the list."), field="provider_id"))
    programme = session.scalar(sa.select(Programme).where(Programme.code == terms.programme))
    if programme is None:
        codes = session.scalars(sa.select(Programme.code).order_by(Programme.position)).all()
        problems.append(
            Problem(
                N_("there is no programme '%(code)s'; use one of %(codes)s"),
                {"code": terms.programme, "codes": ", ".join(codes)},
                field="programme",
            )
        )
    chosen = (
        (terms.kind, CONTRACT_KINDS, "kind", "kinds", N_("the kind must be one of %(kinds)s")),
        (
            terms.invoicing,
            INVOICING_TERMS,
            "invoicing",
            "terms",
            N_("the invoicing must be one of %(terms)s"),
        ),
    )
    for value, allowed, name, param, template in chosen:
        if value not in allowed:
            problems.append(Problem(template, {param: ", ".join(allowed)}, field=name))
    if terms.end_on < terms.start_on:
        problems.append(
            Problem(
                N_("The contract cannot end (%(end)s) before it starts (%(start)s)."),
                {"end": terms.end_on, "start": terms.start_on},
                field="end_date",
            )
        )
    if terms.max_end_on < terms.end_on:
        problems.append(
            Problem(
                N_(
                    "The extension option (%(max_end)s) cannot end before the contract ends (%(end)s)."
                ),
                {"max_end": terms.max_end_on, "end": terms.end_on},
                field="max_end_date",
            )
        )
    for name in AMOUNT_FIELDS:
        if getattr(terms, name) < 0:
            problems.append(Problem(N_("Must not be negative."), field=name))
    problems += later_milestones(terms.outcome_bonus, terms.milestones, terms.clawback_days)[1]
    if not Decimal(0) <= terms.vat_rate < Decimal(1):
        problems.append(
            Problem(N_("The VAT rate is from 0 up to, not including, 100 %."), field="vat_rate")
        )
    if terms.reference and session.scalar(
        sa.select(Contract.id).where(Contract.reference == terms.reference)
    ):
        problems.append(
            Problem(
                N_("The reference %(reference)s is taken by another contract."),
                {"reference": terms.reference},
                field="reference",
            )
        )
    predecessor = None
    if terms.predecessor_id is not None:
        predecessor = session.scalar(
            scope.contracts(viewer).where(Contract.id == terms.predecessor_id)
        )
        if predecessor is None:
            problems.append(Problem(N_("Choose a contract from the list."), field="predecessor_id"))
        elif predecessor.successor is not None:
            problems.append(
                Problem(
                    N_("Contract %(reference)s already has a successor (%(successor)s)."),
                    {
                        "reference": predecessor.reference,
                        "successor": predecessor.successor.reference,
                    },
                    field="predecessor_id",
                )
            )
        elif programme is not None and predecessor.programme_id != programme.id:
            problems.append(
                Problem(
                    N_(
                        "Contract %(reference)s is for another programme; a successor continues "
                        "the same programme."
                    ),
                    {"reference": predecessor.reference},
                    field="predecessor_id",
                )
            )
    return problems, provider, programme, predecessor


def create_contract(
    session: Session, actor: Actor, viewer: Viewer, terms: ContractTerms, today: date
) -> NewContract:
    """Enter a contract; refuses with every problem at once (ContractRefused), nothing stored."""
    problems, provider, programme, predecessor = _problems(session, viewer, terms)
    if problems:
        raise ContractRefused(problems)
    contract = Contract(
        reference=terms.reference
        or next_reference(
            session, Contract.reference, f"{REFERENCE_PREFIX}-{terms.start_on.year}-"
        ),
        title=terms.title or "",
        provider_id=provider.id,
        programme_id=programme.id,
        kind=terms.kind,
        start_on=terms.start_on,
        end_on=terms.end_on,
        max_end_on=terms.max_end_on,
        monthly_fee=terms.monthly_fee,
        hourly_rate=terms.hourly_rate,
        outcome_bonus=terms.outcome_bonus,
        vat_rate=terms.vat_rate,
        ceiling=terms.ceiling,
        invoicing=terms.invoicing,
        predecessor_id=predecessor.id if predecessor else None,
        clawback_days=terms.clawback_days,
        milestones=[
            ContractMilestone(code=code, amount=amount)
            for code, amount in later_milestones(
                terms.outcome_bonus, terms.milestones, terms.clawback_days
            )[0].items()
        ],
    )
    contract.status = contract.status_on(today)
    session.add(contract)
    session.flush()
    warning = (
        succession_warning(predecessor.reference, predecessor.end_on, terms.start_on, "start_date")
        if predecessor
        else None
    )
    warnings = [warning] if warning else []
    record(
        session,
        actor,
        "contract.created",
        "contract",
        contract.id,
        reference=contract.reference,
        provider_id=provider.id,
        programme=programme.code,
        kind=contract.kind,
        invoicing=contract.invoicing,
        start_on=contract.start_on.isoformat(),
        end_on=contract.end_on.isoformat(),
        predecessor_id=contract.predecessor_id,
        milestones={m.code: str(m.amount) for m in contract.milestones},
        clawback_days=contract.clawback_days,
    )
    return NewContract(contract, warnings)


def get_contract(session: Session, viewer: Viewer, contract_id: int) -> Contract:
    """One contract the viewer may see; NotFound also when it exists but is not theirs."""
    contract = session.scalar(
        with_details(scope.contracts(viewer)).where(Contract.id == contract_id)
    )
    if contract is None:
        raise NotFound(N_("no such contract"), "contract_id")
    return contract
