"""A stored report's lines as the provider sent them, each with its participant, in one query."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..models import ReportLine


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
