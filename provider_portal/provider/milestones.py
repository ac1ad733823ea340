"""The provider's milestones of a contract (DESIGN.md §15): claim that a participant's job or
education lasted 13 or 26 weeks, with the evidence; record a relapse; read how each claim stands.

The services decide (`milestone_claims.make`, `relapses.record_relapse`), as for the API; their
problems are shown beside the fields they concern and nothing is stored.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contracts.services import NotFound, contract_register, milestone_claims

from ..extensions import db
from ..milestone_pages import (
    ClaimForm,
    RelapseForm,
    make_claim,
    offer_milestones,
    offer_participants,
    record_posted_relapse,
)
from ..reads import participants_read
from ..security import allow, viewer
from .views import bp

PER_PAGE = 50


def _contract(contract_id: int):
    try:
        return contract_register.get_contract(db.session, viewer(), contract_id)
    except NotFound:
        abort(404)


def _page(contract, claim_form: ClaimForm, relapse_form: RelapseForm, status: int = 200):
    refs = milestone_claims.positive_refs(db.session, viewer(), contract.id)
    offer_participants(claim_form, refs)
    paid = sorted(m.code for m in contract.milestones)
    offer_milestones(claim_form, paid)
    found = milestone_claims.claims_page(
        db.session,
        viewer(),
        contract_id=contract.id,
        page=max(1, request.args.get("page", 1, type=int)),
        per_page=PER_PAGE,
    )
    participants_read("provider.milestones", "contract", contract.id, count=len(found.items))
    return render_template(
        "provider/milestones.html",
        contract=contract,
        claim_form=claim_form,
        relapse_form=relapse_form,
        refs=refs,
        paid=paid,
        found=found,
        lapsed=milestone_claims.lapsed_ids(db.session, [c.id for c in found.items]),
    ), status


@bp.route("/contracts/<int:contract_id>/milestones")
@allow("provider")
def milestones(contract_id: int):
    """Claim a milestone or record a relapse, and the contract's claims with how each stands."""
    contract = _contract(contract_id)
    return _page(contract, ClaimForm(formdata=None), RelapseForm(formdata=None))


@bp.route("/contracts/<int:contract_id>/milestones/claims", methods=["POST"])
@allow("provider")
def claim_milestone(contract_id: int):
    contract = _contract(contract_id)
    form = ClaimForm()
    if form.validate_on_submit() and make_claim(form, contract.id):
        flash(_("The claim is recorded."), "success")
        return redirect(url_for("provider.milestones", contract_id=contract.id))
    return _page(contract, form, RelapseForm(formdata=None), 422)


@bp.route("/contracts/<int:contract_id>/milestones/relapses", methods=["POST"])
@allow("provider")
def record_relapse(contract_id: int):
    contract = _contract(contract_id)
    form = RelapseForm()
    if form.validate_on_submit() and record_posted_relapse(form, contract.id):
        flash(_("The relapse is recorded."), "success")
        return redirect(url_for("provider.milestones", contract_id=contract.id))
    return _page(contract, ClaimForm(formdata=None), form, 422)
