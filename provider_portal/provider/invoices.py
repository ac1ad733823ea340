"""The provider's invoices and credit notes: a list of its own, each read-only, and their PDFs.

Found through contracts.services.invoice_search (on scope.invoices), so a provider user finds
its own provider's invoices only; another provider's invoice is answered exactly like a
missing one (`documents.visible_invoice`: one scoped query, the same 404).

Drafts are shown, marked as not yet approved: the API hands them to providers already, and a
coordinator wants to see what is coming and catch a mistake before finance approves it. A
draft has no number, its amounts may still change, and its PDF says so on its face.

Who issues an invoice is a term of its contract (DESIGN.md §6): a self-billed invoice is made
by the municipality on the provider's behalf ("Selvfakturering"); a provider-issued contract's
draft invoice (and credit note) is issued here by the provider, its own act and an audit event,
before procurement can attest it.

A long invoice's PDF is made on the documents queue like finance's (see jobs.documents); the
invoice is checked visible here before the job is started, before its state is shown and
before the made file is handed out, since the job itself renders as the system.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from contracts.rules.problems import N_
from contracts.services import NotFound, contract_lists, invoice_search, invoice_steps
from contracts.services.invoice_lookups import credit_note_for

from .. import clock
from .. import downloads as documents
from ..extensions import db
from ..invoice_filters import ProviderInvoiceFilterForm
from ..invoice_step_pages import step_answer
from ..jobs import documents as documents_jobs
from ..security import actor, allow, viewer
from .views import bp


@bp.route("/invoices")
@allow("provider")
def invoices():
    """The provider's invoices and credit notes, newest month first, by contract and month.

    A filter value that cannot be used answers 400 with the form and a message at the field.
    """
    contracts = contract_lists.contracts_by_reference(db.session, viewer())
    form = ProviderInvoiceFilterForm.read(
        request.args, [SelectChoice(c.id, c.reference) for c in contracts]
    )
    found = None
    if not form.errors:
        found = invoice_search.find_page(
            db.session, viewer(), form.invoice_filter, form.page_number
        )
    return render_template(
        "provider/invoices.html", form=form, found=found
    ), 400 if form.errors else 200


@bp.route("/invoices/<int:invoice_id>")
@allow("provider")
def invoice(invoice_id: int):
    """One invoice or credit note with its lines, read-only; a provider-issued contract's draft
    with the button that issues it."""
    found = documents.visible_invoice(invoice_id)
    doc = documents.document(invoice_id)
    note = credit_note_for(db.session, viewer(), doc.id)
    return render_template("provider/invoice.html", doc=doc, invoice=found, credit_note=note)


@bp.route("/invoices/<int:invoice_id>/issue", methods=["POST"])
@allow("provider")
def issue_invoice(invoice_id: int):
    """Issue a draft of a provider-issued contract: it then waits for procurement's attestation.
    Another provider's invoice is a 404, as if it did not exist."""
    return step_answer(
        lambda: invoice_steps.issue(db.session, actor(), viewer(), invoice_id, clock.now()),
        _("Issued. The municipality now attests and approves the invoice."),
        url_for("provider.invoice", invoice_id=invoice_id),
    )


@bp.route("/invoices/<int:invoice_id>.pdf")
@allow("provider")
def invoice_pdf(invoice_id: int):
    """The invoice as PDF: inline, or made on the queue when it is long (see jobs.documents)."""
    documents.visible_invoice(invoice_id)
    if documents_jobs.invoice_goes_to_queue(invoice_id):
        documents_jobs.start(
            documents_jobs.invoice_job_id(invoice_id), "render_invoice", invoice_id
        )
        return redirect(url_for("provider.invoice_document", invoice_id=invoice_id))
    return documents.pdf_response(invoice_id)


@bp.route("/invoices/<int:invoice_id>/document")
@allow("provider")
def invoice_document(invoice_id: int):
    """A long invoice's PDF being made on the queue (the page reloads itself), ready, or failed."""
    documents.visible_invoice(invoice_id)
    found = documents_jobs.state(documents_jobs.invoice_job_id(invoice_id))
    if found is None:
        raise NotFound(N_("No such document; it may have expired. Ask for it again."))
    return render_template(
        "finance/documents/status.html",
        document=found,
        ask_again_url=url_for("provider.invoice_pdf", invoice_id=invoice_id),
        back_url=url_for("provider.invoice", invoice_id=invoice_id),
        back_label=_("Back to the invoice"),
        refresh_url=url_for("provider.invoice_document", invoice_id=invoice_id),
        download_url=url_for("provider.invoice_document_download", invoice_id=invoice_id),
    )


@bp.route("/invoices/<int:invoice_id>/document/download")
@allow("provider")
def invoice_document_download(invoice_id: int):
    """The made PDF; back to the document's page while it is not (or no longer) there."""
    documents.visible_invoice(invoice_id)
    return documents.stored_download(
        documents_jobs.invoice_job_id(invoice_id),
        url_for("provider.invoice_document", invoice_id=invoice_id),
    )
