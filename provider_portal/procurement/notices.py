"""Procurement's notices during the month: the exit notices waiting for a decision (confirm, or
reject with a reason the provider reads), and the absence notices the caseworkers follow up,
filtered by contract and month and exported as CSV the way Danish Excel opens it.

Every decision is the service's (`contracts.services.notices`) and an audit event; reading the
lists, which name participants, and exporting them are audit events too.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from contracts.documents import exports
from contracts.rules.periods import COPENHAGEN
from contracts.services import DomainError, NotFound, contract_lists, notices
from contracts.services.audit import record

from .. import clock, transaction
from .. import downloads as documents
from ..extensions import db
from ..form_fields import IsMonth, MonthField, PortalForm
from ..formatting import day as formatted_day
from ..i18n import say
from ..invoice_filters import OfferedField
from ..reads import participants_read
from ..security import actor, allow, viewer
from .views import bp

PER_PAGE = 50
ABSENCE_HEADER = (
    "Dato",
    "Aftale",
    "Leverandør",
    "Deltager",
    "Timer",
    "Bemærkning",
    "Modtaget",
)


class DecideForm(PortalForm):
    """Confirm an exit notice, or reject it: the reason is read from the same post."""


class AbsenceFilterForm(PortalForm):
    """Which absence notices to list: a contract and a month, both optional (read from the query
    string: it changes nothing, so it has no CSRF token)."""

    class Meta:
        csrf = False

    contract_id = OfferedField(
        _l("Contract"),
        _l("There is no contract “%(value)s”: choose one from the list."),
        coerce=lambda value: int(value) if str(value).isdigit() else str(value),
    )
    month = MonthField(
        _l("Month"),
        validators=[
            IsMonth(
                lambda field: _(
                    "“%(value)s” is not a month: write it as YYYY-MM, such as 2019-01.",
                    value=(field.data or "")[:40],
                )
            )
        ],
    )

    @property
    def chosen_contract(self) -> int | None:
        return self.contract_id.data or None

    @property
    def chosen_month(self) -> str | None:
        return self.month.data or None

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments, for the pager's links and the export."""
        args = {"contract_id": self.chosen_contract, "month": self.chosen_month}
        return {name: str(value) for name, value in args.items() if value}


def _queue(status: int = 200, failed: int | None = None, reason_error: str | None = None):
    """The received exit notices, oldest first, each with its confirm and reject forms."""
    page = max(1, request.args.get("page", 1, type=int))
    found = notices.notices_page(
        db.session,
        viewer(),
        kind="exit",
        status="received",
        page=page,
        per_page=PER_PAGE,
        oldest_first=True,
    )
    participants_read(
        "procurement.notices",
        "notice",
        None,
        count=len(found.items),
    )
    return render_template(
        "procurement/notices.html",
        found=found,
        form=DecideForm(),
        failed=failed,
        reason_error=reason_error,
        reason_typed=request.form.get("reason", "") if failed else "",
    ), status


@bp.route("/notices")
@allow("procurement")
def notices_queue():
    """Exit notices waiting for a decision, the oldest first."""
    return _queue()


def _decision(notice_id: int):
    """Check the post and that the notice is one the viewer may see (404 otherwise)."""
    if not DecideForm().validate_on_submit():
        abort(400)
    try:
        return notices.visible_notice(db.session, viewer(), notice_id)
    except NotFound:
        abort(404)


@bp.route("/notices/<int:notice_id>/confirm", methods=["POST"])
@allow("procurement")
def confirm_notice(notice_id: int):
    """Confirm the exit: the enrolment ends on the notice's day at once."""
    notice = _decision(notice_id)
    try:
        notices.confirm(db.session, actor(), notice.id, now=clock.now())
    except DomainError as error:
        transaction.rollback()
        flash(_("The notice was not confirmed: %(reason)s", reason=say(error)), "error")
        return _queue(error.status)
    flash(
        _(
            "The exit of %(ref)s is confirmed: the course ended on %(date)s.",
            ref=notice.participant.ref,
            date=formatted_day(notice.on),
        ),
        "success",
    )
    return redirect(url_for("procurement.notices_queue"))


@bp.route("/notices/<int:notice_id>/reject", methods=["POST"])
@allow("procurement")
def reject_notice(notice_id: int):
    """Reject the exit notice with the reason the provider reads; nothing else changes."""
    notice = _decision(notice_id)
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return _queue(422, notice.id, _("Write why the notice is rejected, so the provider knows."))
    try:
        notices.reject(db.session, actor(), notice.id, reason, now=clock.now())
    except DomainError as error:
        transaction.rollback()
        if error.field == "reason":
            return _queue(error.status, notice.id, say(error))
        flash(_("The notice was not rejected: %(reason)s", reason=say(error)), "error")
        return _queue(error.status)
    flash(_("The exit notice of %(ref)s is rejected.", ref=notice.participant.ref), "success")
    return redirect(url_for("procurement.notices_queue"))


def _absence_filter() -> AbsenceFilterForm:
    """The filter in the query string, its contract choices the contracts the viewer may see."""
    typed = MultiDict(
        {name: request.args.get(name, "").strip() for name in ("contract_id", "month")}
    )
    form = AbsenceFilterForm(formdata=typed)
    contracts = contract_lists.contracts_by_reference(db.session, viewer())
    form.contract_id.choices = [SelectChoice("", _("All contracts"))] + [
        SelectChoice(c.id, f"{c.reference} · {c.provider.name}") for c in contracts
    ]
    form.validate()
    return form


@bp.route("/absences")
@allow("procurement")
def absences():
    """Absence notices for the caseworkers, by contract and month, with a CSV export."""
    form = _absence_filter()
    found = None
    if not form.errors:
        found = notices.notices_page(
            db.session,
            viewer(),
            kind="absence",
            contract_id=form.chosen_contract,
            month=form.chosen_month,
            page=max(1, request.args.get("page", 1, type=int)),
            per_page=PER_PAGE,
        )
        participants_read(
            "procurement.absences",
            "notice",
            None,
            count=len(found.items),
            **form.as_args(),
        )
    return render_template(
        "procurement/absences.html", form=form, found=found
    ), 400 if form.errors else 200


@bp.route("/absences.csv")
@allow("procurement")
def absences_csv():
    """The filtered absence notices as CSV (Danish Excel); the export is an audit event."""
    form = _absence_filter()
    if form.errors:
        return render_template("procurement/absences.html", form=form, found=None), 400
    rows = notices.absence_notices(db.session, viewer(), form.chosen_contract, form.chosen_month)
    table = [
        (
            n.on,
            n.contract.reference,
            n.contract.provider.name,
            n.participant.ref,
            n.hours_missed,
            n.note or "",
            n.recorded_at.astimezone(COPENHAGEN).date(),
        )
        for n in rows
    ]
    record(
        db.session,
        actor(),
        "notices.exported",
        "notice",
        None,
        kind="absence",
        format="csv",
        rows=len(table),
        **form.as_args(),
    )
    name = "udeblivelser" + "".join(f"-{value}" for value in form.as_args().values())
    data = exports.csv_bytes(ABSENCE_HEADER, table)
    return documents.attachment(data, "text/csv; charset=utf-8", f"{name}.csv")
