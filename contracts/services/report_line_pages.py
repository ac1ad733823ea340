"""A stored report's lines a page at a time, with the totals of all its lines (issue 16).

A month of a thousand participants is not drawn whole on every view of its page: the page shows
one page of lines, and the totals under the table are summed in SQL over every line, so they are
the report's whatever page is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..models import ReportLine
from .paging import PER_PAGE, Page, page_count

HUNDREDTH = Decimal("0.01")
# Above this many enrolled participants (lines, on procurement's review) a month's pages show its
# stored lines a page at a time, and the provider's form is on a page of its own: 1,000 lines
# drawn as a form took 0.6 s of CPU and 2.4 MB on every view, and on the review 0.3-0.45 s and
# 0.5 MB.
LARGE_MONTH = 100
LINES_PER_PAGE = PER_PAGE


@dataclass(frozen=True)
class LineTotals:
    """The sums and counts of all of a report's lines."""

    lines: int
    hours_planned: Decimal
    hours_delivered: Decimal
    absence_hours: Decimal
    exits: int


def _hours(value) -> Decimal:
    # SQLite sums numerics as floats: back to the hundredths the columns hold.
    return Decimal(str(value or 0)).quantize(HUNDREDTH)


def line_totals(session: Session, report_id: int) -> LineTotals:
    """The report's line count, hours and exits, in one statement."""
    row = session.execute(
        sa.select(
            sa.func.count(ReportLine.id),
            sa.func.sum(ReportLine.hours_planned),
            sa.func.sum(ReportLine.hours_delivered),
            sa.func.sum(ReportLine.absence_hours),
            sa.func.count(ReportLine.id).filter(ReportLine.status == "exited"),
        ).where(ReportLine.report_id == report_id)
    ).one()
    return LineTotals(int(row[0]), _hours(row[1]), _hours(row[2]), _hours(row[3]), int(row[4] or 0))


def line_page(
    session: Session, report_id: int, totals: LineTotals, page: int, per_page: int
) -> Page[ReportLine]:
    """Page `page` (from 1; one past the last is the last) of the report's lines in the order
    sent, their participants joined in. The caller has found the report through what the viewer
    may see, and counted its lines in `totals`."""
    page = min(max(1, page), page_count(totals.lines, per_page))
    rows = session.scalars(
        sa.select(ReportLine)
        .where(ReportLine.report_id == report_id)
        .options(joinedload(ReportLine.participant))
        .order_by(ReportLine.position)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), page, per_page, totals.lines)


def line_page_as_asked(
    session: Session, report_id: int, totals: LineTotals, page: int, per_page: int
) -> Page[ReportLine]:
    """Page `page` of the report's lines as `line_page` reads them, but a page past the last is
    that page, empty (procurement's review: a stale link shows the pager, not other lines);
    below 1 is the first."""
    page = max(1, page)
    if page > page_count(totals.lines, per_page):
        return Page([], page, per_page, totals.lines)
    return line_page(session, report_id, totals, page, per_page)
