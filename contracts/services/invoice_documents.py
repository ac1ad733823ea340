"""An invoice or credit note read into the plain data its PDF and e-invoice are made from.

`contracts.documents` renders from frozen dataclasses and never reads; the reading is here.
Two statements per document however long it is: the invoice with its contract, provider,
programme, approval and the invoice it credits in one, its lines in the other.
`invoice_lines` brings the lines of many invoices at once (the API's list uses it too).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..documents.data import DocumentLine, InvoiceDocument, Municipality, Seller
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


def invoice_lines(session: Session, invoice_ids: list[int]) -> dict[int, list[DocumentLine]]:
    """The lines of the invoices (found visible by the caller) by invoice id, in participant order,
    as their PDFs show them: one statement however many invoices and lines."""
    lines = defaultdict(list)
    for invoice_id, *line in session.execute(
        sa.select(
            InvoiceLine.invoice_id,
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
        .where(InvoiceLine.invoice_id.in_(invoice_ids))
        .order_by(InvoiceLine.invoice_id, Participant.ref)
    ):
        lines[invoice_id].append(DocumentLine(*line))
    return lines


def invoice_document(session: Session, invoice_id: int, buyer: Municipality) -> InvoiceDocument:
    """Read an invoice (already found visible by the caller) into plain data, lines in reference order."""
    credited = aliased(Invoice)
    credited_approval = aliased(InvoiceApproval)
    invoice, contract, provider, programme, approval, credited_invoice, credited_issued_on = (
        session.execute(
            sa.select(
                Invoice,
                Contract,
                Provider,
                Programme,
                InvoiceApproval,
                credited,
                credited_approval.issued_on,
            )
            .join(Contract, Contract.id == Invoice.contract_id)
            .join(Provider, Provider.id == Contract.provider_id)
            .join(Programme, Programme.id == Contract.programme_id)
            .outerjoin(InvoiceApproval, InvoiceApproval.invoice_id == Invoice.id)
            .outerjoin(credited, credited.id == Invoice.credited_invoice_id)
            .outerjoin(credited_approval, credited_approval.invoice_id == credited.id)
            .where(Invoice.id == invoice_id)
        ).one()
    )
    lines = invoice_lines(session, [invoice.id])[invoice.id]
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
        credited_id=invoice.credited_invoice_id,
        credited_number=credited_invoice.number if credited_invoice else None,
        credited_issued_on=credited_issued_on,
        lines=tuple(lines),
    )
