"""API calls on invoices and credit notes: list and read them (scoped), their PDF and e-invoice, approve."""

from __future__ import annotations

from pydantic import BaseModel, Field

from contracts.services import approval, invoice_search

from .. import downloads as documents
from ..clock import today
from ..extensions import db
from ..security import actor, viewer
from .declare import operation
from .types import MAX_ID, Model, Money, Month, Rate

READERS = ("finance", "procurement", "provider")


class InvoiceListQuery(Model):
    """Optional filters of the invoice list (the page is read beside them: DESIGN.md §8)."""

    contract_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only this contract's invoices"
    )
    month: Month | None = Field(default=None, description="Only this month's (YYYY-MM)")


class InvoiceLineOut(BaseModel):
    """One participant's month: days, base fee, hours amount, outcome bonus and their sum."""

    participant_ref: str
    days: int
    base_fee: Money
    hours_amount: Money
    bonus: Money
    amount: Money
    report_line_id: int | None = Field(description="The report line the line was priced from")


class InvoiceOut(BaseModel):
    """An invoice or credit note with its lines and totals (a credit note's amounts are positive)."""

    id: int
    kind: str = Field(description="invoice or credit_note")
    number: str | None = Field(description="Given at approval (YYYY-NNNNNN); null for a draft")
    status: str = Field(description="draft or approved")
    contract_id: int
    month: str
    version: int = Field(description="The version of the monthly report it was made from")
    vat_rate: Rate
    net: Money
    vat: Money
    total: Money
    exceeds_ceiling: bool
    credited_invoice_id: int | None
    lines: list[InvoiceLineOut]

    @classmethod
    def of(cls, doc) -> InvoiceOut:
        return cls(
            id=doc.id,
            kind=doc.kind,
            number=doc.number,
            status=doc.status,
            contract_id=doc.contract_id,
            month=doc.month,
            version=doc.version,
            vat_rate=doc.vat_rate,
            net=doc.net,
            vat=doc.vat,
            total=doc.total,
            exceeds_ceiling=doc.exceeds_ceiling,
            credited_invoice_id=doc.credited_id,
            lines=[
                InvoiceLineOut(
                    participant_ref=line.participant_ref,
                    days=line.days,
                    base_fee=line.base_fee,
                    hours_amount=line.hours_amount,
                    bonus=line.bonus,
                    amount=line.amount,
                    report_line_id=line.report_line_id,
                )
                for line in doc.lines
            ],
        )


class ApprovalIn(Model):
    """Approval; an invoice past the contract's ceiling needs the reason it is accepted."""

    ceiling_reason: str | None = Field(
        default=None, max_length=2000, description="Why crossing the contract's ceiling is accepted"
    )


@operation(
    "GET",
    "/invoices",
    summary="List invoices and credit notes",
    roles=READERS,
    tag="invoices",
    query=InvoiceListQuery,
    response=InvoiceOut,
    paged=True,
    response_description="A page of the invoices you may see, oldest first, each with its lines",
)
def list_invoices(query: InvoiceListQuery, page: int, per_page: int):
    """Finance and procurement see every invoice; a provider user only its own provider's."""
    found = invoice_search.InvoiceFilter(
        contract_id=query.contract_id, month_from=query.month, month_to=query.month
    )
    listed = invoice_search.invoice_list(db.session, viewer(), found, page, per_page)
    return listed.mapped(InvoiceOut.of)


@operation(
    "GET",
    "/invoices/<int:invoice_id>",
    summary="Read an invoice",
    roles=READERS,
    tag="invoices",
    response=InvoiceOut,
    response_description="The invoice or credit note with its lines",
)
def get_invoice(invoice_id: int):
    """Another provider's invoice is answered 404, as if it did not exist."""
    return InvoiceOut.of(documents.document(invoice_id))


@operation(
    "GET",
    "/invoices/<int:invoice_id>.pdf",
    summary="An invoice as PDF",
    roles=READERS,
    tag="invoices",
    response=None,
    media_type="application/pdf",
    response_description="The PDF (a draft is marked as one on its face)",
)
def get_invoice_pdf(invoice_id: int):
    """Danish formats, the provider's CVR, the municipality's EAN, page numbers on every page."""
    return documents.pdf_response(invoice_id)


@operation(
    "GET",
    "/invoices/<int:invoice_id>.xml",
    summary="An invoice as Peppol BIS 3.0 e-invoice",
    roles=READERS,
    tag="invoices",
    response=None,
    media_type="application/xml",
    response_description="UBL 2.1 Invoice or CreditNote, validated before it is offered",
    conflicts="The invoice is a draft (it has no number until approved).",
)
def get_invoice_xml(invoice_id: int):
    """Checked by the UBL 2.1 XSD, the EN 16931 rules and the Peppol BIS 3.0 rules first."""
    return documents.xml_response(invoice_id)


@operation(
    "POST",
    "/invoices/<int:invoice_id>/approve",
    summary="Approve an invoice or credit note",
    roles=("finance",),
    tag="invoices",
    body=ApprovalIn,
    response=InvoiceOut,
    response_description="The approved invoice with its number",
    conflicts="Approved already; or the invoice crosses the ceiling and no reason was given.",
)
def approve_invoice(invoice_id: int, body: ApprovalIn):
    """Gives the year's next gap-free number; an approved invoice is never changed again."""
    documents.visible_invoice(invoice_id)
    approval.approve(db.session, actor(), viewer(), invoice_id, today(), body.ceiling_reason)
    return InvoiceOut.of(documents.document(invoice_id))
