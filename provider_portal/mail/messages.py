"""A notification as a mail: subject, plain text and HTML in the recipient's language.

Each kind has one template, `mail/<kind>.txt`, whose paragraphs are the mail's body; the
layouts `mail/layout.txt` and `mail/layout.html` put the greeting, the body, the link and the
footer around it, so every mail has both parts from one text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from contracts.models import Notification, User

from ..i18n import LANGUAGES

SUBJECTS = {
    "report_due": _l("Reminder: the report for %(month)s on %(contract)s is due on the 10th"),
    "report_overdue": _l("Overdue: the report for %(month)s on %(contract)s has not been sent"),
    "report_submitted": _l("Report to review: %(contract)s, %(month)s"),
    "report_accepted": _l("Report accepted: %(contract)s, %(month)s"),
    "report_rejected": _l("Report rejected: %(contract)s, %(month)s"),
    "notice_received": _l("Notice to confirm: %(contract)s"),
    "invoice_to_attest": _l("Invoice to attest: %(contract)s, %(month)s"),
    "invoices_to_attest": _l("Invoices to attest for %(month)s"),
    "invoice_to_approve": _l("Invoice to approve: %(contract)s, %(month)s"),
    "invoice_returned": _l("Invoice returned to attestation: %(contract)s, %(month)s"),
    "contract_ending": _l("%(contract)s ends in %(days)s days without a successor"),
    "tender_published": _l("New tender: %(title)s"),
    "award_decision": _l("Award decision: %(tender)s, lot %(lot)s"),
    "invitation": _l("Your account on the provider portal"),
    "password_reset": _l("Choose a new password for the provider portal"),
    "tender_material_changed": _l("New version of the tender material: %(title)s"),
    "tender_deadline_moved": _l("The deadline is moved: %(title)s"),
}

# Where each kind's link leads (the recipient's page for it).
LINKS = {
    "report_due": lambda c: url_for(
        "provider.report", contract_id=c["contract_id"], month=c["month"]
    ),
    "report_overdue": lambda c: url_for("home.index"),
    "report_submitted": lambda c: url_for(
        "procurement.report", contract_id=c["contract_id"], month=c["month"]
    ),
    "report_accepted": lambda c: url_for(
        "provider.report", contract_id=c["contract_id"], month=c["month"]
    ),
    "report_rejected": lambda c: url_for(
        "provider.report", contract_id=c["contract_id"], month=c["month"]
    ),
    "notice_received": lambda c: url_for("procurement.notices_queue"),
    "invoice_to_attest": lambda c: url_for("procurement.attestation"),
    "invoices_to_attest": lambda c: url_for("procurement.attestation"),
    "invoice_to_approve": lambda c: url_for("finance.invoice", invoice_id=c["invoice_id"]),
    "invoice_returned": lambda c: url_for("procurement.attestation"),
    "contract_ending": lambda c: url_for("procurement.contract", contract_id=c["contract_id"]),
    "tender_published": lambda c: url_for("home.index"),
    "award_decision": lambda c: url_for("home.index"),
    "tender_material_changed": lambda c: url_for("procurement.tender", tender_id=c["tender_id"]),
    "tender_deadline_moved": lambda c: url_for("procurement.tender", tender_id=c["tender_id"]),
}

DATES = ("on", "due_on", "ends_on", "standstill_ends_on")
MOMENTS = ("deadline", "moved_from")


def language(user: User) -> str:
    return user.locale if user.locale in LANGUAGES else "da"


def _values(context: dict[str, Any]) -> dict[str, Any]:
    """The stored context with its ISO dates and moments read back, for the formatters."""
    values = dict(context)
    for key in DATES:
        if values.get(key):
            values[key] = date.fromisoformat(values[key])
    for key in MOMENTS:
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    return values


def render(notification: Notification, user: User, secret: str | None = None):
    """(subject, text, html) of the notification for its user. Links are absolute, on
    PORTAL_URL; a one-time link is made from `secret`, which is never stored."""
    base = current_app.config.get("PORTAL_URL") or "http://127.0.0.1:5000"
    kind = notification.kind
    with current_app.test_request_context(base_url=base), force_locale(language(user)):
        values = _values(notification.context or {})
        if secret is not None:
            link = url_for("auth.set_password", token=secret, _external=True)
        else:
            link = base.rstrip("/") + LINKS[kind](values) if kind in LINKS else None
        formatter = current_app.jinja_env.filters
        subject = str(SUBJECTS[kind]) % _subject_values(values, formatter)
        body = render_template(f"mail/{kind}.txt", user=user, **values).strip()
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        common = {"user": user, "paragraphs": paragraphs, "link": link, "kind": kind}
        text = render_template("mail/layout.txt", **common)
        html = render_template(
            "mail/layout.html",
            html_paragraphs=[Markup("<br>").join(escape(p).split("\n")) for p in paragraphs],
            subject=subject,
            **common,
        )
    return subject, text, html


def _subject_values(values: dict[str, Any], filters) -> dict[str, Any]:
    found = dict(values)
    if values.get("month"):
        found["month"] = filters["month"](values["month"])
    return found
