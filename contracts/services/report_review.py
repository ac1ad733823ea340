"""The reviewer's aids beside a submitted report (issue 12): what procurement reads before it
accepts. A fixed number of statements however many lines the report has.

- `differences`: for a correction, the report against the version it replaces
  (`report_differences`).
- `last_month`: the contract's figures for the month before, from the stored monthly scores
  when that month is aggregated, else from that month's accepted report's lines, counted as
  the scores count them (`scoring.effective_lines`); `source` says which.
- `flags`: each line's flags (`rules.review_flags`), with the enrolled days the invoice counts
  and the month's absence notices (`notices.absence_hours_by_participant`). `flag_counts` are
  counted in SQL over all lines, by the same comparisons in whole hundredths, so a large
  report's page flags only the lines it shows (issue 16) and still counts them all.
- `disappeared`: participants active on last month's accepted report who have no line now.
  The report's check lets no enrolled participant out, so each has an enrolment that ended
  before this month without an exit line: moved to a successor contract (`transferred`, told
  as such) or ended otherwise (by procurement, or by an exit dated last month that last
  month's report did not carry): these are the ones to look into.
- `invoice_preview.preview`: what it will invoice.
- `follow_ups`: the milestones its follow-up lines claim (`report_claims`), made on acceptance.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import Contract, Enrolment, MonthlyReport, Notice, Participant, ReportLine
from ..rules.exits import BENEFIT_STOPPED_EXITS, OTHER_EXITS, POSITIVE_EXITS, TRANSFERRED
from ..rules.periods import Month, parse_month
from ..rules.report_follow_ups import FollowUp
from ..rules.review_flags import FLAG_KINDS, NEAR_CEILING_SHARE, Flag, line_flags
from ..rules.scoring import Figures
from . import score_tables
from .invoice_preview import InvoicePreview, preview
from .invoicing import priced_lines, pricing_parameters
from .notices import absence_hours_by_participant
from .report_claims import stored_follow_ups
from .report_differences import Differences, Line, differences, review_lines
from .report_versions import newest_counted_version
from .scoring import effective_lines
from .sql import count_where, decimal_from_hundredths, hundredths, sum_hundredths


@dataclass(frozen=True)
class LastMonth:
    month: Month
    source: str | None  # "scores", "report" or None (nothing accepted for that month)
    figures: Figures | None
    version: int | None = None


@dataclass(frozen=True)
class Gone:
    """A participant active on last month's report and without a line now."""

    ref: str
    ended_on: date | None
    end_reason: str | None

    @property
    def transferred(self) -> bool:
        return self.end_reason == TRANSFERRED


@dataclass(frozen=True)
class Review:
    report: MonthlyReport
    differences: Differences | None
    last_month: LastMonth
    flags: list[tuple[Line, list[Flag]]]
    disappeared: list[Gone]
    invoice: InvoicePreview
    absence_notices: int  # how many participants have absence notices in the month
    # How many of all the report's lines have each kind of flag, every kind named.
    flag_counts: dict[str, int] = field(default_factory=dict)
    # The milestones the report's follow-up lines claim: made when it is accepted.
    follow_ups: list[FollowUp] = field(default_factory=list)


def last_month(session: Session, contract_id: int, month: str) -> LastMonth:
    """The contract's figures for the month before `month` (see the module)."""
    previous = Month.parse(month).previous()
    stored = score_tables.figures(session, "contract", contract_id, previous, cumulative=False)
    if stored is not None:
        return LastMonth(previous, "scores", stored)
    lines = effective_lines(previous, only_month=True)
    exited = lines.c.status == "exited"
    row = session.execute(
        sa.select(
            sa.func.count(sa.distinct(lines.c.participant_id)),
            count_where(lines.c.status == "active"),
            count_where(exited),
            count_where(sa.and_(exited, lines.c.exit_reason.in_(POSITIVE_EXITS))),
            count_where(sa.and_(exited, lines.c.exit_reason.in_(BENEFIT_STOPPED_EXITS))),
            count_where(sa.and_(exited, lines.c.exit_reason.in_(OTHER_EXITS))),
            sum_hundredths(lines.c.hours_planned),
            sum_hundredths(lines.c.hours_delivered),
            sum_hundredths(sa.func.coalesce(lines.c.absence_hours, 0)),
        ).where(lines.c.contract_id == contract_id)
    ).one()
    if not row[0]:
        return LastMonth(previous, None, None)
    participants, active, exits, positive, stopped, other = (int(v) for v in row[:6])
    return LastMonth(
        previous,
        "report",
        Figures(
            participants=participants,
            active_end=active,
            exits=exits,
            positive=positive,
            benefit_stopped=stopped,
            other=other,
            hours_planned=decimal_from_hundredths(row[6]),
            hours_delivered=decimal_from_hundredths(row[7]),
            absence_hours=decimal_from_hundredths(row[8]),
        ),
    )


def disappeared(session: Session, report: MonthlyReport) -> list[Gone]:
    """Participants active on last month's accepted report with no line on this one."""
    previous = Month.parse(report.month).previous()
    last_report = (
        newest_counted_version(report.contract_id, previous)
        .with_only_columns(MonthlyReport.id)
        .scalar_subquery()
    )
    now = aliased(ReportLine)
    rows = session.execute(
        sa.select(Participant.ref, Enrolment.end_on, Enrolment.end_reason)
        .select_from(ReportLine)
        .join(Participant, Participant.id == ReportLine.participant_id)
        .join(Enrolment, Enrolment.id == ReportLine.enrolment_id)
        .where(
            ReportLine.report_id == last_report,
            ReportLine.status == "active",
            ~sa.select(now.id)
            .where(now.report_id == report.id, now.participant_id == ReportLine.participant_id)
            .exists(),
        )
        .order_by(Participant.ref)
    ).all()
    return [Gone(*row) for row in rows]


def flag_counts(
    session: Session, report: MonthlyReport, weekly: Decimal, notified: bool
) -> dict[str, int]:
    """How many of the report's lines have each kind of flag, in one statement: `line_flags`'s
    comparisons in whole hundredths (near the ceiling: hours × 7 ≥ 0.95 × weekly × days is
    700 × hours ≥ 95 × weekly × days), the days those the invoice counts; the absence is compared
    only in a month with any absence notice (`notified`)."""
    first, last = parse_month(report.month)
    priced = priced_lines().subquery()
    told = (
        sa.select(Notice.participant_id, sum_hundredths(Notice.hours_missed).label("hours"))
        .where(
            Notice.contract_id == report.contract_id,
            Notice.kind == "absence",
            Notice.on.between(first, last),
        )
        .group_by(Notice.participant_id)
        .subquery()
    )
    planned, delivered = (
        hundredths(ReportLine.hours_planned),
        hundredths(ReportLine.hours_delivered),
    )
    days = sa.func.coalesce(priced.c.days, 0)
    ceiling = int(NEAR_CEILING_SHARE * 100) * int(weekly * 100) * days

    def near(hours):
        return sa.and_(days > 0, hours > 0, hours * 700 >= ceiling)

    absent = sa.func.coalesce(hundredths(ReportLine.absence_hours), 0)
    row = session.execute(
        sa.select(
            count_where(delivered > planned),
            count_where(sa.or_(near(planned), near(delivered))),
            count_where(absent != sa.func.coalesce(told.c.hours, 0) if notified else sa.false()),
        )
        .select_from(ReportLine)
        .outerjoin(priced, priced.c.report_line_id == ReportLine.id)
        .outerjoin(told, told.c.participant_id == ReportLine.participant_id)
        .where(ReportLine.report_id == report.id),
        pricing_parameters(report),
    ).one()
    return dict(zip(FLAG_KINDS, (int(count) for count in row), strict=True))


def review(
    session: Session,
    report: MonthlyReport,
    contract: Contract,
    shown: Collection[int] | None = None,
) -> Review:
    """Every aid for the report, which the caller found through what its viewer may see. The
    lines' flags and prices are of the lines `shown` (ids; None: all), a page of a large
    report's; every figure and count is of all lines."""
    lines = review_lines(session, report.id, shown)
    invoice = preview(session, report, contract, shown)
    notified = absence_hours_by_participant(session, contract.id, report.month)
    weekly = contract.programme.weekly_hours_ceiling
    flagged = []
    for line in lines:
        priced = invoice.lines.get(line.report_line_id)
        flags = line_flags(
            hours_planned=line.hours_planned,
            hours_delivered=line.hours_delivered,
            absence_hours=line.absence_hours,
            days=priced.days if priced else 0,
            weekly=weekly,
            # A month without any absence notice has nothing to compare with: no flag.
            notified_absence=notified.get(line.ref, Decimal(0)) if notified else None,
        )
        if flags:
            flagged.append((line, flags))
    return Review(
        report=report,
        differences=differences(session, report, shown),
        last_month=last_month(session, contract.id, report.month),
        flags=flagged,
        disappeared=disappeared(session, report),
        invoice=invoice,
        absence_notices=len(notified),
        flag_counts=flag_counts(session, report, weekly, bool(notified)),
        follow_ups=stored_follow_ups(session, report.id),
    )
