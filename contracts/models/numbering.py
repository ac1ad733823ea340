"""Gap-free invoice numbers per provider and year, and what finance recorded when it approved an invoice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class InvoiceNumberCounter(Base):
    """The last invoice number given to a provider in a year: one row per provider and year,
    locked while a number is taken.

    A self-billed invoice is the provider's invoice, so each provider has its own series: one
    provider's numbers tell nothing of how many invoices others got (DESIGN.md §6). Invoices
    and credit notes share the series. Taking a number increments the row in the
    approving transaction, so the row stays locked until that transaction ends: a second
    approval waits, and a rolled-back approval gives its number back. No gaps, no doubles.
    """

    __tablename__ = "invoice_number_counter"
    __table_args__ = (sa.CheckConstraint("last_seq >= 0", name="last_seq_nonnegative"),)

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("provider.id"), primary_key=True, autoincrement=False
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class InvoiceApproval(Base):
    """The approval of an invoice or credit note: its issue and due date, any ceiling look, and
    the issued record (`issued`): the parties' names, numbers and addresses and the contract's
    terms as they were at approval, so every later download gives the same document.

    An invoice that takes its contract past the ceiling is approved only with a written reason
    for accepting the crossing; who gave it, when and why stay here beside the approval.
    """

    __tablename__ = "invoice_approval"
    __table_args__ = (
        sa.CheckConstraint("due_on >= issued_on", name="due_after_issue"),
        sa.CheckConstraint(
            "(ceiling_confirmed_by_id IS NULL) = (ceiling_reason IS NULL)",
            name="ceiling_reason_given",
        ),
    )

    invoice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invoice.id"), primary_key=True, autoincrement=False
    )
    issued_on: Mapped[date]
    due_on: Mapped[date]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    ceiling_confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    ceiling_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ceiling_reason: Mapped[str | None] = mapped_column(sa.Text())
    issued: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
