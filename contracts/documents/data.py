"""The plain data that invoice documents are made from: no ORM object reaches a template.

`invoice_document` reads one invoice or credit note with its lines, contract, provider and
approval into frozen dataclasses; the PDF, the UBL e-invoice and the exports take only these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import (
    Contract,
    Invoice,
    InvoiceApproval,
    InvoiceLine,
    Participant,
    Programme,
    Provider,
    ReportLine,
)


@dataclass(frozen=True)
class Municipality:
    """The buyer, from configuration: name, department, CVR and EAN (GLN) location number."""

    name: str
    cvr: str
    ean: str
    department: str = ""

    @classmethod
    def from_config(cls, config: Mapping) -> Municipality:
        return cls(
            name=config["MUNICIPALITY_NAME"],
            cvr=config["MUNICIPALITY_CVR"],
            ean=config["MUNICIPALITY_EAN"],
            department=config.get("MUNICIPALITY_DEPARTMENT") or "",
        )


@dataclass(frozen=True)
class Seller:
    """The provider as the invoice names it."""

    id: int
    name: str
    cvr: str
    gln: str | None


@dataclass(frozen=True)
class DocumentLine:
    """One participant's month on the invoice, traceable to the report line it was priced from."""

    participant_ref: str
    days: int
    hours_delivered: Decimal | None
    base_fee: Decimal
    hours_amount: Decimal
    bonus: Decimal
    amount: Decimal
    report_line_id: int | None


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

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def approved(self) -> bool:
        return self.status == "approved"


def invoice_document(session: Session, invoice_id: int, buyer: Municipality) -> InvoiceDocument:
    """Read an invoice (already found visible by the caller) into plain data, lines in reference order."""
    invoice = session.get(Invoice, invoice_id)
    contract = session.get(Contract, invoice.contract_id)
    provider = session.get(Provider, contract.provider_id)
    programme = session.get(Programme, contract.programme_id)
    approval = session.get(InvoiceApproval, invoice.id)
    credited = (
        session.get(Invoice, invoice.credited_invoice_id) if invoice.credited_invoice_id else None
    )
    credited_approval = session.get(InvoiceApproval, credited.id) if credited else None
    rows = session.execute(
        sa.select(
            Participant.ref,
            InvoiceLine.days,
            ReportLine.hours_delivered,
            InvoiceLine.base_fee,
            InvoiceLine.hours_amount,
            InvoiceLine.bonus,
            InvoiceLine.amount,
            InvoiceLine.report_line_id,
        )
        .join(Participant, Participant.id == InvoiceLine.participant_id)
        .outerjoin(ReportLine, ReportLine.id == InvoiceLine.report_line_id)
        .where(InvoiceLine.invoice_id == invoice.id)
        .order_by(Participant.ref)
    ).all()
    return InvoiceDocument(
        id=invoice.id,
        kind=invoice.kind,
        number=invoice.number,
        status=invoice.status,
        month=invoice.month,
        version=invoice.version,
        contract_id=contract.id,
        contract_reference=contract.reference,
        programme_code=programme.code,
        programme_name=programme.name_da,
        monthly_fee=contract.monthly_fee,
        hourly_rate=contract.hourly_rate,
        outcome_bonus=contract.outcome_bonus,
        seller=Seller(id=provider.id, name=provider.name, cvr=provider.cvr, gln=provider.gln),
        buyer=buyer,
        vat_rate=invoice.vat_rate,
        net=invoice.net,
        vat=invoice.vat,
        total=invoice.total,
        exceeds_ceiling=invoice.exceeds_ceiling,
        issued_on=approval.issued_on if approval else None,
        due_on=approval.due_on if approval else None,
        credited_id=credited.id if credited else None,
        credited_number=credited.number if credited else None,
        credited_issued_on=credited_approval.issued_on if credited_approval else None,
        lines=tuple(DocumentLine(*row) for row in rows),
    )


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


def provider_statement(
    session: Session, provider_id: int, month: str, buyer: Municipality
) -> ProviderStatement:
    """The monthly statement of a provider (already found visible by the caller)."""
    from ..models import Score

    provider = session.get(Provider, provider_id)
    contracts = session.scalars(
        sa.select(Contract).where(Contract.provider_id == provider_id).order_by(Contract.reference)
    ).all()
    rows = []
    for contract in contracts:
        documents = tuple(
            (i.kind, i.number, i.status, i.net, i.vat, i.total)
            for i in session.scalars(
                sa.select(Invoice)
                .where(Invoice.contract_id == contract.id, Invoice.month == month)
                .order_by(Invoice.id)
            )
        )
        score = session.scalar(
            sa.select(Score).where(
                Score.scope == "contract",
                Score.scope_id == contract.id,
                Score.month == month,
                Score.cumulative.is_(False),
            )
        )
        if not documents and score is None:
            continue
        counts = (
            (
                score.participants,
                score.active_end,
                score.exits,
                score.positive,
                score.benefit_stopped,
                score.other,
            )
            if score
            else (None,) * 6
        )
        programme = session.get(Programme, contract.programme_id)
        rows.append(
            StatementContract(contract.reference, programme.name_da, *counts, documents=documents)
        )
    return ProviderStatement(
        seller=Seller(id=provider.id, name=provider.name, cvr=provider.cvr, gln=provider.gln),
        buyer=buyer,
        month=month,
        contracts=tuple(rows),
    )
