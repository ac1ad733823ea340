"""Tenders (udbud), their lots (delaftaler) and the providers' bids (tilbud)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Money, Rate, Timestamp, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from .attachments import BidAttachment
    from .contract import Contract
    from .parties import Programme, Provider

TENDER_STATUSES = ("draft", "published", "closed", "evaluated", "awarded", "concluded", "cancelled")
PROCEDURES = ("open", "restricted", "competitive_negotiation", "light_regime")

tender_predecessor = sa.Table(
    "tender_predecessor",
    Base.metadata,
    sa.Column("tender_id", sa.ForeignKey("tender.id"), primary_key=True),
    sa.Column("contract_id", sa.ForeignKey("contract.id"), primary_key=True),
)


class Tender(Base):
    """A call for tenders with one lot per programme; a re-tender names the contracts it replaces."""

    __tablename__ = "tender"
    __table_args__ = (
        enum_check("status", TENDER_STATUSES, "status"),
        enum_check("procedure", PROCEDURES, "procedure"),
        enum_check("contract_kind", ("special_effort", "framework"), "contract_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    procedure: Mapped[str] = mapped_column(sa.String(30), default="open")
    contract_kind: Mapped[str] = mapped_column(sa.String(20), default="special_effort")
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last moment to ask a question; None: six days before the deadline (tenders.questions).
    question_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contract_start_on: Mapped[date | None]
    contract_end_on: Mapped[date | None]
    contract_max_end_on: Mapped[date | None]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    standstill_ends_on: Mapped[date | None]
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    lots: Mapped[list[Lot]] = relationship(back_populates="tender", order_by="Lot.number")
    # The contracts a re-tender replaces, by end date (written through `tender_predecessor`).
    replaces: Mapped[list[Contract]] = relationship(
        secondary=tender_predecessor, order_by="(Contract.end_on, Contract.id)", viewonly=True
    )


class Lot(Base):
    """A lot of a tender, for one programme, with the expected values that price bids."""

    __tablename__ = "lot"
    __table_args__ = (
        sa.UniqueConstraint("tender_id", "programme_id"),
        sa.UniqueConstraint("tender_id", "number"),
        sa.CheckConstraint(
            "w_price >= 0 AND w_quality >= 0 AND abs(w_price + w_quality - 1) < 0.00005",
            name="award_weights",
        ),
        sa.CheckConstraint("expected_hours >= 0", name="expected_hours_nonnegative"),
        sa.CheckConstraint(
            "expected_outcome_rate >= 0 AND expected_outcome_rate <= 1",
            name="expected_outcome_rate",
        ),
        sa.CheckConstraint("max_awards >= 1", name="max_awards_positive"),
        # Milestone prices (DESIGN.md §15): both later shares or neither; fewer reach each later
        # milestone than the one before it (the outcome rate is the start share).
        sa.CheckConstraint(
            "(expected_week13_rate IS NULL) = (expected_week26_rate IS NULL)"
            " AND expected_week26_rate >= 0"
            " AND expected_week26_rate <= expected_week13_rate"
            " AND expected_week13_rate <= expected_outcome_rate",
            name="milestone_shares",
        ),
        sa.CheckConstraint(
            "clawback_days IS NULL OR (clawback_days >= 0 AND expected_week13_rate IS NOT NULL)",
            name="clawback_days",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tender.id"), index=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    estimated_value: Mapped[Money | None]
    expected_hours: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2))
    expected_outcome_rate: Mapped[Rate]
    w_price: Mapped[Rate]
    w_quality: Mapped[Rate]
    # A framework lot may be awarded to several ranked providers.
    max_awards: Mapped[int] = mapped_column(default=1)
    # A lot that asks for milestone prices: the shares of participants expected to reach the
    # week13 and week26 milestones (start's is `expected_outcome_rate`), and the clawback days
    # its contracts get. Null: the lot prices one outcome bonus, as before.
    expected_week13_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 4))
    expected_week26_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 4))
    clawback_days: Mapped[int | None]

    tender: Mapped[Tender] = relationship(back_populates="lots")
    programme: Mapped[Programme] = relationship()
    bids: Mapped[list[Bid]] = relationship(back_populates="lot")

    @property
    def milestone_prices(self) -> bool:
        """Whether bids on the lot price the week13 and week26 milestones besides the start."""
        return self.expected_week13_rate is not None

    @property
    def later_shares(self) -> dict[str, Decimal]:
        """The shares expected to reach the later milestones the lot prices (start's is the
        outcome rate); none on a lot without milestone prices."""
        if not self.milestone_prices:
            return {}
        return {"week13": self.expected_week13_rate, "week26": self.expected_week26_rate}


class Bid(Base):
    """A provider's bid on a lot, with its full price terms. Sealed until the deadline."""

    __tablename__ = "bid"
    __table_args__ = (
        sa.UniqueConstraint("lot_id", "provider_id"),
        sa.CheckConstraint(
            "monthly_fee >= 0 AND hourly_rate >= 0 AND outcome_bonus >= 0",
            name="prices_nonnegative",
        ),
        sa.CheckConstraint(
            "quality_points IS NULL OR (quality_points >= 0 AND quality_points <= 10)",
            name="quality_points_range",
        ),
        sa.CheckConstraint("award_rank IS NULL OR award_rank >= 1", name="award_rank_positive"),
        sa.CheckConstraint(
            "(week13_amount IS NULL) = (week26_amount IS NULL)"
            " AND week13_amount >= 0 AND week26_amount >= 0",
            name="milestone_amounts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"), index=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    monthly_fee: Mapped[Money]
    hourly_rate: Mapped[Money]
    # The start milestone's amount on a lot that asks for milestone prices.
    outcome_bonus: Mapped[Money]
    # The later milestones' amounts, on (and only on) a lot that asks for milestone prices.
    week13_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    week26_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    vat_rate: Mapped[Rate] = mapped_column(default=Decimal("0.25"))
    quality_points: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 2))
    # The evaluators' written reason for the quality points, entered with them.
    quality_reason: Mapped[str | None] = mapped_column(sa.Text)
    award_rank: Mapped[int | None]
    submitted_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    lot: Mapped[Lot] = relationship(back_populates="bids")
    provider: Mapped[Provider] = relationship()
    # Sealed as the prices are: read them through `scope.bids`, never from another path.
    attachments: Mapped[list[BidAttachment]] = relationship(
        back_populates="bid", order_by="BidAttachment.id"
    )

    @property
    def later_milestones(self) -> dict[str, Decimal]:
        """The week13 and week26 amounts the bid prices (none on a lot without milestone prices)."""
        if self.week13_amount is None:
            return {}
        return {"week13": self.week13_amount, "week26": self.week26_amount}
