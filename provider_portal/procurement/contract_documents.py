"""A contract's documents on the staff's contract page: procurement attaches the signed
contract, its annexes and each amendment's document, and removes one attached by mistake;
procurement and finance download them. The contract's provider reads its own on its pages
(provider/contract_documents.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from contracts.rules.problems import InputRejected
from contracts.services import DomainError, NotFound, contract_documents, contract_register

from .. import clock, transaction
from ..converters import id_of
from ..extensions import db
from ..file_responses import file_response
from ..file_uploads import accepts_files
from ..form_fields import PortalForm
from ..i18n import say
from ..security import actor, allow, viewer
from .views import bp

# The OCDS documentType codes as people read them (tests/bid_files/test_document_labels.py
# holds them to CONTRACT_DOCUMENT_TYPES).
TYPE_LABELS = {
    "contractSigned": _l("Signed contract"),
    "contractAnnexe": _l("Annex to the contract"),
    "contractSchedule": _l("Contract schedule"),
    "contractSummary": _l("Contract summary"),
    "contractGuarantees": _l("Guarantee"),
    "subContract": _l("Subcontract"),
}


class DocumentForm(PortalForm):
    """One document for the contract or one of its amendments."""

    document_type = SelectField(
        _l("Kind of document"), choices=[SelectChoice(k, v) for k, v in TYPE_LABELS.items()]
    )
    title = StringField(
        _l("Title (the file's name when left empty)"), validators=[Optional(), Length(max=200)]
    )
    amendment = SelectField(_l("Belongs to"), choices=[], validate_choice=False)
    file = FileField(
        _l("File (PDF, Word, Excel, ODT or ODS, at most 25 MB)"),
        render_kw={"accept": ".pdf,.docx,.xlsx,.odt,.ods"},
    )


class RemoveForm(PortalForm):
    """A button that removes a document: only the CSRF token."""


def _form(contract) -> DocumentForm:
    form = DocumentForm()
    form.amendment.choices = [SelectChoice("", _("The contract itself"))] + [
        SelectChoice(
            str(a.id),
            _(
                "Amendment of %(day)s: %(reason)s",
                day=a.created_at.date().isoformat(),
                reason=a.reason[:60],
            ),
        )
        for a in contract.amendments
    ]
    return form


def document_section(contract) -> dict:
    """What the documents partial shows for a contract the viewer already sees (a template
    global, so the contract page's view is unchanged)."""
    return {
        "documents": contract_documents.documents_of(db.session, viewer(), contract.id),
        "form": _form(contract),
        "remove": RemoveForm(),
        "label": lambda code: TYPE_LABELS.get(code, code),
    }


bp.add_app_template_global(document_section, "contract_document_section")


def _contract_or_404(contract_id: int):
    try:
        return contract_register.get_contract(db.session, viewer(), contract_id)
    except NotFound:
        abort(404)


@bp.route("/contracts/<int:contract_id>/documents", methods=["POST"])
@accepts_files
@allow("procurement")
def add_contract_document(contract_id: int):
    """Attach a document to the contract or one of its amendments; a refusal stores nothing."""
    contract = _contract_or_404(contract_id)
    form = _form(contract)
    upload = form.file.data
    problem = None
    if not form.validate_on_submit() or upload is None or not getattr(upload, "filename", ""):
        problem = _("Choose the file and the kind of document.")
    else:
        amendment = id_of(form.amendment.data)
        try:
            contract_documents.add_document(
                db.session,
                actor(),
                viewer(),
                contract_id,
                form.document_type.data,
                upload.read(),
                upload.filename,
                clock.now(),
                title=form.title.data,
                amendment_id=amendment,
            )
        except (DomainError, InputRejected) as error:
            transaction.rollback()
            problem = say(error)
    if problem is not None:
        # The documents part of the contract page on its own, with the refusal and the form.
        return render_template(
            "procurement/contract_documents.html", contract=contract, problem=problem
        ), 422
    flash(_("Saved."), "success")
    return redirect(url_for("procurement.contract", contract_id=contract_id) + "#documents")


@bp.route("/contracts/<int:contract_id>/documents/<int:document_id>/remove", methods=["POST"])
@allow("procurement")
def remove_contract_document(contract_id: int, document_id: int):
    """Remove a document attached by mistake."""
    if not RemoveForm().validate_on_submit():
        abort(400)
    try:
        contract_documents.remove_document(
            db.session, actor(), viewer(), contract_id, document_id, clock.now()
        )
    except NotFound:
        abort(404)
    flash(_("Removed."), "success")
    return redirect(url_for("procurement.contract", contract_id=contract_id) + "#documents")


@bp.route("/contracts/<int:contract_id>/documents/<int:document_id>")
@allow("procurement", "finance")
def contract_document(contract_id: int, document_id: int):
    """Download a document of a contract (the provider's own are on its pages)."""
    try:
        document = contract_documents.get_document(db.session, viewer(), contract_id, document_id)
    except NotFound:
        abort(404)
    return file_response(document.file)
