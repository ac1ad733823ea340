"""A monthly report's follow-up lines (DESIGN.md §4, §15): milestone claims the provider sends
with the month's report, made when procurement accepts it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..rules.milestones import CLAIMED_MILESTONES
from .base import Base, enum_check


class ReportFollowUp(Base):
    """A participant who left the contract for a job or education earlier, and the milestone the
    report claims for them with its evidence. Kept apart from the report's lines, which the
    invoices count as the month's participants."""

    __tablename__ = "report_follow_up"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "participant_id", "code"),
        enum_check("code", CLAIMED_MILESTONES, "code"),
        sa.CheckConstraint(
            "(employer_cvr IS NOT NULL) OR (institution IS NOT NULL)", name="evidence"
        ),
        sa.CheckConstraint("weekly_hours > 0", name="weekly_hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monthly_report.id", ondelete="CASCADE"), index=True
    )
    # The line's position in the report, counted as its other lines are.
    position: Mapped[int]
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    code: Mapped[str] = mapped_column(sa.String(10))
    employer_cvr: Mapped[str | None] = mapped_column(sa.String(8))
    institution: Mapped[str | None] = mapped_column(sa.String(200))
    started_on: Mapped[date]
    weekly_hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
