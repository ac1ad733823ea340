"""An invoice or credit note read into the plain data its PDF and e-invoice are made from.

`contracts.documents` renders from frozen dataclasses and never reads; the reading is here.
Two statements per document however long it is: the invoice with its contract, provider,
programme, approval and the invoice it credits in one, its lines in the other.
`invoice_lines` brings the lines of many invoices at once (the API's list uses it too).

An approved invoice is a fixed record: its parties and terms come from the issued record kept
with its approval (`issued_records`), never from the current rows, so a provider renamed or
moved since, or a contract changed, leaves its documents as they were issued. A draft shows
the current rows.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..documents.data import DocumentLine, InvoiceDocument, Municipality
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
from . import issued_records


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
            InvoiceLine.item,
        )
        .join(Participant, Participant.id == InvoiceLine.participant_id)
        .outerjoin(ReportLine, ReportLine.id == InvoiceLine.report_line_id)
        .where(InvoiceLine.invoice_id.in_(invoice_ids))
        # A participant's month first, then milestones paid, then any taken back (as inserted).
        .order_by(InvoiceLine.invoice_id, Participant.ref, InvoiceLine.id)
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
    record = approval.issued if approval is not None and invoice.status == "approved" else None
    if record is None:
        # A draft, or an approval from before approvals kept the record: the current rows.
        record = issued_records.record_of(contract, provider, programme, invoice, buyer)
    parties = issued_records.parties(record, provider.id)
    return InvoiceDocument(
        id=invoice.id,
        kind=invoice.kind,
        number=invoice.number,
        status=invoice.status,
        month=invoice.month,
        version=invoice.version,
        contract_id=contract.id,
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
        **parties,
    )
