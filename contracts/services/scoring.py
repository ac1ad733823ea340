"""Scores (DESIGN.md §7) for every scope, monthly and cumulated, in set-based SQL.

The figures come from the newest accepted version of each contract's monthly reports. A
month's scores are replaced whole in one transaction, so running it twice changes nothing.
Transfers never appear as exits: a report line's exit reason cannot be `transferred`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, MonthlyReport, ReportLine, Score, utcnow
from ..models.base import UTCDateTime
from ..rules.exits import BENEFIT_STOPPED_EXITS, OTHER_EXITS, POSITIVE_EXITS
from ..rules.periods import Month
from .report_versions import is_version_in, newest_counted_versions
from .sql import count_where, from_hundredths, hundredths

SCOPE_KEYS = {
    "all": lambda lines: sa.literal(0),
    "programme": lambda lines: lines.c.programme_id,
    "provider": lambda lines: lines.c.provider_id,
    "contract": lambda lines: lines.c.contract_id,
}


def effective_lines(up_to: str, only_month: bool) -> sa.Subquery:
    """Report lines of the newest accepted version of each contract's month, with their scope keys."""
    newest = newest_counted_versions(
        MonthlyReport.month == up_to if only_month else MonthlyReport.month <= up_to
    )
    return (
        sa.select(
            ReportLine.participant_id,
            ReportLine.status,
            ReportLine.exit_reason,
            ReportLine.hours_planned,
            ReportLine.hours_delivered,
            ReportLine.absence_hours,
            MonthlyReport.month,
            Contract.id.label("contract_id"),
            Contract.provider_id,
            Contract.programme_id,
        )
        .join(MonthlyReport, MonthlyReport.id == ReportLine.report_id)
        .join(newest, is_version_in(newest))
        .join(Contract, Contract.id == MonthlyReport.contract_id)
        .subquery()
    )


def compute_month(session: Session, month: str) -> int:
    """Write the month's scores for every scope, monthly and cumulated; returns the rows written."""
    month = Month.parse(month)
    session.execute(sa.delete(Score).where(Score.month == month))
    written = 0
    for cumulative in (False, True):
        lines = effective_lines(month, only_month=not cumulative)
        exited = lines.c.status == "exited"
        for scope, key in SCOPE_KEYS.items():
            scope_id = key(lines)
            select = sa.select(
                sa.literal(scope),
                scope_id,
                sa.literal(month, sa.String),
                sa.literal(cumulative),
                sa.func.count(sa.distinct(lines.c.participant_id)),
                sa.func.count(
                    sa.distinct(
                        sa.case(
                            (
                                sa.and_(lines.c.month == month, lines.c.status == "active"),
                                lines.c.participant_id,
                            )
                        )
                    )
                ),
                count_where(exited),
                count_where(sa.and_(exited, lines.c.exit_reason.in_(POSITIVE_EXITS))),
                count_where(sa.and_(exited, lines.c.exit_reason.in_(BENEFIT_STOPPED_EXITS))),
                count_where(sa.and_(exited, lines.c.exit_reason.in_(OTHER_EXITS))),
                from_hundredths(
                    sa.func.coalesce(sa.func.sum(hundredths(lines.c.hours_planned)), 0)
                ),
                from_hundredths(
                    sa.func.coalesce(sa.func.sum(hundredths(lines.c.hours_delivered)), 0)
                ),
                from_hundredths(
                    sa.func.coalesce(
                        sa.func.sum(hundredths(sa.func.coalesce(lines.c.absence_hours, 0))), 0
                    )
                ),
                sa.literal(utcnow(), UTCDateTime()),
            ).group_by(scope_id)
            result = session.execute(
                sa.insert(Score).from_select(
                    [
                        "scope",
                        "scope_id",
                        "month",
                        "cumulative",
                        "participants",
                        "active_end",
                        "exits",
                        "positive",
                        "benefit_stopped",
                        "other",
                        "hours_planned",
                        "hours_delivered",
                        "absence_hours",
                        "computed_at",
                    ],
                    select,
                )
            )
            written += result.rowcount or 0
    return written
