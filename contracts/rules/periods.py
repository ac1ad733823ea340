"""Months and days: the calendar arithmetic reports, invoices and scores share."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

# The one time zone the portal keeps: deadlines, "today" and document dates are Copenhagen's.
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# Whole text only (`fullmatch`: `$` alone lets a trailing newline through); the pattern is also
# the JSON schema's.
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# The years a month read from text may fall in: any contract's, and far from year 0000 (no
# calendar year for Python's dates) and 9999 (the last), so a month's neighbours are dates too.
FIRST_YEAR, LAST_YEAR = 1000, 2999


class Month(str):
    """A calendar month, written YYYY-MM: "2019-01".

    It is the text it is written as (a str), so it is stored, sent as JSON, put in a URL and
    compared with months read back as text without conversion; and as that text is always
    YYYY-MM, ordering the text orders the months. Made only from a well-formed month of the
    years FIRST_YEAR to LAST_YEAR: `Month.parse` (or `Month(text)`) raises ValueError for
    anything else.
    """

    __slots__ = ()

    def __new__(cls, text: object) -> Month:
        if isinstance(text, Month):
            return text
        # Python's \d takes any script's digits; a month's are ASCII.
        if not isinstance(text, str) or not text.isascii() or not MONTH_RE.fullmatch(text):
            raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
        if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
            raise ValueError(f"{text!r} is not a month from {FIRST_YEAR} to {LAST_YEAR}")
        return super().__new__(cls, text)

    @classmethod
    def parse(cls, text: object) -> Month:
        """The month written YYYY-MM (a Month is returned as it is); ValueError otherwise."""
        return cls(text)

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a day falls in: any date's, so that a month read within the years has its
        neighbours (2999-12 its next) without a check."""
        return str.__new__(cls, f"{day.year:04d}-{day.month:02d}")

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def number(self) -> int:
        """The month of the year, 1 to 12."""
        return int(self[5:])

    @property
    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.number, calendar.monthrange(self.year, self.number)[1])

    def next(self) -> Month:
        """The month after this one."""
        return Month.of(self.last_day + timedelta(days=1))

    def previous(self) -> Month:
        """The month before this one."""
        return Month.of(self.first_day - timedelta(days=1))


def is_month(text: object) -> bool:
    """True for a month written YYYY-MM (of the years a Month may be)."""
    try:
        Month.parse(text)
    except ValueError:
        return False
    return True


def parse_month(text: str) -> tuple[date, date]:
    """First and last day of a month written YYYY-MM; ValueError otherwise."""
    month = Month.parse(text)
    return month.first_day, month.last_day


def month_of(day: date) -> Month:
    """The YYYY-MM month a day falls in."""
    return Month.of(day)


def next_month(month: str) -> Month:
    """The month after a YYYY-MM month."""
    return Month.parse(month).next()


def months_between(first: str, last: str) -> list[Month]:
    """Every month from first to last, both included."""
    months, month = [], Month.parse(first)
    while month <= last:
        months.append(month)
        month = month.next()
    return months


def overlap_days(start: date, end: date | None, first: date, last: date) -> int:
    """Days of [start, end] inside [first, last], both ends included (end None: open)."""
    lo = max(start, first)
    hi = min(end, last) if end is not None else last
    return max((hi - lo).days + 1, 0)


def report_due_on(month: str) -> date:
    """A month's report is due on the 10th of the following month."""
    return Month.parse(month).last_day + timedelta(days=10)
