"""Monthly outcome reports (månedsindberetninger) and their lines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.exits import EXIT_REASONS
from .base import Base, Hours, Timestamp, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from .contract import Contract
    from .participants import Enrolment, Participant

REPORT_STATUSES = ("draft", "submitted", "accepted", "rejected", "invoiced")
MONTH_PATTERN_CHECK = "length(month) = 7 AND substr(month, 5, 1) = '-'"


class MonthlyReport(Base):
    """One version of a contract's report for a month. A correction is a new version."""

    __tablename__ = "monthly_report"
    __table_args__ = (
        sa.UniqueConstraint("contract_id", "month", "version"),
        enum_check("status", REPORT_STATUSES, "status"),
        sa.CheckConstraint(MONTH_PATTERN_CHECK, name="month_format"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint(
            "status <> 'rejected' OR rejection_reason IS NOT NULL", name="rejection_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)

    contract: Mapped[Contract] = relationship()
    lines: Mapped[list[ReportLine]] = relationship(
        back_populates="report", order_by="ReportLine.position", cascade="all, delete-orphan"
    )


class ReportLine(Base):
    """One participant's month: hours planned and delivered, and an exit if there was one."""

    __tablename__ = "report_line"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "participant_id"),
        sa.UniqueConstraint("report_id", "position"),
        enum_check("status", ("active", "exited"), "status"),
        enum_check("exit_reason", EXIT_REASONS, "exit_reason"),
        sa.CheckConstraint("hours_planned >= 0 AND hours_delivered >= 0", name="hours_nonnegative"),
        sa.CheckConstraint(
            "absence_hours IS NULL OR (absence_hours >= 0 AND absence_hours <= hours_planned)",
            name="absence_within_planned",
        ),
        sa.CheckConstraint(
            "(status = 'exited') = (exit_on IS NOT NULL)"
            " AND (status = 'exited') = (exit_reason IS NOT NULL)",
            name="exit_iff_exited",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("monthly_report.id", ondelete="CASCADE"))
    position: Mapped[int]
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    hours_planned: Mapped[Hours]
    hours_delivered: Mapped[Hours]
    absence_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 2))
    status: Mapped[str] = mapped_column(sa.String(10))
    exit_on: Mapped[date | None]
    exit_reason: Mapped[str | None] = mapped_column(sa.String(20))

    report: Mapped[MonthlyReport] = relationship(back_populates="lines")
    participant: Mapped[Participant] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
