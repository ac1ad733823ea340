"""The pages of mail: each user's choice of the optional notifications, and the admin's outbox
(never the mails with a one-time link, which would let an admin take over an account)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from contracts.services import notifications

from ..extensions import db
from ..security import ALL_ROLES, allow, current
from . import outbox

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
admin_bp = Blueprint("mail_admin", __name__, url_prefix="/admin/outbox")

LABELS = {
    "report_due": _l("Reminders on the 5th and the 10th of reports not sent yet"),
    "report_overdue": _l("Reports not sent by the 10th (overdue)"),
    "report_submitted": _l("A report is submitted for review"),
    "report_accepted": _l("A report is accepted"),
    "notice_received": _l("An exit or absence notice waits for confirmation"),
    "invoices_to_attest": _l("A month's invoices wait for attestation"),
    "invoice_to_attest": _l("A provider has issued an invoice for attestation"),
    "invoice_to_approve": _l("An invoice waits for approval"),
    "invoice_returned": _l("Finance returns an invoice to attestation"),
    "contract_ending": _l("A contract ends without a successor in 90, 30 or 7 days"),
    "tender_published": _l("A tender is published"),
    "tender_material_changed": _l("A published tender's material changes"),
    "tender_deadline_moved": _l("A published tender's deadline is moved"),
}


class ChoiceForm(FlaskForm):
    """Only the CSRF token: the kinds are checkboxes named after them."""


@bp.route("/", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def settings():
    """The optional notifications the user gets, as checkboxes."""
    user = current()
    kinds = notifications.optional_kinds(user.role)
    form = ChoiceForm()
    if form.validate_on_submit():
        notifications.choose(db.session, user, {k for k in kinds if request.form.get(k)})
        flash(_("Your choice of notifications is saved."), "success")
        return redirect(url_for("notifications.settings"))
    off = notifications.opted_out(db.session, user.id)
    choices = [(kind, LABELS.get(kind, kind), kind not in off) for kind in kinds]
    return render_template("notifications/settings.html", form=form, choices=choices)


@admin_bp.route("/")
@allow("admin")
def listing():
    """The mails in the outbox, newest first, 50 to a page (a page past the last is empty)."""
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1
    found = outbox.listing(page)
    return render_template("notifications/outbox.html", mails=found.mails, found=found)


@admin_bp.route("/<name>")
@allow("admin")
def show(name: str):
    """One mail: its headers, its plain text and its HTML (shown as text, never rendered)."""
    found = outbox.one(name)
    if found is None:
        abort(404)
    message = found.message
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    return render_template(
        "notifications/outbox_mail.html",
        mail=found,
        text=text.get_content() if text else "",
        html=html.get_content() if html else "",
    )
