"""Participants (deltagere), known only by a keyed pseudonym, and their enrolments (forløb)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.exits import END_REASONS, WITHDRAWN
from .base import Base, Timestamp, enum_check, utcnow

if TYPE_CHECKING:
    from .contract import Contract


class Participant(Base):
    """A referred citizen. The CPR number is never stored: only its HMAC pseudonym."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The short random reference providers use, such as DL-4Q7K2.
    ref: Mapped[str] = mapped_column(sa.String(12), unique=True)
    # HMAC-SHA256 of the CPR number under the installation's pseudonym key, hex.
    pseudonym: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="participant", order_by="Enrolment.start_on"
    )


class Enrolment(Base):
    """A participant's course in one contract: start, end and why it ended."""

    __tablename__ = "enrolment"
    __table_args__ = (
        enum_check("end_reason", END_REASONS, "end_reason"),
        sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name="period"),
        sa.CheckConstraint("(end_on IS NULL) = (end_reason IS NULL)", name="end_has_reason"),
        sa.CheckConstraint("age_at_start >= 15 AND age_at_start < 100", name="age_range"),
        # One open enrolment per participant at a time.
        sa.Index(
            "uq_enrolment_open_participant",
            "participant_id",
            unique=True,
            sqlite_where=sa.text("end_on IS NULL"),
            postgresql_where=sa.text("end_on IS NULL"),
        ),
        sa.Index("ix_enrolment_contract_period", "contract_id", "start_on", "end_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"))
    start_on: Mapped[date]
    end_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))
    # Age on the start day: decides which programmes are open, without keeping a birth date.
    age_at_start: Mapped[int]
    # The enrolment this one continues after a changeover to a successor contract.
    transferred_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrolment.id"), unique=True
    )
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="enrolments")
    contract: Mapped[Contract] = relationship()

    @hybrid_property
    def counts(self) -> bool:
        """Whether the enrolment happened: every one but one ended as registered by mistake
        (`withdrawn`), which no report, figure, score or invoice counts."""
        return self.end_reason != WITHDRAWN

    @counts.inplace.expression
    @classmethod
    def _counts_expression(cls) -> sa.ColumnElement[bool]:
        return sa.or_(cls.end_reason.is_(None), cls.end_reason != WITHDRAWN)
