"""A stored report's lines as the provider sent them, each with its participant, in one query."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..models import Participant, ReportLine


def stored_lines(session: Session, report_id: int) -> list[ReportLine]:
    """The report's lines in the order sent, their participants joined in (one statement, any length).

    The caller has found the report through what the viewer may see.
    """
    return list(
        session.scalars(
            sa.select(ReportLine)
            .where(ReportLine.report_id == report_id)
            .options(joinedload(ReportLine.participant))
            .order_by(ReportLine.position)
        )
    )


def stored_exits(session: Session, report_id: int) -> dict[str, tuple[date, str]]:
    """The exits the report's lines give: participant reference → (day, reason), a line that
    exits without both left out. Rows, not entities: a report may have a thousand lines, few of
    them exits. The caller has found the report through what the viewer may see."""
    rows = session.execute(
        sa.select(Participant.ref, ReportLine.exit_on, ReportLine.exit_reason)
        .join(Participant, Participant.id == ReportLine.participant_id)
        .where(ReportLine.report_id == report_id, ReportLine.status == "exited")
        .order_by(ReportLine.position)
    ).all()
    return {ref: (day, reason) for ref, day, reason in rows if day and reason}


# The values sent for a line, in the report's column order: its hours, then where it stands.
HOUR_FIELDS = ("hours_planned", "hours_delivered", "absence_hours")
STATE_FIELDS = ("status", "exit_on", "exit_reason")
LINE_FIELDS = HOUR_FIELDS + STATE_FIELDS
# A line's participant reference and those values.
LINE_VALUES = (Participant.ref, *(getattr(ReportLine, name) for name in LINE_FIELDS))


def stored_values(session: Session, report_id: int) -> dict[str, sa.Row]:
    """The values of the report's lines by participant reference (hours, status, exit), as
    rows: the web form prefills a thousand lines from them, and entities with their
    participants took most of its time. The caller has found the report through what the
    viewer may see."""
    rows = session.execute(
        sa.select(*LINE_VALUES)
        .join(Participant, Participant.id == ReportLine.participant_id)
        .where(ReportLine.report_id == report_id)
    ).all()
    return {row.ref: row for row in rows}
