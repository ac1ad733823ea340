"""API calls on invoices and credit notes: list and read them (scoped), their PDF and e-invoice, and
their steps (DESIGN.md §6, §8): the provider issues (provider-issued contracts), procurement
attests, finance approves or returns to attestation with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from contracts.models.invoices import INVOICE_KINDS, INVOICE_STATUSES, LINE_ITEMS
from contracts.services import approval, invoice_search, invoice_steps

from .. import downloads as documents
from ..clock import now
from ..extensions import db
from ..jobs import documents as documents_jobs
from ..reads import participants_read
from ..security import actor, viewer
from .declare import operation
from .documents import QueuedDocument, queued_pdf
from .types import MAX_ID, Model, Money, Month, MonthText, Rate

READERS = ("finance", "procurement", "provider")
InvoiceStage = Literal[
    "draft",
    "issued",
    "attested",
    "returned",
    "approved",
    "awaiting_provider",
    "awaiting_attestation",
]


class InvoiceListQuery(Model):
    """Optional filters of the invoice list (the page is read beside them: DESIGN.md §8)."""

    contract_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only this contract's invoices"
    )
    month: Month | None = Field(default=None, description="Only this month's (YYYY-MM)")
    status: InvoiceStage | None = Field(
        default=None,
        description="Only those in this status, or at this stage: awaiting_provider (a "
        "provider-issued draft), awaiting_attestation (a self-billed draft or an issued invoice)",
    )


LineItem = Literal[LINE_ITEMS]  # type: ignore[valid-type]


class InvoiceLineOut(BaseModel):
    """One participant's month (days, base fee, hours amount, outcome bonus and their sum), or a
    milestone of theirs paid or taken back."""

    participant_ref: str
    days: int
    base_fee: Money
    hours_amount: Money
    bonus: Money
    amount: Money
    report_line_id: int | None = Field(description="The report line the line was priced from")
    item: LineItem = Field(
        default="month",
        description="month (the participant's month, its bonus the start milestone), week13 or "
        "week26 (a later milestone reached), or clawback_start, clawback_week13, "
        "clawback_week26 (a paid milestone taken back: a negative bonus and amount)",
    )


class InvoiceOut(BaseModel):
    """An invoice or credit note with its lines and totals (a credit note's amounts are positive)."""

    id: int
    kind: Literal[INVOICE_KINDS] = Field(description="invoice or credit_note")  # type: ignore[valid-type]
    number: str | None = Field(description="Given at approval (YYYY-NNNNNN); null for a draft")
    status: Literal[INVOICE_STATUSES] = Field(  # type: ignore[valid-type]
        description="draft, issued (by the provider), attested, returned (to attestation) or "
        "approved"
    )
    contract_id: int
    month: MonthText
    version: int = Field(description="The version of the monthly report it was made from")
    vat_rate: Rate
    net: Money
    vat: Money
    total: Money
    exceeds_ceiling: bool
    credited_invoice_id: int | None
    invoicing: str = Field(
        description="self_billing (the municipality issues it) or provider_issued"
    )
    issued_at: datetime | None = Field(description="When the provider issued it")
    attested_at: datetime | None = Field(description="When procurement last attested it")
    returned_at: datetime | None = Field(description="When finance last returned it")
    return_reason: str | None = Field(description="Why it was returned, while it is returned")
    approved_at: datetime | None
    lines: list[InvoiceLineOut]

    @classmethod
    def of(cls, doc, steps) -> InvoiceOut:
        """From the document's data and the invoice row's (or listed invoice's) steps."""
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
            invoicing=steps.contract.invoicing,
            issued_at=steps.issued_at,
            attested_at=steps.attested_at,
            returned_at=steps.returned_at,
            return_reason=steps.return_reason,
            approved_at=steps.approved_at,
            lines=[
                InvoiceLineOut(
                    participant_ref=line.participant_ref,
                    days=line.days,
                    base_fee=line.base_fee,
                    hours_amount=line.hours_amount,
                    bonus=line.bonus,
                    amount=line.amount,
                    report_line_id=line.report_line_id,
                    item=line.item,
                )
                for line in doc.lines
            ],
        )


class ApprovalIn(Model):
    """Approval; an invoice past the contract's ceiling needs the reason it is accepted."""

    ceiling_reason: str | None = Field(
        default=None, max_length=2000, description="Why crossing the contract's ceiling is accepted"
    )


class ReturnIn(Model):
    """Why finance returns the invoice to attestation."""

    reason: str = Field(
        min_length=1, max_length=2000, description="What is wrong, at least 10 characters"
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
        contract_id=query.contract_id,
        month_from=query.month,
        month_to=query.month,
        status=query.status,
    )
    listed = invoice_search.invoice_list(db.session, viewer(), found, page, per_page)
    # Each invoice comes with its lines, which name participants: an audited read.
    participants_read("api.list_invoices", "invoice", None, count=len(listed.items))
    return listed.mapped(lambda item: InvoiceOut.of(item, item.invoice))


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
    return _answer(invoice_id)


def _answer(invoice_id: int) -> InvoiceOut:
    """The invoice as the API answers it, after a step as on reading."""
    return InvoiceOut.of(documents.document(invoice_id), documents.visible_invoice(invoice_id))


@operation(
    "GET",
    "/invoices/<int:invoice_id>.pdf",
    summary="An invoice as PDF",
    roles=READERS,
    tag="invoices",
    response=None,
    media_type="application/pdf",
    response_description="The PDF (a draft is marked as one on its face)",
    queued=QueuedDocument,
)
def get_invoice_pdf(invoice_id: int):
    """Danish formats, the provider's CVR, the municipality's EAN, page numbers on every page.

    A long invoice (more lines than are rendered in the answer) is made on the queue: answered
    202 with the document to follow (`GET /documents/{job_id}`) until its `file` is ready.
    """
    if documents_jobs.invoice_goes_to_queue(invoice_id):
        documents.visible_invoice(invoice_id)
        return queued_pdf(documents_jobs.invoice_job_id(invoice_id), "render_invoice", invoice_id)
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
    "/invoices/<int:invoice_id>/issue",
    summary="Issue an invoice or credit note (provider-issued contracts)",
    roles=("provider",),
    tag="invoices",
    response=InvoiceOut,
    response_description="The invoice, issued by its provider: it waits for attestation",
    conflicts="The contract is self-billed (the municipality issues its invoices); or the "
    "invoice is issued already.",
)
def issue_invoice(invoice_id: int):
    """The invoiced provider's own act; another provider's invoice is answered 404."""
    invoice_steps.issue(db.session, actor(), viewer(), invoice_id, now())
    return _answer(invoice_id)


@operation(
    "POST",
    "/invoices/<int:invoice_id>/attest",
    summary="Attest an invoice or credit note",
    roles=("procurement",),
    tag="invoices",
    response=InvoiceOut,
    response_description="The attested invoice: it waits for finance's approval",
    conflicts="Approved or attested already; or the provider has not issued it yet.",
)
def attest_invoice(invoice_id: int):
    """The delivery matches the contract and the accepted report; a returned invoice again."""
    invoice_steps.attest(db.session, actor(), viewer(), invoice_id, now())
    return _answer(invoice_id)


@operation(
    "POST",
    "/invoices/<int:invoice_id>/return",
    summary="Return an attested invoice to attestation",
    roles=("finance",),
    tag="invoices",
    body=ReturnIn,
    response=InvoiceOut,
    response_description="The returned invoice with the reason: procurement attests it again",
    conflicts="The invoice is not attested (approved already, or waiting for attestation).",
)
def return_invoice(invoice_id: int, body: ReturnIn):
    """The reason must say what is wrong in at least 10 characters (422 otherwise)."""
    invoice_steps.return_invoice(db.session, actor(), viewer(), invoice_id, body.reason, now())
    return _answer(invoice_id)


@operation(
    "POST",
    "/invoices/<int:invoice_id>/approve",
    summary="Approve an invoice or credit note",
    roles=("finance",),
    tag="invoices",
    body=ApprovalIn,
    response=InvoiceOut,
    response_description="The approved invoice with its number",
    conflicts="Not attested yet; approved already; or the invoice crosses the ceiling and no "
    "reason was given.",
)
def approve_invoice(invoice_id: int, body: ApprovalIn):
    """Gives the provider's next gap-free number of the year and freezes the issued record; an
    approved invoice is never changed again. The one who attested it may not approve it (403)."""
    approval.approve(
        db.session,
        actor(),
        viewer(),
        invoice_id,
        now(),
        documents.municipality(),
        body.ceiling_reason,
    )
    return _answer(invoice_id)
