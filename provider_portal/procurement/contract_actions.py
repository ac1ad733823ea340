"""Procurement pages that act on a contract: its extension by an amendment, and the referral of a
citizen to it. Registered on the procurement blueprint.

Each page loads through the services (which scope to the viewer), acts through them, and
commits once; a refusal is shown next to its field or as a notice, and nothing is changed.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from contracts.services import DomainError
from contracts.services import contract_register as register
from contracts.services.contract_changes import extend
from contracts.services.referrals import refer

from .. import clock, transaction
from ..extensions import db
from ..form_fields import PortalForm
from ..i18n import say
from ..security import actor, allow, viewer
from ..sessions import fresh_login_required
from .forms import answer_status
from .views import bp


class ExtensionForm(PortalForm):
    end_date = DateField(
        _l("New end date"), validators=[DataRequired(_l("Give the new end date."))]
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("Give the reason.")), Length(max=2000)]
    )


class ReferralForm(PortalForm):
    cpr = StringField(
        _l("CPR number"),
        validators=[DataRequired(_l("Give the CPR number.")), Length(max=20)],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    start_date = DateField(_l("Start date"), validators=[DataRequired(_l("Give the start date."))])


def _contract_or_404(contract_id: int):
    try:
        return register.get_contract(db.session, viewer(), contract_id)
    except DomainError:
        abort(404)


@bp.route("/contracts/<int:contract_id>/extend", methods=["GET", "POST"])
@allow("procurement")
def extend_contract(contract_id: int):
    """Extend a contract by an amendment, up to its extension option."""
    contract = _contract_or_404(contract_id)
    today = clock.today()
    form = ExtensionForm(
        end_date=contract.max_end_on if contract.max_end_on > contract.end_on else None
    )
    problem = None
    if form.validate_on_submit():
        try:
            extend(
                db.session,
                actor(),
                contract,
                form.end_date.data,
                form.reason.data,
                today,
                clock.now(),
            )
        except DomainError as error:
            transaction.rollback()
            problem = say(error)
        else:
            flash(
                _("The contract now ends on %(day)s.", day=form.end_date.data.strftime("%d-%m-%Y")),
                "success",
            )
            return redirect(url_for("procurement.contract", contract_id=contract_id))
    return render_template(
        "procurement/contract_actions/extend.html",
        contract=contract,
        form=form,
        problem=problem,
        today=today,
    ), answer_status(form, problem)


@bp.route("/contracts/<int:contract_id>/refer", methods=["GET", "POST"])
@allow("procurement")
@fresh_login_required
def refer_citizen(contract_id: int):
    """Refer a citizen by CPR number; the number is never stored, shown again or logged."""
    contract = _contract_or_404(contract_id)
    form = ReferralForm()
    problem = None
    if form.validate_on_submit():
        key = current_app.config["PSEUDONYM_KEY"].encode("utf-8")
        try:
            referral = refer(
                db.session, actor(), form.cpr.data, contract_id, form.start_date.data, key
            )
        except DomainError as error:
            transaction.rollback()
            problem = say(error)
        else:
            flash(_("Referred as %(ref)s.", ref=referral.participant_ref), "success")
            return redirect(url_for("procurement.contract", contract_id=contract_id))
    # The CPR number is never sent back to the browser, not even to correct a typo.
    form.cpr.data = ""
    return render_template(
        "procurement/contract_actions/refer.html", contract=contract, form=form, problem=problem
    ), answer_status(form, problem)
