"""A tender's material (udbudsmateriale) in versions, and its deadline moved with a reason.

Procurement uploads documents by title: the same title again is a new version of the same
document. Before publication only staff see the material (`get_tender` hides a draft from
providers); from publication every provider sees the current version of each document and its
earlier ones. Once published, each upload needs a note of what changed and is announced to
every provider's users, as is a moved deadline.

Decided where the design was silent:
- Material may be uploaded while the tender is a draft or published and open; after the
  deadline the bids are made on what was there, so it is refused (409).
- A new document (a new title) after publication counts as a change as well: it needs the
  note and is announced, like a new version.
- A published tender's deadline may only be moved later (bidders plan by it), never to a
  moment already past; a draft's deadline is part of its terms and moves without a reason.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import DeadlineMove, Tender, TenderDocument, TenderDocumentVersion
from ...models.tender_material import TENDER_DOCUMENT_TYPES
from ...rules import tendering as rules
from ...rules.problems import N_
from .. import DomainError, NotFound, notification_events
from ..audit import Actor, record
from ..scope import Viewer
from ..stored_files import store_file
from .drafting import update_draft
from .guards import _require_procurement, plain_text, require_state
from .reading import get_tender, status_now

# Statuses (now) in which the material may change.
OPEN_FOR_MATERIAL = ("draft", "published")
MAX_TITLE = 200
MAX_NOTE = 2000


def documents_query(tender: Tender) -> sa.Select:
    """The tender's documents with their versions and files' names, by title.

    Callers have the tender through `get_tender`, so the viewer may see it and its material.
    """
    return (
        sa.select(TenderDocument)
        .where(TenderDocument.tender_id == tender.id)
        .options(selectinload(TenderDocument.versions).selectinload(TenderDocumentVersion.file))
        .order_by(TenderDocument.title, TenderDocument.id)
    )


def documents(session: Session, tender: Tender) -> list[TenderDocument]:
    return list(session.scalars(documents_query(tender)))


def upload(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    *,
    title: str,
    document_type: str,
    data: bytes,
    filename: str,
    change_note: str | None,
    now: datetime,
) -> TenderDocumentVersion:
    """A new document, or a new version of the document with this title; checked first whole."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    state = status_now(tender, now)
    require_state(
        state, OPEN_FOR_MATERIAL, N_("the tender is %(state)s; its material can no longer change")
    )
    title = " ".join(plain_text(title).split())[:MAX_TITLE]
    if not title:
        raise DomainError(N_("give the document a title"), "title")
    if document_type not in TENDER_DOCUMENT_TYPES:
        raise DomainError(
            N_("the kind of document must be one of %(kinds)s"),
            "document_type",
            kinds=", ".join(TENDER_DOCUMENT_TYPES),
        )
    published = state == "published"
    note = plain_text(change_note)[:MAX_NOTE] or None
    if published and note is None:
        raise DomainError(
            N_("the tender is published; say what changed in this version"), "change_note"
        )
    document = session.scalar(
        sa.select(TenderDocument).where(
            TenderDocument.tender_id == tender.id, TenderDocument.title == title
        )
    )
    stored = store_file(session, data, filename, user_id=actor.user_id)
    if document is None:
        document = TenderDocument(tender_id=tender.id, title=title, document_type=document_type)
        session.add(document)
        session.flush()
        number = 1
    else:
        document.document_type = document_type
        number = 1 + session.scalar(
            sa.select(sa.func.max(TenderDocumentVersion.number)).where(
                TenderDocumentVersion.document_id == document.id
            )
        )
    version = TenderDocumentVersion(
        document_id=document.id,
        number=number,
        stored_file_id=stored.id,
        change_note=note,
        after_publication=published,
        uploaded_by_id=actor.user_id,
        uploaded_at=now,
    )
    session.add(version)
    session.flush()
    record(
        session,
        actor,
        "tender.material_uploaded",
        "tender",
        tender.id,
        occurred_at=now,
        document_id=document.id,
        title=title,
        version=number,
        filename=stored.filename,
        sha256=stored.sha256,
        change_note=note,
    )
    if published:
        notification_events.tender_material_changed(session, tender, document, version)
    return version


def version_to_read(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    document_id: int,
    number: int | None,
    now: datetime,
) -> TenderDocumentVersion:
    """A version of a document the viewer may see (the current one when `number` is None),
    its reading recorded in the audit log."""
    tender = get_tender(session, viewer, tender_id)
    query = (
        sa.select(TenderDocumentVersion)
        .join(TenderDocument, TenderDocumentVersion.document_id == TenderDocument.id)
        .where(TenderDocument.tender_id == tender.id, TenderDocument.id == document_id)
        .options(selectinload(TenderDocumentVersion.file))
    )
    if number is None:
        query = query.order_by(TenderDocumentVersion.number.desc()).limit(1)
    else:
        query = query.where(TenderDocumentVersion.number == number)
    version = session.scalar(query)
    if version is None:
        raise NotFound(N_("no such document"), "document_id")
    # On the document, not the tender: the tender's history shows decisions, not every read.
    record(
        session,
        actor,
        "tender.material_downloaded",
        "tender_document",
        document_id,
        occurred_at=now,
        tender_id=tender.id,
        version=version.number,
        stored_file_id=version.stored_file_id,
    )
    return version


def deadline_moves_query(tender: Tender) -> sa.Select:
    """The published tender's deadline moves, oldest first."""
    return (
        sa.select(DeadlineMove)
        .where(DeadlineMove.tender_id == tender.id)
        .options(selectinload(DeadlineMove.moved_by))
        .order_by(DeadlineMove.moved_at, DeadlineMove.id)
    )


def deadline_moves(session: Session, tender: Tender) -> list[DeadlineMove]:
    return list(session.scalars(deadline_moves_query(tender)))


def move_deadline(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    deadline: datetime,
    reason: str | None,
    now: datetime,
) -> Tender:
    """Set a draft's deadline, or move a published tender's later, with a reason kept and
    told to every provider."""
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    state = status_now(tender, now)
    if state == "draft":
        return update_draft(session, actor, viewer, tender_id, {"deadline_at": deadline}, now)
    require_state(
        state, ("published",), N_("the tender is %(state)s; its deadline can no longer be moved")
    )
    reason = plain_text(reason)[:MAX_NOTE]
    if not reason:
        raise DomainError(N_("say why the deadline is moved"), "reason")
    if deadline <= tender.deadline_at:
        raise DomainError(
            N_(
                "a published tender's deadline can only be moved later than %(deadline)s "
                "(Copenhagen time)"
            ),
            "deadline",
            deadline=rules.copenhagen_time(tender.deadline_at),
        )
    move = DeadlineMove(
        tender_id=tender.id,
        moved_from=tender.deadline_at,
        moved_to=deadline,
        reason=reason,
        moved_by_id=actor.user_id,
        moved_at=now,
    )
    session.add(move)
    tender.deadline_at = deadline
    session.flush()
    record(
        session,
        actor,
        "tender.deadline_moved",
        "tender",
        tender.id,
        occurred_at=now,
        moved_from=rules.copenhagen_time(move.moved_from).isoformat(),
        moved_to=rules.copenhagen_time(deadline).isoformat(),
        reason=reason,
    )
    notification_events.tender_deadline_moved(session, tender, move)
    return tender
