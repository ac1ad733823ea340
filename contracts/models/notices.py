"""Notices during the month (hændelser, DESIGN.md §3): a provider tells the job centre the same
day that a participant left (an exit notice, afgangsmelding) or failed to turn up (an absence
notice, udeblivelsesmelding).

An exit notice waits (`received`) until procurement confirms it, which ends the enrolment on
its date, or rejects it with a reason. An absence notice is information for the caseworker
and is never decided: it stays `received`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.exits import EXIT_REASONS
from ..rules.notice_checks import NOTICE_KINDS
from .base import Base, Timestamp, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from .contract import Contract
    from .participants import Enrolment, Participant

NOTICE_STATUSES = ("received", "confirmed", "rejected")
# A notice that still counts: one waiting for a decision, or confirmed.
LIVE_STATUSES = ("received", "confirmed")


class Notice(Base):
    """One exit or absence notice of a participant's enrolment, on one day."""

    __tablename__ = "notice"
    __table_args__ = (
        enum_check("kind", NOTICE_KINDS, "kind"),
        enum_check("status", NOTICE_STATUSES, "status"),
        enum_check("exit_reason", EXIT_REASONS, "exit_reason"),
        # An exit has a reason and no hours; an absence has hours and no reason.
        sa.CheckConstraint("(kind = 'exit') = (exit_reason IS NOT NULL)", name="exit_has_reason"),
        sa.CheckConstraint(
            "(kind = 'absence') = (hours_missed IS NOT NULL)", name="absence_has_hours"
        ),
        sa.CheckConstraint(
            "hours_missed IS NULL OR (hours_missed > 0 AND hours_missed <= 24)",
            name="hours_in_a_day",
        ),
        # Only exit notices are decided; a decision has its time, a rejection its reason.
        sa.CheckConstraint("kind = 'exit' OR status = 'received'", name="only_exits_decided"),
        sa.CheckConstraint("(status = 'received') = (decided_at IS NULL)", name="decided_when"),
        sa.CheckConstraint(
            "(status = 'rejected') = (rejection_reason IS NOT NULL)", name="rejection_has_reason"
        ),
        # At most one exit notice of an enrolment waiting or confirmed at a time.
        sa.Index(
            "uq_notice_live_exit",
            "enrolment_id",
            unique=True,
            sqlite_where=sa.text("kind = 'exit' AND status IN ('received', 'confirmed')"),
            postgresql_where=sa.text("kind = 'exit' AND status IN ('received', 'confirmed')"),
        ),
        # One absence notice of an enrolment a day.
        sa.Index(
            "uq_notice_absence_day",
            "enrolment_id",
            "on_date",
            unique=True,
            sqlite_where=sa.text("kind = 'absence'"),
            postgresql_where=sa.text("kind = 'absence'"),
        ),
        # Procurement's queue: received exit notices, oldest first.
        sa.Index("ix_notice_queue", "status", "kind", "recorded_at"),
        # A contract's notices of a month (the report's check, the lists, the reviewer's page).
        sa.Index("ix_notice_contract_day", "contract_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"))
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    # The day it happened (`on_date` in SQL, where ON is a keyword).
    on: Mapped[date] = mapped_column("on_date")
    exit_reason: Mapped[str | None] = mapped_column(sa.String(20))
    hours_missed: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 2))
    note: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="received")
    recorded_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    # None when the system recorded it (the demo's history, a command).
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)

    contract: Mapped[Contract] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    participant: Mapped[Participant] = relationship()

    @property
    def hours(self) -> Decimal | None:
        """The hours missed, for an absence notice."""
        return self.hours_missed
