"""Documents made on the queue, as finance meets them: start, "being made", download.

Procurement, which reads invoices (DESIGN §1), meets a long invoice's PDF here too; the
statements and budgets stay finance's.

A link to a large PDF (the provider statement, the budget statement, a long invoice) starts
its render on the `documents` queue and leads to a page that says the document is being made
and reloads itself until the download is there (see `provider_portal.jobs.documents` for which
PDFs go this way and why).
"""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from flask_babel import gettext as _

from contracts.rules.problems import N_
from contracts.services import NotFound

from .. import clock
from .. import downloads as documents
from ..jobs import documents as documents_jobs
from ..security import allow
from .views import bp


def queued(job_id: str, function: str, *args) -> Response:
    """Start (or join) the render of a document and send the user to its page."""
    documents_jobs.start(job_id, function, *args)
    return redirect(url_for("finance.document", job_id=job_id))


def _ask_again_url(job_id: str) -> str:
    """The link that asked for the document, rebuilt from its job id, to try a stalled one again."""
    kind, _, keys = job_id.removeprefix("pdf-").partition("-")
    if kind == "statement":
        provider_id, month = keys.split("-", 1)
        return url_for("finance.statement_pdf", provider_id=int(provider_id), month=month)
    if kind == "budget":
        return url_for("finance.budget_pdf", year=int(keys))
    return url_for("finance.invoice_pdf", invoice_id=int(keys))


def _way_back(job_id: str) -> dict[str, str]:
    """An invoice's document leads back to the invoice; the others to the finance overview."""
    invoice_id = documents_jobs.invoice_of(job_id)
    if invoice_id is None:
        return {}
    return {
        "back_url": url_for("finance.invoice", invoice_id=invoice_id),
        "back_label": _("Back to the invoice"),
    }


@bp.route("/budget/<int:year>.pdf")
@allow("finance")
def budget_pdf(year: int):
    """The annual budget statement with its burn-down chart, made on the queue."""
    if not 2000 <= year <= 2100:
        raise NotFound(N_("No such year."))
    return queued(documents_jobs.budget_job_id(year), "render_budget", year)


@bp.route("/documents/<job:job_id>")
@allow("finance", "procurement")
def document(job_id: str):
    """A queued document: being made (the page reloads itself), ready to download, failed, or
    stalled (no worker will make it: the page stops reloading and offers to ask again)."""
    found = documents_jobs.state(documents.readable_document(job_id))
    if found is None:
        raise NotFound(N_("No such document; it may have expired. Ask for it again."))
    return render_template(
        "finance/documents/status.html",
        document=found,
        today=clock.today(),
        ask_again_url=_ask_again_url(job_id),
        **_way_back(job_id),
    )


@bp.route("/documents/<job:job_id>/download")
@allow("finance", "procurement")
def document_download(job_id: str):
    """The made PDF; back to the document's page while it is not (or no longer) there."""
    return documents.stored_download(
        documents.readable_document(job_id), url_for("finance.document", job_id=job_id)
    )
