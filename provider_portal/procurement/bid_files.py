"""A bid's files on the pages: the bidder adds, replaces and removes them on its bid page until
the deadline; the bidder and (after the deadline) procurement download them, each download
audited. Sealed as the prices: the service answers 404 for a file the viewer may not see.

A refused file (its type, its size, an encrypted PDF ...) is shown on the bid page with 422 and
nothing is stored; the bid page's own view is in tenders.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from contracts.models import Tender
from contracts.rules.problems import N_, InputRejected
from contracts.services import DomainError, NotFound
from contracts.services import tenders as service
from contracts.services.tenders import bid_files
from contracts.services.tenders.bids import own_bid

from .. import clock, transaction
from ..extensions import db
from ..file_responses import file_response
from ..file_uploads import accepts_files
from ..form_fields import PortalForm
from ..i18n import say
from ..security import actor, allow, viewer
from .forms import BidForm
from .tenders import _local
from .views import bp

KIND_LABELS = {
    "method_description": _l("Method description"),
    "cv": _l("CV"),
    "reference": _l("Reference"),
    "other": _l("Other"),
}
ACCEPT = ".pdf,.docx,.xlsx,.odt,.ods"


class AttachmentForm(PortalForm):
    """One file for the bid and what it is."""

    kind = SelectField(
        _l("What the file is"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()]
    )
    file = FileField(
        _l("File (PDF, Word, Excel, ODT or ODS, at most 25 MB)"), render_kw={"accept": ACCEPT}
    )


class ReplaceForm(PortalForm):
    """A new file in an attachment's place."""

    file = FileField(_l("New file"))


class RemoveForm(PortalForm):
    """A button that removes a file: only the CSRF token."""


def bid_file_forms() -> dict:
    """The forms the bid page's file section shows (a template global)."""
    return {
        "add": AttachmentForm(),
        "replace": ReplaceForm(),
        "remove": RemoveForm(),
        "accept": ACCEPT,
    }


bp.add_app_template_global(bid_file_forms, "bid_file_forms")
bp.add_app_template_global(lambda kind: KIND_LABELS.get(kind, kind), "bid_file_kind")


def _bid_page(tender: Tender, lot_id: int, problem: str):
    """The bid page again with the refusal, answered 422 (nothing was stored)."""
    lot = next(lot for lot in tender.lots if lot.id == lot_id)
    mine = own_bid(db.session, viewer(), lot.id)
    return render_template(
        "procurement/tenders/bid.html",
        tender=tender,
        lot=lot,
        form=BidForm(formdata=None, obj=mine),
        bid=mine,
        problem=problem,
        local=_local,
    ), 422


def _uploaded(form: PortalForm) -> tuple[bytes, str] | None:
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.read(), upload.filename


def _change(
    tender_id: int, lot_id: int, form: PortalForm, step, attachment_id: int | None = None
) -> object:
    """Validate the form, run the step, and go back to the bid page (or show the refusal).

    A file of another provider's bid (or none) is not found before the form is even read."""
    try:
        tender = service.get_tender(db.session, viewer(), tender_id)
        if attachment_id is not None:
            bid_files.get_attachment(
                db.session, viewer(), tender_id, attachment_id, clock.now(), lot_id
            )
    except DomainError:
        abort(404)
    if all(lot.id != lot_id for lot in tender.lots):
        abort(404)
    if not form.validate_on_submit():
        return _bid_page(tender, lot_id, _("Choose the file and what it is."))
    try:
        step()
    except (DomainError, InputRejected) as error:
        transaction.rollback()
        if getattr(error, "status", 422) == 404:
            abort(404)
        return _bid_page(tender, lot_id, say(error))
    flash(_("Saved."), "success")
    return redirect(url_for("procurement.bid", tender_id=tender_id, lot_id=lot_id) + "#files")


@bp.route("/tenders/<int:tender_id>/lots/<int:lot_id>/bid/attachments", methods=["POST"])
@accepts_files
@allow("provider")
def add_bid_file(tender_id: int, lot_id: int):
    """Attach a file to the provider's own bid on the lot."""
    form = AttachmentForm()

    def step():
        upload = _uploaded(form)
        if upload is None:
            raise DomainError(N_("Choose the file and what it is."), "file")
        bid_files.add_attachment(
            db.session, actor(), viewer(), tender_id, lot_id, form.kind.data, *upload, clock.now()
        )

    return _change(tender_id, lot_id, form, step)


@bp.route(
    "/tenders/<int:tender_id>/lots/<int:lot_id>/bid/attachments/<int:attachment_id>/replace",
    methods=["POST"],
)
@accepts_files
@allow("provider")
def replace_bid_file(tender_id: int, lot_id: int, attachment_id: int):
    """Put a new file in the place of one of the bid's files."""
    form = ReplaceForm()

    def step():
        upload = _uploaded(form)
        if upload is None:
            raise DomainError(N_("Choose the file and what it is."), "file")
        bid_files.replace_attachment(
            db.session, actor(), viewer(), tender_id, lot_id, attachment_id, *upload, clock.now()
        )

    return _change(tender_id, lot_id, form, step, attachment_id)


@bp.route(
    "/tenders/<int:tender_id>/lots/<int:lot_id>/bid/attachments/<int:attachment_id>/remove",
    methods=["POST"],
)
@allow("provider")
def remove_bid_file(tender_id: int, lot_id: int, attachment_id: int):
    """Remove one of the bid's files."""
    form = RemoveForm()
    return _change(
        tender_id,
        lot_id,
        form,
        lambda: bid_files.remove_attachment(
            db.session, actor(), viewer(), tender_id, lot_id, attachment_id, clock.now()
        ),
        attachment_id,
    )


@bp.route("/tenders/<int:tender_id>/bid-files/<int:attachment_id>")
@allow("provider", "procurement")
def bid_file(tender_id: int, attachment_id: int):
    """Download a bid's file: the bidder's own any time, procurement's after the deadline."""
    try:
        stored = bid_files.download(
            db.session, actor(), viewer(), tender_id, attachment_id, clock.now()
        )
    except NotFound:
        abort(404)
    return file_response(stored)
