"""Procurement pages for tenders (list, detail with every step, re-tender, bids). Registered on
the procurement blueprint; a contract's extension and referral are in contract_actions.py.

Each page loads through the services (which scope to the viewer), acts through them, and
commits once; a refusal is shown next to its field or as a notice, and nothing is changed.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from contracts.rules import tendering as rules
from contracts.services import DomainError, contract_lists
from contracts.services import tenders as service

from .. import clock, transaction
from ..converters import id_of
from ..danish_numbers import NotANumber, read_number
from ..downloads import attachment
from ..extensions import db
from ..form_fields import PortalForm
from ..i18n import say
from ..ocds_export import ocds_package
from ..security import actor, allow, viewer
from .forms import BidForm, answer_status
from .tender_material import material_context
from .views import bp


class ActionForm(PortalForm):
    """A button that changes something: only the CSRF token."""


class CancelForm(PortalForm):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(_l("Give the reason.")), Length(max=2000)]
    )


class RetenderForm(PortalForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    deadline = DateTimeLocalField(
        _l("Deadline for bids (Copenhagen time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )


def _local(moment: datetime | None) -> datetime | None:
    return rules.copenhagen_time(moment) if moment else None


def _tender_or_404(tender_id: int):
    try:
        return service.get_tender(db.session, viewer(), tender_id)
    except DomainError:
        abort(404)


@bp.route("/tenders")
@allow("procurement", "provider")
def tenders():
    """Every tender the viewer may see, with its status now."""
    now = clock.now()
    found = service.list_tenders(db.session, viewer(), now)
    return render_template(
        "procurement/tenders/list.html",
        tenders=found,
        now=now,
        status_now=service.status_now,
        local=_local,
    )


@bp.route("/tenders/ocds.json")
@allow("procurement")
def ocds_download():
    """The OCDS release package as a file, as the API call gives it to a program."""
    data = json.dumps(ocds_package(), ensure_ascii=False, indent=2).encode("utf-8")
    return attachment(data, "application/json", f"ocds-{clock.today().isoformat()}.json")


@bp.route("/tenders/<int:tender_id>")
@allow("procurement", "provider")
def tender(tender_id: int):
    """A tender: lots, replaced contracts, bids (once open), the ranked evaluation and its history."""
    v, now = viewer(), clock.now()
    found = _tender_or_404(tender_id)
    status = service.status_now(found, now)
    staff = v.may("procurement")
    evaluation = []
    if staff and not rules.bids_sealed(found.deadline_at, now):
        evaluation = service.evaluation(db.session, v, found, now)
    return render_template(
        "procurement/tenders/detail.html",
        tender=found,
        status=status,
        now=now,
        local=_local,
        staff=staff,
        predecessors=service.predecessors(db.session, found) if staff else [],
        warnings=[say(w) for w in service.succession_warnings(found)] if staff else [],
        bids=service.visible_bids(db.session, v, found, now),
        evaluation=evaluation,
        sealed=rules.bids_sealed(found.deadline_at, now),
        history=service.history(db.session, v, found, now),
        action_form=ActionForm(),
        cancel_form=CancelForm(),
        **material_context(found, v, now),
    )


def _step(tender_id: int, step) -> object:
    try:
        done = step()
    except DomainError as error:
        transaction.rollback()
        flash(say(error), "error")
    else:
        flash(_("Saved."), "success")
        # A conclusion tells what is worth a second look: a predecessor left without a
        # successor, a gap or an overlap at the changeover.
        for warning in getattr(done, "warnings", []):
            flash(say(warning), "warning")
    return redirect(url_for("procurement.tender", tender_id=tender_id))


@allow("procurement")
def tender_step(tender_id: int, step: str):
    """Publish, award or conclude: each guarded by the service, refused with its reason."""
    if not ActionForm().validate_on_submit():
        abort(400)
    action = getattr(service, step)
    return _step(tender_id, lambda: action(db.session, actor(), viewer(), tender_id, clock.now()))


# One plain URL per step (no `any()` converter), so every URL can be listed and probed as it is.
for _name in ("publish", "award", "conclude"):
    bp.add_url_rule(
        f"/tenders/<int:tender_id>/{_name}",
        endpoint=f"tender_{_name}",
        view_func=tender_step,
        methods=["POST"],
        defaults={"step": _name},
    )


@bp.route("/tenders/<int:tender_id>/cancel", methods=["POST"])
@allow("procurement")
def tender_cancel(tender_id: int):
    """Cancel with a reason."""
    form = CancelForm()
    if not form.validate_on_submit():
        flash(_("A cancellation needs a reason."), "error")
        return redirect(url_for("procurement.tender", tender_id=tender_id))
    return _step(
        tender_id,
        lambda: service.cancel(
            db.session, actor(), viewer(), tender_id, form.reason.data, clock.now()
        ),
    )


@bp.route("/tenders/<int:tender_id>/evaluation", methods=["POST"])
@allow("procurement")
def tender_evaluate(tender_id: int):
    """The evaluators' quality points and reasons, two fields per bid (`points-<bid id>`,
    `reason-<bid id>`)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    scores = {}
    for name, value in request.form.items():
        if name.startswith("points-") and name[7:].isdigit() and value.strip():
            try:
                # As Danes write it (7,5), never NaN, Infinity or 1e1.
                points = read_number(value)
            except NotANumber:
                flash(_("Quality points are numbers from 0 to 10."), "error")
                return redirect(url_for("procurement.tender", tender_id=tender_id))
            reason = request.form.get(f"reason-{name[7:]}", "")
            scores[int(name[7:])] = service.QualityScore(points, reason)
    return _step(
        tender_id,
        lambda: service.evaluate(db.session, actor(), viewer(), tender_id, scores, clock.now()),
    )


@bp.route("/tenders/retender", methods=["GET", "POST"])
@allow("procurement")
def retender():
    """Choose the contracts to re-tender (expiring ones first and ticked); a draft tender follows."""
    today, now = clock.today(), clock.now()
    candidates = [
        c
        for c in contract_lists.contracts_by_start(db.session, viewer())
        if c.status_on(today) in ("draft", "active") and c.successor is None
    ]
    candidates.sort(key=lambda c: (not c.is_expiring(today), c.end_on, c.reference))
    form = RetenderForm()
    chosen = (
        [i for i in map(id_of, request.form.getlist("contract_ids")) if i]
        if request.method == "POST"
        else [i for i in map(id_of, request.args.getlist("contract_id")) if i]
        or [c.id for c in candidates if c.is_expiring(today)]
    )
    problem = None
    if form.validate_on_submit():
        deadline = rules.copenhagen_time(form.deadline.data) if form.deadline.data else None
        try:
            found, warnings = service.retender(
                db.session, actor(), viewer(), chosen, now, form.title.data or None, deadline
            )
        except DomainError as error:
            transaction.rollback()
            problem = say(error)
        else:
            flash(
                _(
                    "The re-tender %(reference)s is a draft; check its lots, set the deadline and publish it.",
                    reference=found.reference,
                ),
                "success",
            )
            for warning in warnings:
                flash(say(warning), "warning")
            return redirect(url_for("procurement.tender", tender_id=found.id))
    return render_template(
        "procurement/tenders/retender.html",
        form=form,
        candidates=candidates,
        chosen=set(chosen),
        problem=problem,
        today=today,
    ), answer_status(form, problem)


def _milestones_given(form: BidForm, lot) -> bool:
    """A lot that asks for milestone prices needs both later amounts before the bid is shown back."""
    if not lot.milestone_prices:
        return True
    for amount in (form.week13, form.week26):
        if amount.data is None:
            amount.errors = [*amount.errors, _("Give the amount.")]
    return form.week13.data is not None and form.week26.data is not None


@bp.route("/tenders/<int:tender_id>/lots/<int:lot_id>/bid", methods=["GET", "POST"])
@allow("provider")
def bid(tender_id: int, lot_id: int):
    """A provider's bid on a lot: its full price terms, sealed until the deadline."""
    v, now = viewer(), clock.now()
    found = _tender_or_404(tender_id)
    lot = next((lot for lot in found.lots if lot.id == lot_id), None)
    if lot is None:
        abort(404)
    mine = next(
        (b for b in service.visible_bids(db.session, v, found, now) if b.lot_id == lot_id), None
    )
    form = BidForm(obj=mine)
    if mine is not None and request.method == "GET":
        form.week13.data, form.week26.data = mine.week13_amount, mine.week26_amount
    problem = None
    # A valid bid is first shown back as it will be stored; "change" returns to the form.
    step = "change" if "change" in request.form else form.confirmed.data
    valid = form.validate_on_submit() and _milestones_given(form, lot)
    if valid and step not in ("yes", "change"):
        return render_template(
            "procurement/tenders/bid_confirm.html", tender=found, lot=lot, form=form, bid=mine
        )
    if valid and step == "yes":
        later = (("week13", form.week13.data), ("week26", form.week26.data))
        prices = service.BidPrices(
            form.monthly_fee.data,
            form.hourly_rate.data,
            form.outcome_bonus.data,
            # Left empty, a milestone is left out: the service says which one the lot needs.
            milestones=tuple((code, amount) for code, amount in later if amount is not None)
            if lot.milestone_prices
            else (),
        )
        try:
            service.submit_bid(db.session, actor(), v, tender_id, lot_id, prices, now)
        except DomainError as error:
            transaction.rollback()
            problem = say(error)
        else:
            flash(_("Your bid is received. It is sealed until the deadline."), "success")
            return redirect(url_for("procurement.tender", tender_id=tender_id))
    return render_template(
        "procurement/tenders/bid.html",
        tender=found,
        lot=lot,
        form=form,
        bid=mine,
        problem=problem,
        local=_local,
    ), answer_status(form, problem)
