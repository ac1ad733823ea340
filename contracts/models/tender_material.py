"""A tender's material (udbudsmateriale) in versions, its deadline moves, questions and answers.

The files are `StoredFile`s; these rows say what each is to the tender. Providers see the
material once the tender is published; a question is seen only by procurement and the
provider that asked it until its answer is published, and then without the asker.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamp, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from .files import StoredFile
    from .parties import Provider
    from .people import User

# The OCDS 1.1.5 documentType codes (codelists/documentType.csv) a tender's material is
# uploaded as; the generated list of questions and answers is `clarifications` in OCDS.
TENDER_DOCUMENT_TYPES = (
    "tenderNotice",
    "biddingDocuments",
    "technicalSpecifications",
    "evaluationCriteria",
    "eligibilityCriteria",
    "contractDraft",
    "contractSchedule",
    "billOfQuantity",
    "clarifications",
)
# asked -> answered (a draft answer procurement may still change) -> published (all see it).
QUESTION_STATUSES = ("asked", "answered", "published")


class TenderDocument(Base):
    """One document of a tender's material, by its title; its content is in its versions."""

    __tablename__ = "tender_document"
    __table_args__ = (
        sa.UniqueConstraint("tender_id", "title"),
        enum_check("document_type", TENDER_DOCUMENT_TYPES, "document_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tender.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    document_type: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    versions: Mapped[list[TenderDocumentVersion]] = relationship(
        back_populates="document", order_by="TenderDocumentVersion.number"
    )

    @property
    def current(self) -> TenderDocumentVersion:
        return self.versions[-1]


class TenderDocumentVersion(Base):
    """A version of a document: the file, and once the tender is published what changed."""

    __tablename__ = "tender_document_version"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint(
            "NOT after_publication OR change_note IS NOT NULL", name="change_note_after_publication"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("tender_document.id"), index=True)
    number: Mapped[int]
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"), unique=True)
    # Required for a version uploaded after publication ("Ny version <date>").
    change_note: Mapped[str | None] = mapped_column(sa.Text)
    after_publication: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    uploaded_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    document: Mapped[TenderDocument] = relationship(back_populates="versions")
    file: Mapped[StoredFile] = relationship()


class DeadlineMove(Base):
    """A published tender's bid deadline moved: from, to, why, by whom and when."""

    __tablename__ = "tender_deadline_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tender.id"), index=True)
    moved_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moved_to: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(sa.Text)
    moved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    moved_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    moved_by: Mapped[User | None] = relationship()


class TenderQuestion(Base):
    """A provider's question about a tender, and procurement's answer.

    `question` is the wording the provider sent; `public_question` the wording procurement
    publishes (edited so it names nobody). The provider is never shown to anyone else.
    """

    __tablename__ = "tender_question"
    __table_args__ = (enum_check("status", QUESTION_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tender.id"), index=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    asked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    asked_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    question: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="asked")
    public_question: Mapped[str | None] = mapped_column(sa.Text)
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Shown to procurement only: never to another provider, nor with a published answer.
    provider: Mapped[Provider] = relationship()
