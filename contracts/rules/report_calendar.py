"""The report calendar: which months a contract is reported for, when each report is due,
whether it is late, whether the provider may still change it, and from which day a month may
be submitted, aggregated and invoiced (once it has ended: DESIGN.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .periods import Month, is_month, month_of, months_between, report_due_on

# The effort started in 2018; no report is expected for months before it.
FIRST_REPORT_MONTH = "2018-01"
# A month's status before any report for it is stored: missing once it has ended, and open
# while it runs (its report cannot be submitted yet, so nothing is missing).
MISSING = "missing"
OPEN = "open"
# Accepted by procurement, or already invoiced: the lines are facts that figures, scores and
# invoices count (of a month's versions, the newest of these).
COUNTED_STATUSES = ("accepted", "invoiced")
# Sent in: no longer late, whatever the date.
DONE_STATUSES = ("submitted", "accepted", "invoiced")
# The provider may (still or again) send the month's lines.
EDITABLE_STATUSES = (OPEN, MISSING, "draft", "rejected")


class StoredReport(Protocol):
    status: str
    rejection_reason: str | None


def _span(start_on: date, end_on: date, today: date) -> tuple[str, str]:
    """The first and last month reported: from the start (or 2018-01) to the end or this month."""
    return max(month_of(start_on), FIRST_REPORT_MONTH), min(month_of(end_on), month_of(today))


def reported_months(start_on: date, end_on: date, today: date) -> list[str]:
    """The months a contract is reported for: from its start (or 2018-01) to the current month."""
    return months_between(*_span(start_on, end_on, today))


def is_reported_month(start_on: date, end_on: date, month: str, today: date) -> bool:
    """True when `month` is a YYYY-MM month the contract is reported for (begun, inside it)."""
    if not is_month(month):
        return False
    first, last = _span(start_on, end_on, today)
    return first <= month <= last


def month_ends_on(month: str) -> date:
    """The first day after the month: from then on (Copenhagen's date) the month has ended, and
    its report may be submitted and the month aggregated and invoiced."""
    return Month.parse(month).next().first_day


def has_ended(month: str, today: date) -> bool:
    """True once the month is over on `today` (Copenhagen's date): from the 1st of the next month."""
    return today >= month_ends_on(month)


@dataclass(frozen=True)
class ReportMonth:
    """A month of a contract as the provider sees it: the report's state and when it is due."""

    month: str
    status: str  # OPEN or MISSING when no report exists yet
    due_on: date
    late: bool
    submittable_from: date  # the first day the month's report may be submitted
    ended: bool  # the month is over: its report may be submitted
    rejection_reason: str | None = None

    @property
    def editable(self) -> bool:
        """True while the provider may send the month's lines (a draft at any time)."""
        return self.status in EDITABLE_STATUSES

    @property
    def submittable(self) -> bool:
        """True when a draft is stored and the month has ended."""
        return self.status == "draft" and self.ended


def report_month(month: str, report: StoredReport | None, today: date) -> ReportMonth:
    """The month's state from its newest report (None: none yet) on `today`."""
    ended = has_ended(month, today)
    status = report.status if report else (MISSING if ended else OPEN)
    due_on = report_due_on(month)
    return ReportMonth(
        month=month,
        status=status,
        due_on=due_on,
        late=due_on < today and status not in DONE_STATUSES,
        submittable_from=month_ends_on(month),
        ended=ended,
        rejection_reason=report.rejection_reason if report and status == "rejected" else None,
    )
