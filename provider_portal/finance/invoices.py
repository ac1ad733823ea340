"""The invoice desk: filter, read, approve or return to attestation; PDFs, e-invoices, provider
statements and exports.

Every query goes through contracts.services.scope with the request's viewer (finding and
summing through contracts.services.invoice_search); approval and return are the services'
decisions (attested first, gap-free number, ceiling's second look; a reason to return); every
export is an audit event. The invoice page is procurement's too, where it attests.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from contracts.documents import exports
from contracts.rules.periods import Month
from contracts.rules.problems import N_
from contracts.services import (
    NotFound,
    approval,
    contract_lists,
    invoice_records,
    invoice_search,
    invoice_steps,
)
from contracts.services.audit import record
from contracts.services.invoice_lookups import credit_note_for
from contracts.services.programmes import all_programmes
from contracts.services.providers import get_provider, visible_providers

from .. import clock, invoice_history
from .. import downloads as documents
from ..extensions import db
from ..formatting import programme_name
from ..invoice_filters import InvoiceFilterForm
from ..invoice_step_pages import step_answer
from ..jobs import documents as documents_jobs
from ..reads import participants_read
from ..security import actor, allow, viewer
from ..sessions import fresh_login_required
from . import statements
from .views import bp


def _desk_page(form: InvoiceFilterForm, status: int = 200):
    """The desk: the form, and unless the filter has a problem, the page of invoices and their sums."""
    found = None
    if not form.errors:
        found = invoice_search.find_page(
            db.session, viewer(), form.invoice_filter, form.page_number
        )
    return render_template("finance/invoices/list.html", form=form, found=found), status


def _read_desk() -> InvoiceFilterForm:
    """The filter from the query string, checked against what the form's lists offer the viewer."""
    v = viewer()
    providers = visible_providers(db.session, v)
    contracts = contract_lists.contracts_by_reference(db.session, v)
    return InvoiceFilterForm.read(
        request.args,
        [SelectChoice(p.id, p.name) for p in providers],
        [SelectChoice(c.id, f"{c.reference} · {c.provider.name}") for c in contracts],
        [SelectChoice(p.code, programme_name(p)) for p in all_programmes(db.session)],
    )


@bp.route("/invoices")
@allow("finance")
def invoices():
    """The invoice desk: filter by provider, contract, programme, months, status, kind and ceiling.

    A filter value that cannot be used answers 400 with the form and a message at the field.
    """
    form = _read_desk()
    return _desk_page(form, 400 if form.errors else 200)


@bp.route("/invoices/<int:invoice_id>")
@allow("finance", "procurement")
def invoice(invoice_id: int):
    """One invoice with its lines, each linked to the report line it was priced from.

    Procurement reads it from a contract's page (DESIGN §8 lets it read invoices); approving,
    e-invoices, statements and the desk stay finance's, and the page offers each only to a
    viewer whose role its view allows.
    """
    found = documents.visible_invoice(invoice_id)
    doc = documents.document(invoice_id)
    note = credit_note_for(db.session, viewer(), found.id)
    return render_template(
        "finance/invoices/invoice.html",
        invoice=found,
        doc=doc,
        credit_note=note,
        approval=approval.approval_of(db.session, found.id),
        steps=invoice_history.steps(invoice_steps.history(db.session, found.id)),
        attestable=invoice_steps.awaits_attestation(found),
        min_return_reason=invoice_steps.MIN_RETURN_REASON,
    )


@bp.route("/invoices/<int:invoice_id>/approve", methods=["POST"])
@allow("finance")
@fresh_login_required
def approve(invoice_id: int):
    """Approve an attested invoice: the provider's next number; a ceiling crossing needs the
    reason it is accepted."""
    return step_answer(
        lambda: approval.approve(
            db.session,
            actor(),
            viewer(),
            invoice_id,
            clock.now(),
            documents.municipality(),
            request.form.get("ceiling_reason"),
        ),
        lambda approved: _("Approved as number %(number)s.", number=approved.number),
        url_for("finance.invoice", invoice_id=invoice_id),
    )


@bp.route("/invoices/<int:invoice_id>/return", methods=["POST"])
@allow("finance")
def return_invoice(invoice_id: int):
    """Return an attested invoice to procurement's attestation, with the reason."""
    return step_answer(
        lambda: invoice_steps.return_invoice(
            db.session, actor(), viewer(), invoice_id, request.form.get("reason"), clock.now()
        ),
        _("Returned to attestation. Procurement sees it with your reason."),
        url_for("finance.invoice", invoice_id=invoice_id),
    )


@bp.route("/invoices/<int:invoice_id>.pdf")
@allow("finance", "procurement")
def invoice_pdf(invoice_id: int):
    """The invoice as PDF: inline, or made on the queue when it is long (see jobs.documents)."""
    documents.visible_invoice(invoice_id)
    if documents_jobs.invoice_goes_to_queue(invoice_id):
        return statements.queued(
            documents_jobs.invoice_job_id(invoice_id), "render_invoice", invoice_id
        )
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
    found = invoice_records.priced_line(db.session, viewer(), line_id)
    if found is None:
        raise NotFound(N_("No such report line."))
    participants_read("finance.report_line", "report_line", line_id)
    return render_template(
        "finance/invoices/report_line.html",
        line=found.line,
        report=found.report,
        participant_ref=found.participant_ref,
        invoices=found.invoices,
        contract=found.contract,
    )


@bp.route("/statements/<int:provider_id>/<month:month>.pdf")
@allow("finance")
def statement_pdf(provider_id: int, month: Month):
    """A provider's monthly statement: every contract, its outcomes and amounts (made on the queue)."""
    try:
        provider = get_provider(db.session, viewer(), provider_id)
    except NotFound:
        raise NotFound(N_("No such provider.")) from None
    return statements.queued(
        documents_jobs.statement_job_id(provider.id, month), "render_statement", provider.id, month
    )


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
    """The filtered invoices as CSV (Danish Excel) or xlsx; the export is an audit event.

    A filter with a problem gets the desk's 400 page rather than a file of something else.
    """
    form = _read_desk()
    if form.errors:
        return _desk_page(form, 400)
    rows = invoice_search.find_all(db.session, viewer(), form.invoice_filter)
    table = [_export_row(row) for row in rows]
    name = f"fakturaer-{form.month_span()}"
    if kind == "csv":
        data, mimetype = exports.csv_bytes(exports.INVOICE_HEADER, table), "text/csv; charset=utf-8"
    else:
        data = exports.xlsx_bytes("Fakturaer", exports.INVOICE_HEADER, table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record(
        db.session,
        actor(),
        "invoices.exported",
        "invoice",
        None,
        format=kind,
        rows=len(table),
        **form.as_args(),
    )
    return documents.attachment(data, mimetype, f"{name}.{kind}")


# The export's status column, in Danish like its other words (Danish Excel is its reader).
STATUS_WORDS = {
    "draft": "Kladde",
    "issued": "Udstedt af leverandøren",
    "attested": "Attesteret",
    "returned": "Returneret",
    "approved": "Godkendt",
}


def _export_row(row: invoice_search.FoundInvoice) -> tuple:
    i, credited = row.invoice, row.credits
    return (
        i.number or "",
        "Kreditnota" if i.kind == "credit_note" else "Faktura",
        STATUS_WORDS.get(i.status, i.status),
        i.contract.provider.name,
        i.contract.provider.cvr,
        i.contract.reference,
        i.contract.programme.name_da,  # people read the export: the name, not the code
        i.month,
        i.version,
        "" if credited is None else credited.number or f"kladde {credited.id}",
        i.net,
        i.vat,
        i.total,
        i.exceeds_ceiling,
        i.approved_at.date() if i.approved_at else None,
    )
