"""Procurement's milestone claims (DESIGN.md §15): the claims to check, oldest first, each with
its evidence, verified or rejected with a reason the provider reads; and a relapse recorded for
any contract. Reading the list, which names participants, is an audit event."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from contracts.rules.milestones import CLAIM_STATUSES
from contracts.services import DomainError, NotFound, contract_lists, milestone_claims

from .. import clock, transaction
from ..extensions import db
from ..i18n import say
from ..milestone_pages import RelapseForm, record_posted_relapse
from ..reads import participants_read
from ..security import actor, allow, viewer
from .notices import DecideForm
from .views import bp

PER_PAGE = 50


class ContractRelapseForm(RelapseForm):
    """A relapse on any contract: procurement chooses the contract."""

    contract_id = SelectField(_l("Contract"), coerce=int, validate_choice=False)


def _status() -> str:
    chosen = request.args.get("status", "claimed")
    return chosen if chosen in CLAIM_STATUSES else "claimed"


def _queue(relapse_form=None, status: int = 200, failed: int | None = None, error: str = ""):
    shown = _status()
    found = milestone_claims.claims_page(
        db.session,
        viewer(),
        status=shown,
        page=max(1, request.args.get("page", 1, type=int)),
        per_page=PER_PAGE,
    )
    participants_read("procurement.claims", "milestone_claim", None, count=len(found.items))
    form = relapse_form or ContractRelapseForm(formdata=None)
    form.contract_id.choices = [
        SelectChoice(c.id, f"{c.reference} · {c.provider.name}")
        for c in contract_lists.contracts_by_start(db.session, viewer())
    ]
    return render_template(
        "procurement/claims.html",
        found=found,
        shown=shown,
        lapsed=milestone_claims.lapsed_ids(db.session, [c.id for c in found.items]),
        relapse_form=form,
        failed=failed,
        reason_error=error,
        reason_typed=request.form.get("reason", "") if failed else "",
    ), status


@bp.route("/claims")
@allow("procurement")
def claims_queue():
    """Milestone claims by status (those waiting first), with the check and the relapse form."""
    return _queue()


def _claim(claim_id: int):
    if not DecideForm().validate_on_submit():
        abort(400)
    try:
        return milestone_claims.visible_claim(db.session, viewer(), claim_id)
    except NotFound:
        abort(404)


@bp.route("/claims/<int:claim_id>/verify", methods=["POST"])
@allow("procurement")
def verify_claim(claim_id: int):
    claim = _claim(claim_id)
    try:
        milestone_claims.verify(db.session, actor(), claim.id, clock.today(), clock.now())
    except DomainError as error:
        transaction.rollback()
        flash(_("The claim was not verified: %(reason)s", reason=say(error)), "error")
        return _queue(status=error.status)
    flash(_("The claim of %(ref)s is verified.", ref=claim.participant.ref), "success")
    return redirect(url_for("procurement.claims_queue"))


@bp.route("/claims/<int:claim_id>/reject", methods=["POST"])
@allow("procurement")
def reject_claim(claim_id: int):
    claim = _claim(claim_id)
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return _queue(
            None, 422, claim.id, _("Write why the claim is rejected, so the provider knows.")
        )
    try:
        milestone_claims.reject(db.session, actor(), claim.id, reason, clock.today(), clock.now())
    except DomainError as error:
        transaction.rollback()
        flash(_("The claim was not rejected: %(reason)s", reason=say(error)), "error")
        return _queue(status=error.status)
    flash(_("The claim of %(ref)s is rejected.", ref=claim.participant.ref), "success")
    return redirect(url_for("procurement.claims_queue"))


@bp.route("/claims/relapses", methods=["POST"])
@allow("procurement")
def record_relapse():
    form = ContractRelapseForm()
    if form.validate_on_submit() and record_posted_relapse(form, form.contract_id.data):
        flash(_("The relapse is recorded."), "success")
        return redirect(url_for("procurement.claims_queue"))
    return _queue(form, 422)
