"""A tender's material on its page: documents in versions, the deadline moved with a reason,
the question deadline, questions and answers. Registered on the procurement blueprint; the
tender page (tenders.py) shows what `material_context` gives it.

Procurement uploads, moves the deadline and answers; a provider reads, downloads and asks.
A provider sees its own questions and the published answers, never another's question.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, FileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from contracts.models.tender_material import TENDER_DOCUMENT_TYPES
from contracts.rules import tendering as rules
from contracts.rules.file_checks import FileRefused
from contracts.services import DomainError
from contracts.services.tenders import material, questions

from .. import clock, transaction
from ..extensions import db
from ..file_responses import file_response
from ..file_uploads import accepts_files
from ..form_fields import PortalForm
from ..i18n import say
from ..security import actor, allow, viewer
from .views import bp

DOCUMENT_TYPE_LABELS = {
    "tenderNotice": _l("Tender notice"),
    "biddingDocuments": _l("Tender conditions"),
    "technicalSpecifications": _l("Requirements specification"),
    "evaluationCriteria": _l("Evaluation criteria"),
    "eligibilityCriteria": _l("Suitability requirements"),
    "contractDraft": _l("Draft contract"),
    "contractSchedule": _l("Contract appendix"),
    "billOfQuantity": _l("Price schedule"),
    "clarifications": _l("Clarifications"),
}


class UploadForm(PortalForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the document a title.")), Length(max=200)]
    )
    document_type = SelectField(
        _l("Kind of document"),
        choices=[SelectChoice(code, DOCUMENT_TYPE_LABELS[code]) for code in TENDER_DOCUMENT_TYPES],
    )
    change_note = TextAreaField(
        _l("What changed (required once the tender is published)"),
        validators=[Optional(), Length(max=2000)],
    )
    file = FileField(_l("File (PDF, Word, Excel, ODT or ODS, at most 25 MB)"))


class MoveDeadlineForm(PortalForm):
    deadline = DateTimeLocalField(
        _l("Deadline for bids (Copenhagen time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("Give the deadline."))],
    )
    reason = TextAreaField(
        _l("Reason for moving the deadline"), validators=[Optional(), Length(max=2000)]
    )


class QuestionDeadlineForm(PortalForm):
    question_deadline = DateTimeLocalField(
        _l("Deadline for questions (Copenhagen time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )


class AskForm(PortalForm):
    question = TextAreaField(
        _l("Your question"),
        validators=[DataRequired(_l("Write the question.")), Length(max=4000)],
    )


class AnswerForm(PortalForm):
    public_question = TextAreaField(
        _l("The question as published (without names)"), validators=[Length(max=4000)]
    )
    answer = TextAreaField(
        _l("Answer"), validators=[DataRequired(_l("Write the answer.")), Length(max=4000)]
    )


def _wall(moment: datetime | None) -> datetime | None:
    """A moment as the form's naive Copenhagen wall time."""
    return rules.copenhagen_time(moment).replace(tzinfo=None) if moment else None


def material_context(tender, v, now: datetime) -> dict:
    """What the tender page shows of the material, for the viewer."""
    staff = v.may("procurement")
    limit = questions.question_deadline(tender)
    return {
        "documents": material.documents(db.session, tender),
        "deadline_moves": material.deadline_moves(db.session, tender),
        "question_deadline": limit,
        "may_ask": v.is_provider and questions.may_ask(tender, now),
        "own_questions": questions.questions_for(db.session, v, tender),
        "answers": questions.published_answers(db.session, tender),
        "document_type_labels": DOCUMENT_TYPE_LABELS,
        "upload_form": UploadForm() if staff else None,
        "move_form": MoveDeadlineForm(deadline=_wall(tender.deadline_at)) if staff else None,
        "question_deadline_form": QuestionDeadlineForm(question_deadline=_wall(limit))
        if staff
        else None,
        "ask_form": AskForm() if v.is_provider else None,
        "answer_form": AnswerForm if staff else None,
    }


def _back(tender_id: int, anchor: str):
    return redirect(url_for("procurement.tender", tender_id=tender_id, _anchor=anchor))


def _act(tender_id: int, anchor: str, step, done: str):
    """Run a service step; a refusal is flashed (and rolled back), success says `done`."""
    try:
        step()
    except (DomainError, FileRefused) as error:
        transaction.rollback()
        flash(say(error.problems[0] if isinstance(error, FileRefused) else error), "error")
    else:
        flash(done, "success")
    return _back(tender_id, anchor)


@bp.route("/tenders/<int:tender_id>/documents", methods=["POST"])
@allow("procurement")
@accepts_files
def tender_upload(tender_id: int):
    """Upload a document, or a new version of the document with the same title."""
    form = UploadForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash(_("Give the document a title and choose a file."), "error")
        return _back(tender_id, "material")
    data = upload.read()
    return _act(
        tender_id,
        "material",
        lambda: material.upload(
            db.session,
            actor(),
            viewer(),
            tender_id,
            title=form.title.data,
            document_type=form.document_type.data,
            data=data,
            filename=upload.filename,
            change_note=form.change_note.data,
            now=clock.now(),
        ),
        _("The document is uploaded."),
    )


def _download(tender_id: int, document_id: int, number: int | None):
    try:
        version = material.version_to_read(
            db.session, actor(), viewer(), tender_id, document_id, number, clock.now()
        )
    except DomainError:
        abort(404)
    return file_response(version.file)


@bp.route("/tenders/<int:tender_id>/documents/<int:document_id>/file")
@allow("procurement", "provider")
def tender_document(tender_id: int, document_id: int):
    """The current version of a document, as a download."""
    return _download(tender_id, document_id, None)


@bp.route("/tenders/<int:tender_id>/documents/<int:document_id>/versions/<int:number>/file")
@allow("procurement", "provider")
def tender_document_version(tender_id: int, document_id: int, number: int):
    """An earlier (or the current) version of a document, as a download."""
    return _download(tender_id, document_id, number)


@bp.route("/tenders/<int:tender_id>/deadline", methods=["POST"])
@allow("procurement")
def tender_deadline(tender_id: int):
    """Set a draft's deadline, or move a published tender's with a reason (Copenhagen time)."""
    form = MoveDeadlineForm()
    if not form.validate_on_submit():
        flash(_("Give the deadline."), "error")
        return _back(tender_id, "deadlines")
    deadline = rules.copenhagen_time(form.deadline.data)
    return _act(
        tender_id,
        "deadlines",
        lambda: material.move_deadline(
            db.session, actor(), viewer(), tender_id, deadline, form.reason.data, clock.now()
        ),
        _("Saved."),
    )


@bp.route("/tenders/<int:tender_id>/question-deadline", methods=["POST"])
@allow("procurement")
def tender_question_deadline(tender_id: int):
    """Set the deadline for questions; left empty it is six days before the bid deadline."""
    form = QuestionDeadlineForm()
    if not form.validate_on_submit():
        flash(_("Give the deadline as a date and time."), "error")
        return _back(tender_id, "questions")
    when = form.question_deadline.data
    return _act(
        tender_id,
        "questions",
        lambda: questions.set_question_deadline(
            db.session,
            actor(),
            viewer(),
            tender_id,
            rules.copenhagen_time(when) if when else None,
            clock.now(),
        ),
        _("Saved."),
    )


@bp.route("/tenders/<int:tender_id>/questions", methods=["POST"])
@allow("provider")
def tender_ask(tender_id: int):
    """A provider's question; only procurement and the provider itself see who asked."""
    form = AskForm()
    if not form.validate_on_submit():
        flash(_("Write the question."), "error")
        return _back(tender_id, "questions")
    return _act(
        tender_id,
        "questions",
        lambda: questions.ask(
            db.session, actor(), viewer(), tender_id, form.question.data, clock.now()
        ),
        _("Your question is sent. The answer is published to every provider without your name."),
    )


@bp.route("/tenders/<int:tender_id>/questions/<int:question_id>/answer", methods=["POST"])
@allow("procurement")
def tender_answer(tender_id: int, question_id: int):
    """Save an answer, or save and publish it ("publish" in the form)."""
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Write the answer."), "error")
        return _back(tender_id, f"question-{question_id}")
    publish = "publish" in request.form
    return _act(
        tender_id,
        f"question-{question_id}",
        lambda: questions.answer(
            db.session,
            actor(),
            viewer(),
            tender_id,
            question_id,
            public_question=form.public_question.data,
            answer_text=form.answer.data,
            publish=publish,
            now=clock.now(),
        ),
        _("The answer is published.") if publish else _("The answer is saved, not published."),
    )
