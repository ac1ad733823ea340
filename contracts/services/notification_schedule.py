"""The day's reminders (DESIGN.md §14), found by queries and stored as notifications.

Each reminder's key names its milestone, not the day it ran: the reminder of the 5th is
`report-due-<contract>-<month>-5` whether it is found on the 5th or, after days when the
schedule did not run, on the 8th. So running the day twice adds nothing, and a missed day
is caught up: on any day the latest milestone passed is stored if it is still missing.
- report due: from the 5th (and again from the 10th) to the 10th, for every contract whose
  report for the month before is not submitted, to the provider's users;
- overdue: from the 11th, to the provider's users and to procurement;
- contract ending without a successor: in 90, 30 and 7 days, to procurement;
- a month's invoices waiting for attestation, once per month, to procurement.

A day may also be run after the fact (`as_of`, the moment its run would have happened), as the
demo runs the days of its story: its notifications are dated then, and a report counts as sent
only if it was sent by then. A contract's warnings are keyed by the end they warn of, so an
extension arms them again for the new end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import Contract, Invoice, MonthlyReport, Provider, User
from ..rules.periods import Month, report_due_on
from .notifications import json_object, notify_many
from .sql import day_number

ENDING_DAYS = (7, 30, 90)
SENT_IN = ("submitted", "accepted", "invoiced")


@dataclass(frozen=True)
class Stored:
    """How many notifications the day stored, by kind."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _text(value) -> sa.ColumnElement:
    return sa.cast(value, sa.String)


def _missing_reports(month: Month, as_of: datetime | None = None) -> sa.Select:
    """Contracts that ran in `month` and have no report for it sent in (by `as_of`, if given)."""
    sent = sa.exists().where(
        MonthlyReport.contract_id == Contract.id,
        MonthlyReport.month == str(month),
        MonthlyReport.status.in_(SENT_IN),
        MonthlyReport.submitted_at <= as_of if as_of is not None else sa.true(),
    )
    return (
        sa.select(Contract.id)
        .join(Provider, Provider.id == Contract.provider_id)
        .where(
            Contract.status.in_(("active", "ended")),
            Contract.start_on <= month.last_day,
            Contract.end_on >= month.first_day,
            ~sent,
        )
    )


def _report_context(month: Month) -> sa.ColumnElement:
    return json_object(
        "contract_id", Contract.id,
        "contract", Contract.reference,
        "title", Contract.title,
        "provider", Provider.name,
        "month", str(month),
        "due_on", report_due_on(month).isoformat(),
    )  # fmt: skip


def report_reminders(
    session: Session, today: date, as_of: datetime | None = None
) -> dict[str, int]:
    month = Month.of(today).previous()
    missing = _missing_reports(month, as_of)
    counts = {}
    if 5 <= today.day <= 10:
        milestone = 10 if today.day == 10 else 5
        key = f"report-due-{month}-{milestone}-"
        rows = missing.with_only_columns(
            User.id, sa.literal(key) + _text(Contract.id), _report_context(month)
        ).join(User, sa.and_(User.provider_id == Contract.provider_id, User.is_active))
        counts["report_due"] = len(notify_many(session, "report_due", rows, as_of))
    if today.day >= 11:
        key = f"report-overdue-{month}-"
        providers = missing.with_only_columns(
            User.id, sa.literal(key) + _text(Contract.id), _report_context(month)
        ).join(User, sa.and_(User.provider_id == Contract.provider_id, User.is_active))
        staff = missing.with_only_columns(
            User.id, sa.literal(key) + _text(Contract.id), _report_context(month)
        ).join(User, sa.and_(User.role == "procurement", User.is_active))
        counts["report_overdue"] = len(
            notify_many(session, "report_overdue", providers, as_of)
        ) + len(notify_many(session, "report_overdue", staff, as_of))
    return counts


def contracts_ending(session: Session, today: date, as_of: datetime | None = None) -> int:
    """Contracts ending within 90, 30 or 7 days with no successor: one mail per milestone of
    each end date (an extended contract is warned again before its new end)."""
    successor = aliased(Contract)
    days_left = day_number(Contract.end_on) - day_number(sa.literal(today, sa.Date))
    milestone = sa.case(*((days_left <= days, days) for days in ENDING_DAYS), else_=sa.null())
    rows = (
        sa.select(
            User.id,
            sa.literal("contract-ending-")
            + _text(Contract.id)
            + "-"
            + _text(Contract.end_on)
            + "-"
            + _text(milestone),
            json_object(
                "contract_id",
                Contract.id,
                "contract",
                Contract.reference,
                "title",
                Contract.title,
                "provider",
                Provider.name,
                "ends_on",
                _text(Contract.end_on),
                "days",
                days_left,
            ),  # fmt: skip
        )
        .join(Provider, Provider.id == Contract.provider_id)
        .join(User, sa.and_(User.role == "procurement", User.is_active))
        .where(
            Contract.status == "active",
            days_left.between(0, max(ENDING_DAYS)),
            ~sa.exists().where(successor.predecessor_id == Contract.id),
        )
    )
    return len(notify_many(session, "contract_ending", rows, as_of))


def invoices_to_attest(session: Session, as_of: datetime | None = None) -> int:
    """A month's invoices waiting for attestation: one mail per month to procurement."""
    waiting = sa.or_(
        Invoice.status.in_(("issued", "returned")),
        sa.and_(Invoice.status == "draft", Contract.invoicing != "provider_issued"),
    )
    months = (
        sa.select(Invoice.month, sa.func.count().label("count"))
        .join(Contract, Contract.id == Invoice.contract_id)
        .where(waiting)
        .group_by(Invoice.month)
        .subquery()
    )
    rows = sa.select(
        User.id,
        sa.literal("invoices-to-attest-") + months.c.month,
        json_object("month", months.c.month, "count", months.c.count),
    ).join(months, sa.and_(User.role == "procurement", User.is_active))
    return len(notify_many(session, "invoices_to_attest", rows, as_of))


def run_day(session: Session, today: date, as_of: datetime | None = None) -> Stored:
    """Store the day's reminders (nothing twice); the caller commits and the mails follow.
    `as_of`: the moment a past day's run would have happened, when it is run after the fact."""
    counts = report_reminders(session, today, as_of)
    counts["contract_ending"] = contracts_ending(session, today, as_of)
    counts["invoices_to_attest"] = invoices_to_attest(session, as_of)
    return Stored(counts)
