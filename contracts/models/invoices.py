"""Invoices and credit notes per contract and month, and their lines per participant."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Money, Rate, Timestamp, UTCDateTime, enum_check, utcnow
from .reports import MONTH_PATTERN_CHECK

if TYPE_CHECKING:
    from .contract import Contract

INVOICE_KINDS = ("invoice", "credit_note")
# A draft waits for attestation (self-billed) or for its provider to issue it (`issued` then
# waits for attestation); `attested` waits for finance's approval, which may send it back
# (`returned`, to be attested again); `approved` is numbered and final (DESIGN.md §6).
INVOICE_STATUSES = ("draft", "issued", "attested", "returned", "approved")


class Invoice(Base):
    """An invoice or credit note. Once approved it is never edited; a correction credits it."""

    __tablename__ = "invoice"
    __table_args__ = (
        sa.UniqueConstraint("contract_id", "month", "version", "kind"),
        # Gap-free numbering per provider and year, given at approval.
        sa.UniqueConstraint("number_provider_id", "number_year", "number_seq"),
        enum_check("kind", INVOICE_KINDS, "kind"),
        enum_check("status", INVOICE_STATUSES, "status"),
        sa.CheckConstraint(MONTH_PATTERN_CHECK, name="month_format"),
        # Within half an øre, not "=": SQLite keeps NUMERIC as binary floating point.
        sa.CheckConstraint(
            "net >= 0 AND vat >= 0 AND abs(total - (net + vat)) < 0.005", name="totals"
        ),
        sa.CheckConstraint(
            "(kind = 'credit_note') = (credited_invoice_id IS NOT NULL)", name="credit_note_credits"
        ),
        sa.CheckConstraint(
            "(number_year IS NULL) = (number_seq IS NULL)"
            " AND (number_year IS NULL) = (number_provider_id IS NULL)",
            name="number_pair",
        ),
        sa.CheckConstraint(
            "(status = 'returned') = (return_reason IS NOT NULL)", name="returned_with_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="invoice")
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    month: Mapped[str] = mapped_column(sa.String(7))
    version: Mapped[int] = mapped_column(default=1)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("monthly_report.id"))
    credited_invoice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invoice.id"), unique=True
    )
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    # The series the number belongs to: the provider's (a self-billed invoice is its invoice).
    number_provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider.id"))
    number_year: Mapped[int | None]
    number_seq: Mapped[int | None]
    vat_rate: Mapped[Rate]
    net: Mapped[Money]
    vat: Mapped[Money]
    total: Mapped[Money]
    # Crossing the contract's ceiling needs a second look by finance before approval.
    exceeds_ceiling: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    # Each step's who and when; the audit log keeps every step, these the latest.
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    attested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    return_reason: Mapped[str | None] = mapped_column(sa.Text())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    contract: Mapped[Contract] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.id"
    )

    @hybrid_property
    def signed_net(self) -> Decimal:
        """The net as it counts towards what a contract has been invoiced: a credit note's takes off."""
        return -self.net if self.kind == "credit_note" else self.net

    @signed_net.inplace.expression
    @classmethod
    def _signed_net_expression(cls) -> sa.ColumnElement[Decimal]:
        return cls.signed(cls.net)

    @classmethod
    def signed(cls, amount: sa.ColumnElement[Decimal]) -> sa.ColumnElement[Decimal]:
        """One of the amount columns in SQL as it counts: a credit note's takes off."""
        return sa.case((cls.kind == "credit_note", -amount), else_=amount)

    @property
    def number(self) -> str | None:
        """The printed invoice number, such as 2019-000042, once approved."""
        if self.number_year is None:
            return None
        return f"{self.number_year}-{self.number_seq:06d}"


# What an invoice line is for (DESIGN.md §15): a participant's month (base fee, hours and the
# `start` milestone as its bonus), a later milestone reached, or a milestone taken back (a line
# of its own with a negative bonus).
LINE_ITEMS = (
    "month",
    "week13",
    "week26",
    "clawback_start",
    "clawback_week13",
    "clawback_week26",
)


class InvoiceLine(Base):
    """What one participant's month costs (days, base fee, hours, any outcome bonus), or one of
    their milestones paid or taken back (`item`; the amount is then all in `bonus`)."""

    __tablename__ = "invoice_line"
    __table_args__ = (
        sa.UniqueConstraint("invoice_id", "participant_id", "item"),
        enum_check("item", LINE_ITEMS, "item"),
        sa.CheckConstraint("days >= 0 AND days <= 31", name="days_range"),
        sa.CheckConstraint(
            "base_fee >= 0 AND hours_amount >= 0"
            " AND (bonus >= 0) = (item NOT LIKE 'clawback%')"
            " AND abs(amount - (base_fee + hours_amount + bonus)) < 0.005",
            name="amounts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice.id"), index=True)
    # Indexed: the outcome bonus looks up whether a participant was paid one before.
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participant.id"), index=True)
    # Indexed: replacing a draft deletes its report lines, and each deletion checks that no
    # invoice line names it; unindexed, that scans every invoice line there is (issue 16).
    report_line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("report_line.id"), index=True)
    days: Mapped[int]
    base_fee: Mapped[Money]
    hours_amount: Mapped[Money]
    bonus: Mapped[Money]
    amount: Mapped[Money]
    item: Mapped[str] = mapped_column(sa.String(20), default="month", server_default="month")

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
