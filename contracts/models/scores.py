"""Outcome figures per scope and month, written by the aggregation job."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamp, enum_check, utcnow
from .reports import MONTH_PATTERN_CHECK

SCOPES = ("all", "programme", "provider", "contract")


class Score(Base):
    """Counts and sums for one scope and month, monthly or cumulated; rates derive from them."""

    __tablename__ = "score"
    __table_args__ = (
        sa.UniqueConstraint("scope", "scope_id", "month", "cumulative"),
        enum_check("scope", SCOPES, "scope"),
        sa.CheckConstraint(MONTH_PATTERN_CHECK, name="month_format"),
        sa.CheckConstraint(
            "participants >= 0 AND active_end >= 0 AND exits = positive + benefit_stopped + other",
            name="counts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(20))
    # 0 for the scope "all", which has no record of its own.
    scope_id: Mapped[int] = mapped_column(default=0)
    month: Mapped[str] = mapped_column(sa.String(7))
    cumulative: Mapped[bool]
    participants: Mapped[int]
    active_end: Mapped[int]
    exits: Mapped[int]
    positive: Mapped[int]
    benefit_stopped: Mapped[int]
    other: Mapped[int]
    hours_planned: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    hours_delivered: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    absence_hours: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    computed_at: Mapped[Timestamp] = mapped_column(default=utcnow)
