"""The provider's notices of a contract (hændelser): tell of an exit or an absence the day it
happens, and read how each notice stands.

The form offers the participants enrolled on the chosen day (today unless `?on=` says another);
the service decides what may be recorded (`contracts.services.notices.record`), the same as for
the API, and its problems are shown beside the fields they concern.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from contracts.models import Contract
from contracts.rules.exits import EXIT_REASONS
from contracts.services import DomainError, NotFound, contract_register, notices

from .. import clock, transaction
from ..extensions import db
from ..form_fields import PortalForm, read_day
from ..i18n import say
from ..reads import participants_read
from ..security import actor, allow, viewer
from .views import bp

PER_PAGE = 50


class NoticeForm(PortalForm):
    """An exit (with its reason) or an absence (with the hours missed) of one participant."""

    participant_ref = SelectField(_l("Participant"), validate_choice=False)
    kind = RadioField(
        _l("What happened"),
        choices=[
            SelectChoice("exit", _l("The participant has left (exit notice)")),
            SelectChoice("absence", _l("The participant did not turn up (absence notice)")),
        ],
        default="exit",
        validate_choice=False,
    )
    date = StringField(_l("Date"), render_kw={"type": "date"})
    reason = SelectField(_l("Exit reason (for an exit)"), validate_choice=False)
    hours = StringField(
        _l("Hours missed (for an absence)"), render_kw={"inputmode": "decimal", "size": 6}
    )
    note = TextAreaField(_l("Note"), render_kw={"rows": 2, "maxlength": 2000})


def _contract(contract_id: int) -> Contract:
    """The viewer's contract, or 404: another provider's contract does not exist for them."""
    try:
        return contract_register.get_contract(db.session, viewer(), contract_id)
    except NotFound:
        abort(404)


def _chosen_day() -> date:
    """The day whose participants the form offers: `?on=`, or today."""
    return read_day(request.args.get("on")) or clock.today()


def _form(contract: Contract, day: date, form: NoticeForm | None = None) -> NoticeForm:
    """The form with the participants enrolled on the day and the exit reasons to choose from."""
    if form is None:
        form = NoticeForm(formdata=None, data={"date": day.isoformat(), "kind": "exit"})
    refs = notices.participants_on(db.session, viewer(), contract.id, day)
    chosen = form.participant_ref.data
    if chosen and chosen not in refs:
        refs = [chosen, *refs]  # shown back as sent, beside the reason it cannot be recorded
    form.participant_ref.choices = [SelectChoice("", _("Choose a participant"))] + [
        SelectChoice(ref, ref) for ref in refs
    ]
    # The reasons' Danish words are the labels macro's, on the page.
    form.reason.choices = [SelectChoice("", "–")] + [SelectChoice(c, c) for c in EXIT_REASONS]
    return form


def _page(contract: Contract, form: NoticeForm, day: date, status: int = 200):
    """The form and one page of the contract's notices, newest day first; the read of the
    participants it shows is an audit event."""
    page = request.args.get("page", 1, type=int)
    found = notices.notices_page(
        db.session, viewer(), contract_id=contract.id, page=max(1, page), per_page=PER_PAGE
    )
    participants_read(
        "provider.notices",
        "contract",
        contract.id,
        count=len(found.items),
    )
    return render_template(
        "provider/notices.html",
        contract=contract,
        form=form,
        day=day,
        found=found,
        today=clock.today(),
    ), status


@bp.route("/contracts/<int:contract_id>/notices")
@allow("provider")
def notices_list(contract_id: int):
    """Tell of an exit or an absence, and the contract's notices with how each stands."""
    contract = _contract(contract_id)
    day = _chosen_day()
    return _page(contract, _form(contract, day), day)


def _read(form: NoticeForm) -> tuple[date | None, Decimal | None]:
    """The date and the hours as written (a decimal comma too), with a field error for what
    cannot be read as one."""
    day = read_day(form.date.data)
    if day is None:
        form.date.errors = [_("Write the date as dd-mm-yyyy.")]
    hours = None
    text = (form.hours.data or "").strip().replace(",", ".")
    if text and form.kind.data == "absence":
        try:
            hours = Decimal(text)
        except InvalidOperation:
            form.hours.errors = [_("Write the hours as a number, such as 3,5.")]
    return day, hours


@bp.route("/contracts/<int:contract_id>/notices", methods=["POST"])
@allow("provider")
def record_notice(contract_id: int):
    """Record the notice; with any problem nothing is stored and the form shows why."""
    contract = _contract(contract_id)
    form = NoticeForm()
    if not form.validate_on_submit():
        abort(400)
    day, hours = _read(form)
    shown_day = day or clock.today()
    if form.date.errors or form.hours.errors:
        return _page(contract, _form(contract, shown_day, form), shown_day, 422)
    try:
        notice = notices.record(
            db.session,
            actor(),
            viewer(),
            contract.id,
            participant_ref=form.participant_ref.data,
            kind=form.kind.data,
            on=day,
            today=clock.today(),
            reason=form.reason.data if form.kind.data == "exit" else None,
            hours=hours,
            note=form.note.data,
        )
    except notices.NoticeRefused as error:
        transaction.rollback()
        for problem in error.problems:
            field = getattr(form, problem.field or "", None) or form.participant_ref
            field.errors = [*field.errors, say(problem)]
        return _page(contract, _form(contract, shown_day, form), shown_day, error.status)
    except DomainError as error:
        transaction.rollback()
        flash(_("The notice was not recorded: %(reason)s", reason=say(error)), "error")
        return _page(contract, _form(contract, shown_day, form), shown_day, error.status)
    if notice.kind == "exit":
        flash(_("The exit notice is recorded. Procurement confirms or rejects it."), "success")
    else:
        flash(_("The absence notice is recorded."), "success")
    return redirect(url_for("provider.notices_list", contract_id=contract.id))
