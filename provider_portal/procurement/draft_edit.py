"""Changing a draft tender on its page: its terms and each lot's, milestone prices included.
Registered on the procurement blueprint.

The page acts through the same services as the API's PATCH calls (`update_draft`, then
`update_lot` for each lot), which check and audit each change. Every service is asked even after
one refuses, so that all problems are shown at once; any refusal undoes everything, the form
keeps what was typed, and the answer is 409 (no longer a draft) or 422. Lots are neither added
nor taken away here.
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from contracts.models import Tender
from contracts.services import DomainError
from contracts.services import tenders as service

from .. import clock, transaction
from ..extensions import db
from ..security import actor, allow, viewer
from . import tender_terms as terms_of
from .forms import DraftForm
from .tenders import _tender_or_404
from .views import bp

TEMPLATE = "procurement/tenders/edit.html"


def _same_lots(form: DraftForm, lots: list) -> bool:
    """Whether the posted lots are the draft's, in its order (the page names each by programme)."""
    posted = [entry.form.programme.data for entry in form.lots]
    return posted == [lot.programme.code for lot in lots]


def _save(tender: Tender, lots: list, form: DraftForm, now: datetime) -> tuple[list[str], int]:
    """Ask each service in turn; (problems with no field of their own, status), nothing kept
    unless none refused."""
    who, v = actor(), viewer()
    moved = terms_of.deadline(form)
    # As on a new tender, a deadline moved into the past is refused (publishing would be too).
    passed = moved is not None and moved != tender.deadline_at and moved <= now
    steps = [
        (
            lambda: service.update_draft(
                db.session, who, v, tender.id, terms_of.tender_changes(form), now
            ),
            terms_of.tender_fields(form),
        )
    ]
    for lot, entry in zip(lots, form.lots, strict=True):
        steps.append(
            (
                lambda lot=lot, entry=entry: service.update_lot(
                    db.session, who, v, tender.id, lot.id, terms_of.lot_changes(entry.form), now
                ),
                terms_of.lot_fields(entry.form, "lot"),
            )
        )
    general, status = [], 200
    for step, fields in steps:
        try:
            step()
        except DomainError as error:
            general += terms_of.refused(error, fields)
            status = max(status, error.status)
            if error.status == 409:
                break
    if passed:
        form.deadline.errors = [_("The deadline has passed; set a deadline in the future.")]
        status = max(status, 422)
    if status != 200:
        transaction.rollback()
    return general, status


@bp.route("/tenders/<int:tender_id>/edit", methods=["GET", "POST"])
@allow("procurement")
def edit_tender(tender_id: int):
    """A draft's terms and its lots' on one form, pre-filled with the draft's values."""
    now = clock.now()
    tender = _tender_or_404(tender_id)
    state = service.status_now(tender, now)
    if state != "draft":
        return render_template(TEMPLATE, tender=tender, state=state, form=None), 409
    lots = sorted(tender.lots, key=lambda lot: lot.number)
    if request.method == "POST":
        form = DraftForm()
    else:
        form = DraftForm(data=terms_of.tender_data(tender, lots))
    problems, status = [], 200
    if form.is_submitted():
        status = 422
        if not _same_lots(form, lots):
            problems = [
                _("The tender's lots have changed since the page was opened; open it again.")
            ]
            status = 409
        elif form.validate():
            problems, status = _save(tender, lots, form, now)
            if status == 200:
                flash(_("The draft %(reference)s is saved.", reference=tender.reference), "success")
                return redirect(url_for("procurement.tender", tender_id=tender.id))
    return render_template(
        TEMPLATE,
        tender=tender,
        state=state,
        form=form,
        lots=lots,
        problems=problems,
        refused=status != 200,
    ), status
