"""Questions and answers (spørgsmål og svar) on a published tender.

A provider asks before the question deadline; the question is stored with the provider and
seen by procurement and that provider alone. Procurement answers, may reword the question so
it names nobody, and publishes: a published answer is shown to every provider without the
asker and is part of the material (the generated "Spørgsmål og svar" list).

Decided where the design was silent: the question deadline is procurement's to set; when it
is not set it is six days before the bid deadline (the Danish rule that answers to questions
asked in time are given at the latest six days before the deadline, udbudsloven § 134), so it
follows the deadline when that is moved. It must lie before the bid deadline. An answer may be
saved unpublished and changed until it is published; a published answer stands as published.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import Tender, TenderQuestion
from ...rules import tendering as rules
from ...rules.problems import N_
from .. import DomainError, NotFound
from ..audit import Actor, record
from ..scope import Viewer
from .guards import _require_procurement, plain_text, require_state
from .reading import get_tender, status_now

QUESTION_DAYS_BEFORE_DEADLINE = 6
MAX_TEXT = 4000


def question_deadline(tender: Tender) -> datetime | None:
    """The last moment a question may be asked: as set, else six days before the deadline."""
    if tender.question_deadline_at is not None:
        return tender.question_deadline_at
    if tender.deadline_at is None:
        return None
    return tender.deadline_at - timedelta(days=QUESTION_DAYS_BEFORE_DEADLINE)


def may_ask(tender: Tender, now: datetime) -> bool:
    limit = question_deadline(tender)
    return status_now(tender, now) == "published" and limit is not None and now < limit


def set_question_deadline(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    deadline: datetime | None,
    now: datetime,
) -> Tender:
    """Set the question deadline (None: back to six days before the bid deadline)."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    require_state(
        status_now(tender, now),
        ("draft", "published"),
        N_("the tender is %(state)s; its question deadline can no longer be set"),
    )
    if deadline is not None and tender.deadline_at is not None and deadline >= tender.deadline_at:
        raise DomainError(
            N_("the deadline for questions must be before the deadline for bids, %(deadline)s"),
            "question_deadline",
            deadline=rules.copenhagen_time(tender.deadline_at),
        )
    tender.question_deadline_at = deadline
    session.flush()
    record(
        session,
        actor,
        "tender.question_deadline_set",
        "tender",
        tender.id,
        occurred_at=now,
        question_deadline=rules.copenhagen_time(deadline).isoformat() if deadline else None,
    )
    return tender


def _text(value: str | None, field: str, template: str) -> str:
    text = plain_text(value)
    if not text:
        raise DomainError(template, field)
    if len(text) > MAX_TEXT:
        raise DomainError(N_("at most %(count)s characters"), field, count=MAX_TEXT)
    return text


def ask(
    session: Session, actor: Actor, viewer: Viewer, tender_id: int, text: str, now: datetime
) -> TenderQuestion:
    """A provider's question, while the tender is published and before the question deadline."""
    if not viewer.is_provider:
        raise DomainError(N_("only a provider may ask a question"), status=403)
    tender = get_tender(session, viewer, tender_id)
    limit = question_deadline(tender)
    require_state(
        status_now(tender, now),
        ("published",),
        N_("the tender is %(state)s; questions can no longer be asked"),
    )
    if limit is None or now >= limit:
        raise DomainError(
            N_("the deadline for questions was %(deadline)s; questions can no longer be asked"),
            "question_deadline",
            status=409,
            deadline=rules.copenhagen_time(limit or tender.deadline_at),
        )
    question = TenderQuestion(
        tender_id=tender.id,
        provider_id=viewer.provider_id,
        asked_by_id=actor.user_id,
        asked_at=now,
        question=_text(text, "question", N_("write the question")),
    )
    session.add(question)
    session.flush()
    record(
        session,
        actor,
        "tender.question_asked",
        "tender",
        tender.id,
        occurred_at=now,
        question_id=question.id,
    )
    return question


def answer(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    question_id: int,
    *,
    public_question: str | None,
    answer_text: str,
    publish: bool,
    now: datetime,
) -> TenderQuestion:
    """Procurement's answer, with the question as it is to be published; published at once
    when `publish`. A published answer is not changed."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    question = session.scalar(
        sa.select(TenderQuestion).where(
            TenderQuestion.id == question_id, TenderQuestion.tender_id == tender.id
        )
    )
    if question is None:
        raise NotFound(N_("no such question"), "question_id")
    if question.status == "published":
        raise DomainError(
            N_("the answer is published and can no longer be changed"), "status", status=409
        )
    require_state(
        status_now(tender, now),
        ("published", "closed"),
        N_("the tender is %(state)s; questions can no longer be answered"),
    )
    question.public_question = (
        _text(public_question, "question", N_("write the question"))
        if public_question is not None and public_question.strip()
        else question.public_question or question.question
    )
    question.answer = _text(answer_text, "answer", N_("write the answer"))
    question.answered_by_id, question.answered_at = actor.user_id, now
    question.status = "published" if publish else "answered"
    if publish:
        question.published_at = now
    session.flush()
    record(
        session,
        actor,
        "tender.question_published" if publish else "tender.question_answered",
        "tender",
        tender.id,
        occurred_at=now,
        question_id=question.id,
    )
    return question


def questions_query(viewer: Viewer, tender: Tender) -> sa.Select:
    """The questions the viewer may see with their asker: procurement every one, a provider its
    own (whatever their state), anyone else none."""
    query = sa.select(TenderQuestion).where(TenderQuestion.tender_id == tender.id)
    if viewer.is_provider:
        query = query.where(TenderQuestion.provider_id == viewer.provider_id)
    elif not viewer.may("procurement"):
        query = query.where(sa.false())
    return query.options(selectinload(TenderQuestion.provider)).order_by(
        TenderQuestion.asked_at, TenderQuestion.id
    )


def questions_for(session: Session, viewer: Viewer, tender: Tender) -> list[TenderQuestion]:
    return list(session.scalars(questions_query(viewer, tender)))


def answers_query(tender: Tender) -> sa.Select:
    """The published questions and answers, in the order they were published (numbered from 1);
    shown to everyone who sees the tender, without the asker."""
    return (
        sa.select(TenderQuestion)
        .where(TenderQuestion.tender_id == tender.id, TenderQuestion.status == "published")
        .order_by(TenderQuestion.published_at, TenderQuestion.id)
    )


def published_answers(session: Session, tender: Tender) -> list[TenderQuestion]:
    return list(session.scalars(answers_query(tender)))
