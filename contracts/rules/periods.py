"""Months and days: the calendar arithmetic reports, invoices and scores share."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

# The one time zone the portal keeps: deadlines, "today" and document dates are Copenhagen's.
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> tuple[date, date]:
    """First and last day of a month written YYYY-MM; ValueError otherwise."""
    match = MONTH_RE.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_of(day: date) -> str:
    """The YYYY-MM month a day falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    """The month after a YYYY-MM month."""
    _, last = parse_month(month)
    return month_of(last + timedelta(days=1))


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, both included."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def overlap_days(start: date, end: date | None, first: date, last: date) -> int:
    """Days of [start, end] inside [first, last], both ends included (end None: open)."""
    lo = max(start, first)
    hi = min(end, last) if end is not None else last
    return max((hi - lo).days + 1, 0)


def report_due_on(month: str) -> date:
    """A month's report is due on the 10th of the following month."""
    _, last = parse_month(month)
    return last + timedelta(days=10)
