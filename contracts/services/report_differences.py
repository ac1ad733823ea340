"""A correction against the version it replaces (the newest accepted or invoiced version before
it), line by line by participant: added, removed, and changed fields (old → new); unchanged lines
are only counted. A line without absence hours and one with 0 say the same and are not a change.

However many lines the report has, the page costs the same (issue 16): the four counts are of
all lines, in one statement comparing the two versions in SQL (hours in whole hundredths, exact on
SQLite too); the added and changed lines are listed for the lines the page shows (a large
report's page, as the flags), and the removed lines, which are on no page of the correction, up to
`REMOVED_LISTED` in the order of the version before.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import MonthlyReport, Participant, ReportLine
from .paging import PER_PAGE
from .report_lines import HOUR_FIELDS, LINE_FIELDS, STATE_FIELDS
from .report_versions import newest_counted_version
from .sql import count_where, hundredths

# A correction removing more lines than a page's is one to ask about, not to read line by line:
# the rest are counted.
REMOVED_LISTED = PER_PAGE


@dataclass(frozen=True)
class Line:
    """A report line as the reviewer compares it."""

    report_line_id: int
    position: int
    ref: str
    hours_planned: Decimal
    hours_delivered: Decimal
    absence_hours: Decimal | None
    status: str
    exit_on: date | None
    exit_reason: str | None

    def value(self, name: str):
        value = getattr(self, name)
        return Decimal(0) if name == "absence_hours" and value is None else value


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Counts:
    """Of all the correction's lines, and of all the version before's."""

    added: int
    removed: int
    changed: int
    unchanged: int


@dataclass(frozen=True)
class Differences:
    """A correction against the version before it."""

    before_version: int
    counts: Counts
    added: list[Line]  # of the lines shown
    removed: list[Line]  # the first REMOVED_LISTED
    changed: list[tuple[Line, list[Change]]]  # of the lines shown

    @property
    def any(self) -> bool:
        return bool(self.counts.added or self.counts.removed or self.counts.changed)

    @property
    def removed_unlisted(self) -> int:
        return self.counts.removed - len(self.removed)


def _columns(line) -> tuple:
    return (line.id, line.position, Participant.ref, *(getattr(line, name) for name in LINE_FIELDS))


def review_lines(
    session: Session, report_id: int, shown: Collection[int] | None = None
) -> list[Line]:
    """The report's lines in the order sent: those `shown` (ids; None: all)."""
    rows = session.execute(
        sa.select(*_columns(ReportLine))
        .join(Participant, Participant.id == ReportLine.participant_id)
        .where(
            ReportLine.report_id == report_id,
            sa.true() if shown is None else ReportLine.id.in_(list(shown)),
        )
        .order_by(ReportLine.position)
    ).all()
    return [Line(*row) for row in rows]


def _version_before(session: Session, report: MonthlyReport) -> MonthlyReport | None:
    """The newest accepted or invoiced version before this one: what a correction replaces."""
    return session.scalar(
        newest_counted_version(report.contract_id, report.month).where(
            MonthlyReport.version < report.version
        )
    )


def _differs(new, old) -> sa.ColumnElement[bool]:
    """Whether two lines of one participant differ in any compared field, as `Line.value` does."""

    def centi(line, name):
        return sa.func.coalesce(hundredths(getattr(line, name)), 0)

    return sa.or_(
        *(centi(new, name) != centi(old, name) for name in HOUR_FIELDS),
        *(getattr(new, name).is_distinct_from(getattr(old, name)) for name in STATE_FIELDS),
    )


def differences(
    session: Session, report: MonthlyReport, shown: Collection[int] | None = None
) -> Differences | None:
    """The report against the version it corrects; None for a first version. Added and changed
    lines are listed of those `shown` (ids; None: all); every count is of all lines."""
    before = _version_before(session, report) if report.version > 1 else None
    if before is None:
        return None
    new, old = aliased(ReportLine), aliased(ReportLine)
    matched = sa.and_(old.report_id == before.id, old.participant_id == new.participant_id)
    before_total = (
        sa.select(sa.func.count()).where(ReportLine.report_id == before.id).scalar_subquery()
    )
    total, added, changed, before_lines = session.execute(
        sa.select(
            sa.func.count(new.id),
            count_where(old.id.is_(None)),
            count_where(sa.and_(old.id.is_not(None), _differs(new, old))),
            before_total,
        )
        .select_from(new)
        .outerjoin(old, matched)
        .where(new.report_id == report.id)
    ).one()
    counts = Counts(
        added=int(added),
        removed=int(before_lines) - (int(total) - int(added)),
        changed=int(changed),
        unchanged=int(total) - int(added) - int(changed),
    )
    rows = session.execute(
        sa.select(*_columns(new), old.id, *(getattr(old, name) for name in LINE_FIELDS))
        .join(Participant, Participant.id == new.participant_id)
        .outerjoin(old, matched)
        .where(
            new.report_id == report.id,
            sa.true() if shown is None else new.id.in_(list(shown)),
            sa.or_(old.id.is_(None), _differs(new, old)),
        )
        .order_by(new.position)
    ).all()
    listed_added, listed_changed = [], []
    width = 3 + len(LINE_FIELDS)
    for row in rows:
        line = Line(*row[:width])
        if row[width] is None:
            listed_added.append(line)
            continue
        was = Line(row[width], 0, line.ref, *row[width + 1 :])
        listed_changed.append(
            (
                line,
                [
                    Change(name, was.value(name), line.value(name))
                    for name in LINE_FIELDS
                    if was.value(name) != line.value(name)
                ],
            )
        )
    kept = sa.select(new.id).where(new.report_id == report.id, matched).exists()
    removed = session.execute(
        sa.select(*_columns(old))
        .join(Participant, Participant.id == old.participant_id)
        .where(old.report_id == before.id, ~kept)
        .order_by(old.position)
        .limit(REMOVED_LISTED)
    ).all()
    return Differences(
        before.version, counts, listed_added, [Line(*row) for row in removed], listed_changed
    )
