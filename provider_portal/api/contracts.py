"""API calls on contracts: enter one (procurement), list and read them (scoped)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from contracts.models import Contract
from contracts.rules.milestones import MOST_CLAWBACK_DAYS, effective_milestones
from contracts.services import contract_lists
from contracts.services import contract_register as register

from ..clock import today
from ..extensions import db
from ..security import actor, viewer
from .declare import operation
from .types import MAX_ID, CvrText, Id, IsoDate, Model, Money, ProgrammeCode, Rate

READERS = ("procurement", "finance", "provider")
Kind = Literal["special_effort", "framework", "call_off"]
Status = Literal["draft", "active", "ended", "terminated"]
Invoicing = Literal["self_billing", "provider_issued"]
INVOICING = Field(
    description=(
        "Who issues the invoices: self_billing, the municipality on the provider's behalf under "
        "a self-billing agreement (Peppol BIS Self-Billing 3.0), or provider_issued, the provider "
        "after reviewing the draft (Peppol BIS Billing 3.0). Fixed once the contract is entered"
    ),
)


MilestoneCode = Literal["start", "week13", "week26"]
MILESTONES = Field(
    default_factory=list,
    max_length=3,
    description=(
        "Milestone terms (DESIGN.md §15): start (the exit to a job or education: the outcome "
        "bonus), week13 and week26 (the job or education still going 91 and 182 days after it "
        "started, claimed by the provider). Left out: one start milestone of the outcome bonus"
    ),
)
CLAWBACK_DAYS = Field(
    default=None,
    ge=0,
    le=MOST_CLAWBACK_DAYS,
    description="A relapse within this many days after a paid milestone takes it back; null: never",
)


class MilestoneTerm(Model):
    """A milestone and what reaching it pays."""

    code: MilestoneCode
    amount: Money


class ContractIn(Model):
    """A contract to enter. Amounts are decimal strings, the VAT rate a fraction ("0.25")."""

    provider_id: Id
    programme: ProgrammeCode = Field(examples=["adult-employment"])
    kind: Kind
    start_date: IsoDate
    end_date: IsoDate
    max_end_date: IsoDate = Field(description="The latest end date the extension option allows")
    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money
    vat_rate: Rate
    ceiling: Money = Field(description="The contract's ceiling value")
    reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="Given automatically (AFT-<year>-<n>) when left out",
    )
    title: str = Field(default="", max_length=300)
    predecessor_id: Id | None = None
    invoicing: Invoicing = Field(default="self_billing", description=INVOICING.description)
    milestones: list[MilestoneTerm] = MILESTONES
    clawback_days: int | None = CLAWBACK_DAYS


class ContractFilter(Model):
    """Optional filters of the contract list."""

    provider_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only this provider's contracts"
    )
    programme: ProgrammeCode | None = Field(
        default=None, examples=["youth-bridging"], description="A programme code"
    )
    status: Status | None = Field(default=None, description="The status today")
    kind: Kind | None = Field(default=None, description="The kind of contract")


class ProviderRef(BaseModel):
    """The contract's provider, in short."""

    id: int
    name: str
    cvr: CvrText


class AmendmentOut(BaseModel):
    """A change of the contract: old and new value, why and when."""

    id: int
    kind: str
    field: str
    old_value: str
    new_value: str
    reason: str
    created_at: datetime


class ContractOut(BaseModel):
    """A contract with its period, price terms, status and place in a succession."""

    id: int
    reference: str
    title: str
    kind: Kind
    status: Status
    provider: ProviderRef
    programme: ProgrammeCode
    start_date: IsoDate
    end_date: IsoDate
    max_end_date: IsoDate
    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money
    vat_rate: Rate
    ceiling: Money
    invoicing: Invoicing = INVOICING
    milestones: list[MilestoneTerm] = Field(
        description="What the contract pays for results: always start (the outcome bonus), and "
        "week13 and week26 where its terms list them"
    )
    clawback_days: int | None = Field(description=CLAWBACK_DAYS.description)
    expiring: bool = Field(description="Ends within 90 days and has no successor")
    days_left: int | None = Field(description="Days to the last day; null once ended")
    predecessor_id: int | None
    successor_id: int | None
    amendments: list[AmendmentOut]

    @classmethod
    def of(cls, contract: Contract, **extra) -> ContractOut:
        day = today()
        return cls(
            **extra,
            id=contract.id,
            reference=contract.reference,
            title=contract.title,
            kind=contract.kind,
            status=contract.status_on(day),
            provider=ProviderRef(
                id=contract.provider.id, name=contract.provider.name, cvr=contract.provider.cvr
            ),
            programme=contract.programme.code,
            start_date=contract.start_on,
            end_date=contract.end_on,
            max_end_date=contract.max_end_on,
            monthly_fee=contract.monthly_fee,
            hourly_rate=contract.hourly_rate,
            outcome_bonus=contract.outcome_bonus,
            vat_rate=contract.vat_rate,
            ceiling=contract.ceiling,
            invoicing=contract.invoicing,
            milestones=[
                MilestoneTerm(code=code, amount=amount)
                for code, amount in effective_milestones(
                    contract.outcome_bonus, {m.code: m.amount for m in contract.milestones}
                )
            ],
            clawback_days=contract.clawback_days,
            expiring=contract.is_expiring(day),
            days_left=contract.days_left(day),
            predecessor_id=contract.predecessor_id,
            successor_id=contract.successor.id if contract.successor else None,
            amendments=[
                AmendmentOut(
                    id=a.id,
                    kind=a.kind,
                    field=a.field,
                    old_value=a.old_value,
                    new_value=a.new_value,
                    reason=a.reason,
                    created_at=a.created_at,
                )
                for a in contract.amendments
            ],
        )


class ContractWarning(BaseModel):
    """Something worth a second look that did not stop the call."""

    field: str | None
    message: str


class ContractCreated(ContractOut):
    """The entered contract, with warnings (a gap or overlap with its predecessor)."""

    warnings: list[ContractWarning]


@operation(
    "POST",
    "/contracts",
    summary="Enter a contract",
    roles=("procurement",),
    tag="contracts",
    body=ContractIn,
    response=ContractCreated,
    status=201,
    response_description="The entered contract",
)
def create_contract(body: ContractIn):
    """Every problem is answered at once (422), and nothing is stored."""
    terms = register.ContractTerms(
        provider_id=body.provider_id,
        programme=body.programme,
        kind=body.kind,
        start_on=body.start_date,
        end_on=body.end_date,
        max_end_on=body.max_end_date,
        monthly_fee=body.monthly_fee,
        hourly_rate=body.hourly_rate,
        outcome_bonus=body.outcome_bonus,
        vat_rate=body.vat_rate,
        ceiling=body.ceiling,
        reference=body.reference,
        title=body.title,
        predecessor_id=body.predecessor_id,
        invoicing=body.invoicing,
        milestones=tuple((m.code, m.amount) for m in body.milestones),
        clawback_days=body.clawback_days,
    )
    created = register.create_contract(db.session, actor(), viewer(), terms, today())
    contract = register.get_contract(db.session, viewer(), created.contract.id)
    return ContractCreated.of(
        contract,
        warnings=[ContractWarning(field=w.field, message=w.message) for w in created.warnings],
    )


@operation(
    "GET",
    "/contracts",
    summary="List contracts",
    roles=READERS,
    tag="contracts",
    query=ContractFilter,
    response=ContractOut,
    paged=True,
    response_description="A page of the contracts you may see, by start date",
)
def list_contracts(query: ContractFilter, page: int, per_page: int):
    """Procurement and finance see every contract; a provider user only its own provider's."""
    found = contract_lists.ContractFilter(
        provider_id=query.provider_id,
        programme=query.programme,
        status=query.status,
        kind=query.kind,
    )
    listed = contract_lists.contract_page(db.session, viewer(), today(), found, page, per_page)
    return listed.mapped(ContractOut.of)


@operation(
    "GET",
    "/contracts/<int:contract_id>",
    summary="Read a contract",
    roles=READERS,
    tag="contracts",
    response=ContractOut,
    response_description="The contract",
)
def get_contract(contract_id: int):
    """Another provider's contract is answered 404, as if it did not exist."""
    return ContractOut.of(register.get_contract(db.session, viewer(), contract_id))
