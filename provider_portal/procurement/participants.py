"""A contract's participant list (issue 12): every enrolment's reference, start, status, and
end date and reason, searchable by reference, filtered by status, paged; and procurement's
action on a row, ending an enrolment registered by mistake, behind a confirmation with a reason.

Procurement reads the list and acts on it; finance reads it too (DESIGN.md §1: read-only
elsewhere, and its invoices are priced per participant), without the action. Providers and
administrators may not open it (403). Reading it is an audit event once per user, contract and
day (§13); the list and the action are the services' (`participant_list`, `withdrawals`).
There is no API call for either: §8 has none.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from contracts.services import DomainError, NotFound, withdrawals
from contracts.services.participant_list import (
    SEARCH_MOST,
    STATUSES,
    participant_list,
    record_read,
)

from .. import clock, transaction
from ..extensions import db
from ..form_fields import PortalForm
from ..formatting import number as format_number
from ..i18n import say
from ..invoice_filters import OfferedField
from ..security import actor, allow, viewer
from .forms import answer_status
from .views import bp

PER_PAGE = 50
STATUS_LABELS = {
    "active": _l("Active"),
    "upcoming": _l("Starts later"),
    "exited": _l("Exited"),
    "transferred": _l("Transferred"),
    "withdrawn": _l("Registered by mistake"),
}


class ParticipantFilterForm(PortalForm):
    """Which participants to list: a reference (or part of one) and a status, read from the query
    string (it changes nothing, so it has no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Participant reference"),
        validators=[Length(max=SEARCH_MOST)],
        render_kw={"autocomplete": "off", "placeholder": "DL-4Q7K2", "maxlength": SEARCH_MOST},
    )
    status = OfferedField(
        _l("Status"),
        _l("“%(value)s” is not a status: choose one from the list."),
        choices=[SelectChoice("", _l("All"))]
        + [SelectChoice(code, label) for code, label in STATUS_LABELS.items()],
    )

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments, for the pager's links."""
        args = {"q": (self.q.data or "").strip(), "status": self.status.data or ""}
        return {name: value for name, value in args.items() if value}


class WithdrawForm(PortalForm):
    """Confirm that an enrolment was registered by mistake, and say why."""

    reason = TextAreaField(
        _l("Why was the enrolment registered by mistake?"),
        validators=[
            DataRequired(_l("Write why the enrolment was registered by mistake.")),
            Length(max=withdrawals.REASON_MOST),
        ],
        render_kw={"rows": 3, "maxlength": withdrawals.REASON_MOST},
    )


@bp.route("/contracts/<int:contract_id>/participants")
@allow("procurement", "finance")
def participants(contract_id: int):
    """The contract's participants by start date, searched, filtered and paged."""
    typed = MultiDict({name: request.args.get(name, "").strip() for name in ("q", "status")})
    form = ParticipantFilterForm(formdata=typed)
    form.validate()
    today = clock.today()
    try:
        found = participant_list(
            db.session,
            viewer(),
            contract_id,
            today,
            search=None if form.q.errors else form.q.data,
            status=None if form.status.errors else (form.status.data or None),
            page=max(1, request.args.get("page", 1, type=int)),
            per_page=PER_PAGE,
        )
    except NotFound:
        abort(404)
    record_read(db.session, actor(), found.contract.id, clock.now())
    return render_template(
        "procurement/participants.html",
        found=found,
        form=form,
        today=today,
        status_labels=STATUS_LABELS,
        status_figures=[
            (STATUS_LABELS[code], format_number(found.counts[code])) for code in STATUSES
        ],
    ), 400 if form.errors else 200


@bp.route(
    "/contracts/<int:contract_id>/participants/<int:enrolment_id>/withdraw",
    methods=["GET", "POST"],
)
@allow("procurement")
def withdraw_enrolment(contract_id: int, enrolment_id: int):
    """Confirm, with a reason, that an enrolment was registered by mistake: it ends on its start
    day and counts for nothing. Refused with the reason, and nothing changed, while a report
    that counts carries the participant."""
    try:
        enrolment, ref = withdrawals.withdrawable_enrolment(
            db.session, viewer(), contract_id, enrolment_id
        )
    except NotFound:
        abort(404)
    form = WithdrawForm()
    problem = None
    if form.validate_on_submit():
        try:
            withdrawals.withdraw(
                db.session,
                actor(),
                viewer(),
                contract_id,
                enrolment_id,
                form.reason.data,
                now=clock.now(),
            )
        except DomainError as error:
            transaction.rollback()
            if error.field == "reason":
                form.reason.errors = [say(error)]
            else:
                problem = error
        else:
            flash(
                _("The enrolment of %(ref)s is ended as registered by mistake.", ref=ref),
                "success",
            )
            return redirect(url_for("procurement.participants", contract_id=contract_id))
    blocked = problem or withdrawals.refusal(db.session, enrolment, ref)
    status = blocked.status if problem is not None else answer_status(form, None)
    return render_template(
        "procurement/participant_withdraw.html",
        contract=enrolment.contract,
        enrolment=enrolment,
        ref=ref,
        form=form,
        blocked=say(blocked) if blocked is not None else None,
        today=clock.today(),
    ), status
