"""Contracts paid by milestones (DESIGN.md §15): the terms' milestone amounts, the provider's
claims that a job or education lasted, and relapses (the citizen back on benefit).

A contract's `start` milestone is its `outcome_bonus` (paid in the month of the exit, as
always); `contract_milestone` holds the later ones, `week13` and `week26`. A contract without
rows there is paid exactly as before.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.milestones import CLAIM_STATUSES, CLAIMED_MILESTONES
from .base import Base, Money, Timestamp, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from .contract import Contract
    from .participants import Enrolment, Participant


class ContractMilestone(Base):
    """A later milestone of a contract's price terms and what reaching it pays."""

    __tablename__ = "contract_milestone"
    __table_args__ = (
        sa.UniqueConstraint("contract_id", "code"),
        enum_check("code", CLAIMED_MILESTONES, "code"),
        sa.CheckConstraint("amount >= 0", name="amount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"))
    code: Mapped[str] = mapped_column(sa.String(10))
    amount: Mapped[Money]


class MilestoneClaim(Base):
    """The provider's word that a participant's job or education reached a milestone.

    `payable_on` is the day it became payable: the day it was made when no check is required,
    the day procurement verified it otherwise; null while it waits for a check, and for a
    rejected claim that was never payable.
    """

    __tablename__ = "milestone_claim"
    __table_args__ = (
        # One claim of a milestone per participant and contract: a milestone is paid once.
        sa.UniqueConstraint("contract_id", "participant_id", "code"),
        enum_check("code", CLAIMED_MILESTONES, "code"),
        enum_check("status", CLAIM_STATUSES, "status"),
        sa.CheckConstraint(
            "(employer_cvr IS NOT NULL) OR (institution IS NOT NULL)", name="evidence"
        ),
        sa.CheckConstraint("weekly_hours > 0", name="weekly_hours_positive"),
        sa.CheckConstraint("(status = 'claimed') = (decided_at IS NULL)", name="decided_when"),
        sa.CheckConstraint(
            "(status = 'rejected') = (rejection_reason IS NOT NULL)", name="rejection_has_reason"
        ),
        # Procurement's queue of claims to check, and each contract's claims.
        sa.Index("ix_milestone_claim_queue", "status", "check_required", "made_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    code: Mapped[str] = mapped_column(sa.String(10))
    # The evidence: where the job or education is, when it started, and its weekly hours.
    employer_cvr: Mapped[str | None] = mapped_column(sa.String(8))
    institution: Mapped[str | None] = mapped_column(sa.String(200))
    started_on: Mapped[date]
    weekly_hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    # The milestone's day: started_on + 91 (week13) or + 182 (week26).
    milestone_on: Mapped[date]
    made_on: Mapped[date]
    made_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    check_required: Mapped[bool]
    status: Mapped[str] = mapped_column(sa.String(10), default="claimed")
    payable_on: Mapped[date | None]
    decided_on: Mapped[date | None]
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)

    contract: Mapped[Contract] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    participant: Mapped[Participant] = relationship()


class Relapse(Base):
    """A citizen back on benefit after leaving for a job or education, recorded by either side."""

    __tablename__ = "relapse"
    __table_args__ = (
        # One relapse of an enrolment: after it no later milestone is reached.
        sa.UniqueConstraint("enrolment_id"),
        sa.Index("ix_relapse_contract_participant", "contract_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id"))
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"))
    relapsed_on: Mapped[date]
    # The portal's day it was recorded: its clawback goes on that month's invoice.
    recorded_on: Mapped[date]
    recorded_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    contract: Mapped[Contract] = relationship()
    enrolment: Mapped[Enrolment] = relationship()
    participant: Mapped[Participant] = relationship()
