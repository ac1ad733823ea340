"""API calls on a tender's questions and answers, and its deadline for questions (issue 18).

A provider asks questions and sees its own and the published answers, never another
provider's question; procurement answers and publishes the answers without the asker.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from contracts.models.tender_material import QUESTION_STATUSES
from contracts.services.paging import page_of
from contracts.services.tenders import questions

from ..clock import now
from ..extensions import db
from ..security import actor, viewer
from .declare import operation
from .tender_material import TENDER, readable_tender
from .tender_schemas import READERS, Moment, TenderOut
from .types import Model


class QuestionDeadlineIn(Model):
    question_deadline: Moment | None = Field(
        description="null: six days before the deadline for bids"
    )


class QuestionIn(Model):
    question: str = Field(min_length=1, max_length=4000, pattern=r"\S")


class AnswerIn(Model):
    answer: str = Field(min_length=1, max_length=4000, pattern=r"\S")
    question: str | None = Field(
        default=None,
        max_length=4000,
        description="The question as it is to be published, without names (default: as asked)",
    )
    publish: bool = Field(default=False, description="Publish the answer to every provider now")


class QuestionOut(BaseModel):
    """A question as its asker or procurement sees it."""

    id: int
    question: str = Field(description="As asked")
    status: str = Field(json_schema_extra={"enum": list(QUESTION_STATUSES)})
    asked_at: Moment
    provider_id: int | None = Field(description="The asker (procurement only)")
    public_question: str | None = Field(description="As published")
    answer: str | None = Field(
        description="Procurement sees a saved answer, the asker once published"
    )
    published_at: Moment | None


def _question_out(question) -> QuestionOut:
    staff = viewer().may("procurement")
    shown = staff or question.status == "published"
    return QuestionOut(
        id=question.id,
        question=question.question,
        status=question.status,
        asked_at=question.asked_at,
        provider_id=question.provider_id if staff else None,
        public_question=question.public_question if shown else None,
        answer=question.answer if shown else None,
        published_at=question.published_at,
    )


class AnswerOut(BaseModel):
    """A published question and its answer, without the asker."""

    number: int = Field(description="Numbered from 1 in the order published")
    question: str
    answer: str
    published_at: Moment


@operation(
    "POST",
    TENDER + "/question-deadline",
    summary="Set the deadline for questions",
    roles=("procurement",),
    tag="tender material",
    body=QuestionDeadlineIn,
    response=TenderOut,
    response_description="The tender with its question deadline",
    conflicts="The tender's deadline has passed, or it is cancelled or decided.",
)
def set_question_deadline(tender_id: int, body: QuestionDeadlineIn):
    """Before the deadline for bids; null returns it to six days before that deadline."""
    questions.set_question_deadline(
        db.session, actor(), viewer(), tender_id, body.question_deadline, now()
    )
    db.session.expire_all()
    return TenderOut.of(readable_tender(tender_id))


@operation(
    "GET",
    TENDER + "/questions",
    summary="List questions (procurement: all; a provider: its own)",
    roles=("procurement", "provider"),
    tag="tender material",
    response=QuestionOut,
    paged=True,
    response_description="A page of the questions you may see, oldest first",
)
def list_tender_questions(tender_id: int, page: int, per_page: int):
    """A provider sees only the questions its own users asked, and their answers once published."""
    query = questions.questions_query(viewer(), readable_tender(tender_id))
    return page_of(db.session, query, page, per_page).mapped(_question_out)


@operation(
    "POST",
    TENDER + "/questions",
    summary="Ask a question",
    roles=("provider",),
    tag="tender material",
    body=QuestionIn,
    response=QuestionOut,
    status=201,
    response_description="Your question, waiting for an answer",
    conflicts="The tender is not published, or the deadline for questions has passed.",
)
def ask_tender_question(tender_id: int, body: QuestionIn):
    """Only procurement and your own provider's users see that you asked; the answer is
    published to every provider without your name."""
    question = questions.ask(db.session, actor(), viewer(), tender_id, body.question, now())
    return _question_out(question)


@operation(
    "POST",
    TENDER + "/questions/<int:question_id>/answer",
    summary="Answer a question (and publish the answer)",
    roles=("procurement",),
    tag="tender material",
    body=AnswerIn,
    response=QuestionOut,
    response_description="The question with its answer",
    conflicts="The answer is published already, or the tender is decided or cancelled.",
)
def answer_tender_question(tender_id: int, question_id: int, body: AnswerIn):
    """`question` rewords the question as it is published, so it names nobody."""
    question = questions.answer(
        db.session,
        actor(),
        viewer(),
        tender_id,
        question_id,
        public_question=body.question,
        answer_text=body.answer,
        publish=body.publish,
        now=now(),
    )
    return _question_out(question)


@operation(
    "GET",
    TENDER + "/answers",
    summary="List the published questions and answers",
    roles=READERS,
    tag="tender material",
    response=AnswerOut,
    paged=True,
    response_description="A page of the published answers, in the order published",
)
def list_tender_answers(tender_id: int, page: int, per_page: int):
    """Part of the material: shown to every provider, never with the asker."""
    listed = page_of(
        db.session, questions.answers_query(readable_tender(tender_id)), page, per_page
    )
    start = (page - 1) * per_page
    return listed.mapped(
        lambda q: AnswerOut(
            number=start + listed.items.index(q) + 1,
            question=q.public_question,
            answer=q.answer,
            published_at=q.published_at,
        )
    )
