"""Contracts (aftaler) and their amendments (ændringer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.succession import is_expiring
from .base import Base, Money, Rate, Timestamp, enum_check, utcnow

if TYPE_CHECKING:
    from .attachments import ContractDocument
    from .milestones import ContractMilestone
    from .parties import Programme, Provider
    from .people import User

CONTRACT_KINDS = ("special_effort", "framework", "call_off")
CONTRACT_STATUSES = ("draft", "active", "ended", "terminated")
# Who issues the contract's invoices (DESIGN.md §6): the municipality on the provider's behalf
# under a self-billing agreement, or the provider itself after reviewing the draft.
INVOICING_TERMS = ("self_billing", "provider_issued")


class Contract(Base):
    """A contract with a provider for one programme, with its period and price terms."""

    __tablename__ = "contract"
    __table_args__ = (
        enum_check("kind", CONTRACT_KINDS, "kind"),
        enum_check("status", CONTRACT_STATUSES, "status"),
        enum_check("invoicing", INVOICING_TERMS, "invoicing"),
        sa.CheckConstraint("end_on >= start_on", name="period"),
        sa.CheckConstraint("max_end_on >= end_on", name="extension_option"),
        sa.CheckConstraint(
            "monthly_fee >= 0 AND hourly_rate >= 0 AND outcome_bonus >= 0 AND ceiling >= 0",
            name="amounts_nonnegative",
        ),
        sa.CheckConstraint("vat_rate >= 0 AND vat_rate < 1", name="vat_rate_range"),
        sa.CheckConstraint("clawback_days IS NULL OR clawback_days >= 0", name="clawback_days"),
        sa.CheckConstraint(
            "predecessor_id IS NULL OR predecessor_id <> id", name="not_own_predecessor"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="active")
    start_on: Mapped[date]
    end_on: Mapped[date]
    # The latest end date the contract's extension option allows.
    max_end_on: Mapped[date]
    monthly_fee: Mapped[Money]
    hourly_rate: Mapped[Money]
    outcome_bonus: Mapped[Money]
    vat_rate: Mapped[Rate] = mapped_column(default=Decimal("0.25"))
    ceiling: Mapped[Money]
    invoicing: Mapped[str] = mapped_column(
        sa.String(20), default="self_billing", server_default="self_billing"
    )
    # Milestone terms (DESIGN.md §15): a relapse within this many days of a paid milestone takes
    # it back; None takes nothing back. The later milestones are `milestones`.
    clawback_days: Mapped[int | None]
    predecessor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contract.id"), unique=True)
    framework_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lot.id"), index=True)
    bid_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bid.id"), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    provider: Mapped[Provider] = relationship()
    programme: Mapped[Programme] = relationship()
    predecessor: Mapped[Contract | None] = relationship(
        remote_side=[id], foreign_keys=[predecessor_id], back_populates="successor"
    )
    successor: Mapped[Contract | None] = relationship(
        foreign_keys=[predecessor_id], back_populates="predecessor", uselist=False
    )
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="contract", order_by="Amendment.created_at"
    )
    milestones: Mapped[list[ContractMilestone]] = relationship(
        order_by="ContractMilestone.code", cascade="all, delete-orphan"
    )
    # The contract's own documents and its amendments' (those carry `amendment_id`).
    documents: Mapped[list[ContractDocument]] = relationship(
        back_populates="contract", order_by="ContractDocument.id"
    )

    def status_on(self, today: date) -> str:
        """The status on a day, from the dates: the stored status only says "terminated".

        A contract is a draft before its start and ended after its last day without any job
        having to write that on the day.
        """
        if self.status == "terminated":
            return "terminated"
        if today < self.start_on:
            return "draft"
        if today > self.end_on:
            return "ended"
        return "active"

    def days_left(self, today: date) -> int | None:
        """Days from today to the last day (0 on the last day); None once ended or terminated."""
        if self.status_on(today) in ("ended", "terminated"):
            return None
        return (self.end_on - today).days

    def is_expiring(self, today: date) -> bool:
        """Ends within 90 days and nothing succeeds it (`rules.succession`)."""
        return is_expiring(self.days_left(today), self.successor is not None)


class Amendment(Base):
    """A change to a signed contract (above all an extension): old and new value, why, who, when."""

    __tablename__ = "amendment"
    __table_args__ = (enum_check("kind", ("extension", "termination", "price", "other"), "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    field: Mapped[str] = mapped_column(sa.String(40))
    old_value: Mapped[str] = mapped_column(sa.String(100))
    new_value: Mapped[str] = mapped_column(sa.String(100))
    reason: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="amendments")
    user: Mapped[User | None] = relationship()
    documents: Mapped[list[ContractDocument]] = relationship(
        back_populates="amendment", order_by="ContractDocument.id"
    )
