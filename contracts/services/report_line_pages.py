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
from .paging import PER_PAGE, Page, page_at

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
    """Page `page` (from 1; a page past the last is empty, as every list's) of the report's lines
    in the order sent, their participants joined in. The caller has found the report through
    what the viewer may see, and counted its lines in `totals`."""
    lines = (
        sa.select(ReportLine)
        .where(ReportLine.report_id == report_id)
        .options(joinedload(ReportLine.participant))
        .order_by(ReportLine.position)
    )
    return page_at(
        totals.lines,
        page,
        per_page,
        lambda limit, offset: session.scalars(lines.limit(limit).offset(offset)).all(),
    )
