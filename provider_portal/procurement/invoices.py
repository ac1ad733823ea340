"""Procurement's attestation: the queue of invoices and credit notes waiting for it (returned ones
first, with finance's reason), and the attestation itself, from the queue or the invoice's page.

Procurement reads an invoice on the page it shares with finance (`finance.invoice`), which
offers the Attest button to a viewer who may attest; the decision is the service's
(`invoice_steps.attest`) and an audit event.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from contracts.services import invoice_steps
from contracts.services.attestation import attestation_queue

from .. import clock
from ..extensions import db
from ..invoice_step_pages import step_answer
from ..security import actor, allow, viewer
from ..sessions import fresh_login_required
from .views import bp


@bp.route("/invoices")
@allow("procurement")
def attestation():
    """The invoices waiting for attestation: returned ones first, then the rest by month."""
    return render_template(
        "procurement/attestation.html", queue=attestation_queue(db.session, viewer())
    )


@bp.route("/invoices/<int:invoice_id>/attest", methods=["POST"])
@allow("procurement")
@fresh_login_required
def attest_invoice(invoice_id: int):
    """Attest: the delivery matches the contract and the accepted report. Back to the queue
    when attested from it, else to the invoice's page."""
    back = (
        url_for("procurement.attestation")
        if request.form.get("back") == "queue"
        else url_for("finance.invoice", invoice_id=invoice_id)
    )
    return step_answer(
        lambda: invoice_steps.attest(db.session, actor(), viewer(), invoice_id, clock.now()),
        _("Attested. The invoice now waits for finance's approval."),
        back,
    )
