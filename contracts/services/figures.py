"""The effort's headline figures up to a day, counted in the database from accepted reports.

What counts (DESIGN.md §4 and §7):
- Only reports that procurement has accepted (or that are invoiced) count, and of a contract's
  month only the newest such version, so a correction replaces the lines it corrects.
- `participants`: distinct citizens with a counted report line in a month up to the day's
  month, whose enrolment started on or before the day.
- `exits`: counted lines with status `exited` and an exit date on or before the day, split
  into positive (job, education), benefit stopped, and other (imprisonment, death, moved,
  other). A transfer to a successor contract ends an enrolment but never appears as an exit
  line, so it is never an exit.
- `active`: counted participants with an enrolment running at the end of the day (started on
  or before it; open, ending after it, or handed over by a transfer on that very day) for which
  no counted exit line falls on or before the day. One who exits on the day is an exit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import Enrolment, MonthlyReport, ReportLine
from ..rules.exits import BENEFIT_STOPPED_EXITS, OTHER_EXITS, POSITIVE_EXITS, TRANSFERRED
from ..rules.periods import month_of
from .report_versions import is_version_in, newest_counted_versions


@dataclass(frozen=True)
class EffortTotals:
    """Counts of citizens and exits for a scope up to a day."""

    participants: int
    active: int
    exits: int
    positive: int
    benefit_stopped: int
    other: int


def counted_reports(up_to: date, contract_ids: Iterable[int] | None = None) -> sa.Select:
    """Ids of the reports whose lines count up to a day: the newest accepted version per month."""
    month = month_of(up_to)
    conditions = [MonthlyReport.month <= month]
    if contract_ids is not None:
        conditions.append(MonthlyReport.contract_id.in_(list(contract_ids)))
    newest = newest_counted_versions(*conditions)
    return sa.select(MonthlyReport.id).join(newest, is_version_in(newest))


def effort_totals(
    session: Session, up_to: date, contract_ids: Iterable[int] | None = None
) -> EffortTotals:
    """Participants, active and exits (by category) up to and including a day.

    `contract_ids` narrows the figures to those contracts (the caller scopes by viewer);
    None means every contract. Two aggregate queries, the same on SQLite and PostgreSQL.
    """
    if contract_ids is not None:
        contract_ids = list(contract_ids)
    reports = counted_reports(up_to, contract_ids)
    is_exit = sa.and_(ReportLine.status == "exited", ReportLine.exit_on <= up_to)

    def exits_in(reasons: tuple[str, ...]):
        counts = sa.case((sa.and_(is_exit, ReportLine.exit_reason.in_(reasons)), 1), else_=0)
        return sa.func.coalesce(sa.func.sum(counts), 0)

    # Aliased so that, used inside the active query below, it never reads the outer enrolment.
    line_enrolment = aliased(Enrolment)
    counted_lines = (
        sa.select(ReportLine.participant_id)
        .join(line_enrolment, line_enrolment.id == ReportLine.enrolment_id)
        .where(ReportLine.report_id.in_(reports), line_enrolment.start_on <= up_to)
    )
    participants, positive, benefit_stopped, other = session.execute(
        counted_lines.with_only_columns(
            sa.func.count(sa.distinct(ReportLine.participant_id)),
            exits_in(POSITIVE_EXITS),
            exits_in(BENEFIT_STOPPED_EXITS),
            exits_in(OTHER_EXITS),
        )
    ).one()

    exit_line = aliased(ReportLine)
    running = sa.and_(
        Enrolment.start_on <= up_to,
        sa.or_(
            Enrolment.end_on.is_(None),
            Enrolment.end_on > up_to,
            sa.and_(Enrolment.end_on == up_to, Enrolment.end_reason == TRANSFERRED),
        ),
    )
    active_query = sa.select(sa.func.count(sa.distinct(Enrolment.participant_id))).where(
        running,
        Enrolment.participant_id.in_(counted_lines),
        ~sa.exists().where(
            exit_line.enrolment_id == Enrolment.id,
            exit_line.report_id.in_(reports),
            exit_line.status == "exited",
            exit_line.exit_on <= up_to,
        ),
    )
    if contract_ids is not None:
        active_query = active_query.where(Enrolment.contract_id.in_(contract_ids))
    active = session.scalar(active_query)
    return EffortTotals(
        participants=participants,
        active=active,
        exits=positive + benefit_stopped + other,
        positive=positive,
        benefit_stopped=benefit_stopped,
        other=other,
    )
