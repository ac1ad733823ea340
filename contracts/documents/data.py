"""The plain data that invoice documents are made from: no ORM object reaches a template.

Frozen dataclasses only; the PDF, the UBL e-invoice and the exports take nothing else. They are
read from the database by the services (`contracts.services.invoice_documents` for an invoice
or credit note, `contracts.services.provider_statements` for a provider's month).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Municipality:
    """The buyer, from configuration: name, department, CVR, EAN (GLN) location number and
    postal address."""

    name: str
    cvr: str
    ean: str
    department: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""

    @classmethod
    def from_config(cls, config: Mapping) -> Municipality:
        return cls(
            name=config["MUNICIPALITY_NAME"],
            cvr=config["MUNICIPALITY_CVR"],
            ean=config["MUNICIPALITY_EAN"],
            department=config.get("MUNICIPALITY_DEPARTMENT") or "",
            street=config.get("MUNICIPALITY_STREET") or "",
            postcode=config.get("MUNICIPALITY_POSTCODE") or "",
            city=config.get("MUNICIPALITY_CITY") or "",
        )

    @property
    def address_lines(self) -> tuple[str, ...]:
        return address_lines(self.street, self.postcode, self.city)


def address_lines(street: str, postcode: str, city: str) -> tuple[str, ...]:
    """A Danish postal address as printed: the street, then postcode and city; no empty lines."""
    town = " ".join(part for part in (postcode, city) if part)
    return tuple(line for line in (street, town) if line)


@dataclass(frozen=True)
class Seller:
    """The provider as the invoice names it."""

    id: int
    name: str
    cvr: str
    gln: str | None
    street: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def address_lines(self) -> tuple[str, ...]:
        return address_lines(self.street, self.postcode, self.city)


@dataclass(frozen=True)
class DocumentLine:
    """One participant's month on the invoice, traceable to the report line it was priced from,
    or one of their milestones paid or taken back (DESIGN.md §15)."""

    participant_ref: str
    days: int
    hours_delivered: Decimal | None
    base_fee: Decimal
    hours_amount: Decimal
    bonus: Decimal
    amount: Decimal
    report_line_id: int | None
    # What the line is for (`models.invoices.LINE_ITEMS`): the participant's month, a later
    # milestone reached (week13, week26), or a milestone taken back (clawback_*, negative).
    item: str = "month"

    @property
    def is_month(self) -> bool:
        return self.item == "month"

    @property
    def label(self) -> str:
        """What a milestone line is for, in Danish as the documents print it ("" for a month)."""
        return MILESTONE_LINE_LABELS.get(self.item, "")


# The documents' Danish words for milestone and clawback lines (DESIGN.md §15).
MILESTONE_LINE_LABELS = {
    "week13": "Milepæl: job eller uddannelse i 13 uger",
    "week26": "Milepæl: job eller uddannelse i 26 uger",
    "clawback_start": "Tilbageført ved tilbagefald: resultatbonus",
    "clawback_week13": "Tilbageført: milepæl 13 uger",
    "clawback_week26": "Tilbageført: milepæl 26 uger",
}


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice or credit note with everything its PDF and e-invoice show."""

    id: int
    kind: str
    number: str | None
    status: str
    month: str
    version: int
    contract_id: int
    contract_reference: str
    programme_code: str
    programme_name: str
    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    seller: Seller
    buyer: Municipality
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    exceeds_ceiling: bool
    issued_on: date | None
    due_on: date | None
    credited_id: int | None
    credited_number: str | None
    credited_issued_on: date | None
    lines: tuple[DocumentLine, ...]
    # Who issues it (the contract's term, DESIGN.md §6): "self_billing", the municipality on the
    # provider's behalf, or "provider_issued".
    invoicing: str = "self_billing"
    # The contract's later milestones, (code, amount), and its clawback window (DESIGN.md §15).
    milestones: tuple[tuple[str, Decimal], ...] = ()
    clawback_days: int | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def self_billed(self) -> bool:
        return self.invoicing == "self_billing"

    @property
    def approved(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class StatementContract:
    """One contract's month on the provider statement: its outcomes and what was invoiced."""

    reference: str
    programme_name: str
    participants: int | None
    active_end: int | None
    exits: int | None
    positive: int | None
    benefit_stopped: int | None
    other: int | None
    documents: tuple[tuple[str, str | None, str, Decimal, Decimal, Decimal], ...]
    """(kind, number, status, net, vat, total) of each invoice and credit note of the month."""

    @property
    def net(self) -> Decimal:
        return sum((d[3] if d[0] == "invoice" else -d[3] for d in self.documents), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum((d[5] if d[0] == "invoice" else -d[5] for d in self.documents), Decimal(0))


@dataclass(frozen=True)
class ProviderStatement:
    """A provider's month: every contract, its outcomes and amounts (credit notes deducted)."""

    seller: Seller
    buyer: Municipality
    month: str
    contracts: tuple[StatementContract, ...]

    @property
    def net(self) -> Decimal:
        return sum((c.net for c in self.contracts), Decimal(0))

    @property
    def vat(self) -> Decimal:
        return self.total - self.net

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.contracts), Decimal(0))
