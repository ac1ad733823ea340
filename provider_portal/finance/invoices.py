"""The invoice desk: filter, read, approve; PDFs, e-invoices, provider statements and exports.

Every query goes through contracts.services.scope with the request's viewer; approval is the
service's decision (gap-free number, ceiling's second look); every export is an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from contracts.documents import exports
from contracts.models import (
    Contract,
    Invoice,
    InvoiceApproval,
    MonthlyReport,
    Participant,
    Programme,
    Provider,
    ReportLine,
)
from contracts.rules.periods import MONTH_RE
from contracts.rules.problems import N_
from contracts.services import DomainError, NotFound, approval, scope
from contracts.services.audit import record

from .. import clock, documents_jobs
from ..extensions import db
from ..i18n import say
from ..security import actor, allow, viewer
from . import documents, statements
from .views import bp

STATUSES = ("draft", "approved")


@dataclass(frozen=True)
class DeskFilter:
    """The desk's filters as read from the query string; a bad value is simply no filter."""

    month: str | None
    provider_id: int | None
    programme: str | None
    status: str | None

    @classmethod
    def from_request(cls) -> DeskFilter:
        args = request.args
        month = args.get("month") or None
        provider = args.get("provider_id", "")
        status = args.get("status") or None
        return cls(month=month if month and MONTH_RE.match(month) else None,
                   provider_id=int(provider) if provider.isdigit() and len(provider) < 10 else None,
                   programme=args.get("programme") or None,
                   status=status if status in STATUSES else None)

    def as_args(self) -> dict:
        return {k: v for k, v in vars(self).items() if v is not None}


def _filtered(desk: DeskFilter) -> sa.Select:
    stmt = scope.invoices(viewer())
    if not viewer().is_provider:  # the provider's scope joins the contract already
        stmt = stmt.join(Contract, Contract.id == Invoice.contract_id)
    if desk.month:
        stmt = stmt.where(Invoice.month == desk.month)
    if desk.provider_id:
        stmt = stmt.where(Contract.provider_id == desk.provider_id)
    if desk.programme:
        stmt = stmt.where(Contract.programme_id == sa.select(Programme.id).where(
            Programme.code == desk.programme).scalar_subquery())
    if desk.status:
        stmt = stmt.where(Invoice.status == desk.status)
    return stmt


def desk_invoices(desk: DeskFilter) -> list[Invoice]:
    """The filtered invoices, each invoice followed by the credit note that credits it."""
    found = db.session.scalars(
        _filtered(desk).options(selectinload(Invoice.contract).selectinload(Contract.provider),
                                selectinload(Invoice.contract).selectinload(Contract.programme))
        .order_by(Invoice.month.desc(), Invoice.contract_id, Invoice.version, Invoice.id)
    ).all()
    notes = {i.credited_invoice_id: i for i in found if i.kind == "credit_note"}
    ordered, placed = [], set()
    for invoice in found:
        if invoice.id in placed or (invoice.kind == "credit_note" and invoice.credited_invoice_id in
                                    {i.id for i in found}):
            continue
        ordered.append(invoice)
        placed.add(invoice.id)
        note = notes.get(invoice.id)
        if note is not None:
            ordered.append(note)
            placed.add(note.id)
    for invoice in found:  # credit notes whose invoice the filter left out
        if invoice.id not in placed:
            ordered.append(invoice)
    return ordered


@bp.route("/invoices")
@allow("finance")
def invoices():
    """The invoice desk: filter by month, provider, programme and status."""
    desk = DeskFilter.from_request()
    rows = desk_invoices(desk)
    credited_by = {i.credited_invoice_id: i for i in rows if i.kind == "credit_note"}
    return render_template(
        "finance/invoices/list.html", invoices=rows, desk=desk, credited_by=credited_by,
        providers=db.session.scalars(scope.providers(viewer()).order_by(Provider.name)).all(),
        programmes=db.session.scalars(sa.select(Programme).order_by(Programme.position)).all(),
        months=db.session.scalars(scope.invoices(viewer()).with_only_columns(Invoice.month)
                                  .distinct().order_by(Invoice.month.desc())).all(),
    )


@bp.route("/invoices/<int:invoice_id>")
@allow("finance")
def invoice(invoice_id: int):
    """One invoice with its lines, each linked to the report line it was priced from."""
    found = documents.visible_invoice(invoice_id)
    doc = documents.document(invoice_id)
    note = db.session.scalar(scope.invoices(viewer()).where(Invoice.credited_invoice_id == found.id))
    return render_template("finance/invoices/invoice.html", invoice=found, doc=doc, credit_note=note,
                           approval=db.session.get(InvoiceApproval, found.id))


@bp.route("/invoices/<int:invoice_id>/approve", methods=["POST"])
@allow("finance")
def approve(invoice_id: int):
    """Approve: the year's next number; a ceiling crossing needs the reason it is accepted."""
    documents.visible_invoice(invoice_id)
    try:
        approved = approval.approve(db.session, actor(), viewer(), invoice_id, clock.today(),
                                    request.form.get("ceiling_reason"))
    except DomainError as refused:
        db.session.rollback()
        if refused.status == 404:
            raise
        flash(say(refused), "error")
        return redirect(url_for("finance.invoice", invoice_id=invoice_id))
    number = approved.number
    db.session.commit()
    flash(_("Approved as number %(number)s.", number=number), "success")
    return redirect(url_for("finance.invoice", invoice_id=invoice_id))


@bp.route("/invoices/<int:invoice_id>.pdf")
@allow("finance")
def invoice_pdf(invoice_id: int):
    """The invoice as PDF: inline, or made on the queue when it is long (see documents_jobs)."""
    documents.visible_invoice(invoice_id)
    if documents_jobs.invoice_goes_to_queue(invoice_id):
        return statements.queued(documents_jobs.invoice_job_id(invoice_id), "render_invoice", invoice_id)
    return documents.pdf_response(invoice_id)


@bp.route("/invoices/<int:invoice_id>.xml")
@allow("finance")
def invoice_xml(invoice_id: int):
    """The Peppol BIS 3.0 e-invoice, validated before it is offered."""
    return documents.xml_response(invoice_id)


@bp.route("/report-lines/<int:line_id>")
@allow("finance")
def report_line(line_id: int):
    """The report line an invoice line was priced from: hours, absence, exit."""
    line = db.session.get(ReportLine, line_id)
    report = db.session.scalar(scope.reports(viewer()).where(MonthlyReport.id == line.report_id)) if line else None
    if report is None:
        raise NotFound(N_("No such report line."))
    participant = db.session.get(Participant, line.participant_id)
    priced = db.session.scalars(
        scope.invoices(viewer()).where(Invoice.report_id == report.id).order_by(Invoice.id)).all()
    return render_template("finance/invoices/report_line.html", line=line, report=report,
                           participant_ref=participant.ref, invoices=priced,
                           contract=db.session.get(Contract, report.contract_id))


@bp.route("/statements/<int:provider_id>/<month>.pdf")
@allow("finance")
def statement_pdf(provider_id: int, month: str):
    """A provider's monthly statement: every contract, its outcomes and amounts (made on the queue)."""
    if not MONTH_RE.match(month):
        raise NotFound("No such month.")
    provider = db.session.scalar(scope.providers(viewer()).where(Provider.id == provider_id))
    if provider is None:
        raise NotFound("No such provider.")
    return statements.queued(documents_jobs.statement_job_id(provider.id, month), "render_statement",
                             provider.id, month)


@bp.route("/invoices/export.csv")
@allow("finance")
def export_csv():
    """The filtered invoices as CSV the way Danish Excel opens it."""
    return _export("csv")


@bp.route("/invoices/export.xlsx")
@allow("finance")
def export_xlsx():
    """The filtered invoices as an Excel workbook."""
    return _export("xlsx")


def _export(kind: str):
    """The filtered invoices as CSV (Danish Excel) or xlsx; the export is an audit event."""
    desk = DeskFilter.from_request()
    rows = desk_invoices(desk)
    table = [
        (i.number or "", "Kreditnota" if i.kind == "credit_note" else "Faktura",
         "Godkendt" if i.status == "approved" else "Kladde", i.contract.provider.name,
         i.contract.provider.cvr, i.contract.reference, i.contract.programme.code, i.month, i.version,
         _credited_number(i), i.net, i.vat, i.total, i.exceeds_ceiling,
         i.approved_at.date() if i.approved_at else None)
        for i in rows
    ]
    name = f"fakturaer-{desk.month or 'alle'}"
    if kind == "csv":
        data, mimetype = exports.csv_bytes(exports.INVOICE_HEADER, table), "text/csv; charset=utf-8"
    else:
        data = exports.xlsx_bytes("Fakturaer", exports.INVOICE_HEADER, table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record(db.session, actor(), "invoices.exported", "invoice", None, format=kind, rows=len(table),
           **desk.as_args())
    db.session.commit()
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _credited_number(invoice: Invoice) -> str:
    if invoice.credited_invoice_id is None:
        return ""
    credited = db.session.get(Invoice, invoice.credited_invoice_id)
    return credited.number or f"kladde {credited.id}"
