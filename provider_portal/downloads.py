"""Invoice documents at the edge: find the invoice the viewer may see, answer its PDF or e-invoice.

Shared by the finance and provider pages and the API, so it lives below all three. The e-invoice is validated by every available layer
before it is offered: an XML we would not accept from others is never sent.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Response, abort, current_app, redirect, request

from contracts.documents import pdf, ubl
from contracts.documents.data import InvoiceDocument, Municipality
from contracts.documents.validation import validator
from contracts.models import Invoice
from contracts.rules.problems import N_
from contracts.services import DomainError, NotFound, invoice_records
from contracts.services.invoice_documents import invoice_document

from .extensions import db
from .jobs import documents as documents_jobs
from .jobs.documents import pdf_renderer
from .reads import participants_read
from .security import viewer

log = logging.getLogger(__name__)


def visible_invoice(invoice_id: int) -> Invoice:
    """The invoice if the viewer may see it; 404 as if it did not exist otherwise."""
    invoice = invoice_records.visible_invoice(db.session, viewer(), invoice_id)
    if invoice is None:
        raise NotFound(N_("No such invoice."))
    return invoice


def municipality() -> Municipality:
    """The buyer, from configuration."""
    return Municipality.from_config(current_app.config)


def document(invoice_id: int) -> InvoiceDocument:
    """The plain data of an invoice the viewer may see. Its lines name participants, so reading
    it (a page, the PDF, the e-invoice, the API) is audited once per user, page and day."""
    doc = invoice_document(db.session, visible_invoice(invoice_id).id, municipality())
    participants_read(request.endpoint or "invoice", "invoice", doc.id, count=len(doc.lines))
    return doc


def file_name(doc: InvoiceDocument, extension: str) -> str:
    kind = "kreditnota" if doc.is_credit_note else "faktura"
    label = doc.number or f"kladde-{doc.id}"
    return f"{kind}-{label}.{extension}"


def attachment(data: bytes, mimetype: str, name: str) -> Response:
    """A file to download under the name given (names are made by the portal, never typed)."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def readable_document(job_id: str, budget_readers: tuple[str, ...] = ("finance",)) -> str:
    """The id of a document made on the queue that the viewer may have: an invoice's when the
    viewer sees the invoice (404 otherwise, as if it did not exist), a provider statement's for
    finance, a budget statement's for `budget_readers` (403 for anyone else)."""
    if not documents_jobs.JOB_ID.match(job_id):
        raise NotFound(N_("No such document."))
    invoice_id = documents_jobs.invoice_of(job_id)
    if invoice_id is not None:
        visible_invoice(invoice_id)
        return job_id
    readers = budget_readers if job_id.startswith("pdf-budget-") else ("finance",)
    if not viewer().may(*readers):
        abort(403)
    return job_id


def made_document(job_id: str) -> Response | None:
    """A PDF made on the documents queue as a download, or None while it is not (or no longer)
    kept. An invoice's names its participants: handing it out is audited as reading them."""
    found = documents_jobs.stored(job_id)
    if found is None:
        return None
    data, filename = found
    invoice_id = documents_jobs.invoice_of(job_id)
    if invoice_id is not None:
        participants_read(request.endpoint or "invoice", "invoice", invoice_id)
    return attachment(data, "application/pdf", filename)


def stored_download(job_id: str, page_url: str):
    """A PDF made on the documents queue; back to its page while it is not (or no longer) kept."""
    return made_document(job_id) or redirect(page_url)


def pdf_response(invoice_id: int) -> Response:
    """The invoice's PDF as a download (a draft says on its face that it is one)."""
    doc = document(invoice_id)
    return attachment(
        pdf.invoice_pdf(pdf_renderer(), doc), "application/pdf", file_name(doc, "pdf")
    )


def peppol_dir() -> Path:
    """Where the Peppol BIS 3.0 rules are: the setting PEPPOL_RULES_DIR."""
    return Path(current_app.config["PEPPOL_RULES_DIR"])


def xml_response(invoice_id: int) -> Response:
    """The Peppol BIS 3.0 e-invoice, only for an approved invoice and only when it validates."""
    doc = document(invoice_id)
    try:
        xml = ubl.build(doc)
    except ubl.NotIssuable as refused:
        # The refusal's text is its template (ubl marks the one a person meets: a draft).
        raise DomainError(str(refused), field="status", status=409) from None
    report = validator(peppol_dir()).validate(xml)
    if report.not_run:
        log.warning("e-invoice %s checked without: %s", doc.number, "; ".join(report.not_run))
    if not report.valid:
        log.error("e-invoice %s failed validation: %s", doc.number, report.errors)
        rules = ", ".join(sorted({f.rule for f in report.errors}))
        raise DomainError(
            N_("The e-invoice did not pass validation (%(rules)s); it is not offered."),
            status=409,
            rules=rules,
        )
    return attachment(xml, "application/xml", file_name(doc, "xml"))
