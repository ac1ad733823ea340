"""A report's lines stored in one statement (contracts/services/bulk.py, an array a column on
PostgreSQL): every value is stored as given, hours to the øre-like hundredth, an empty exit as
empty, and the lines belong to the transaction, so a refusal after them leaves nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from contracts.models import MonthlyReport, ReportLine
from contracts.services.bulk import insert_rows
from provider_portal.extensions import db
from tests.scenarios import sample_scenario

REFS = [f"DL-{n:05d}" for n in range(1, 301)]


def _rows(report_id: int, found) -> list[dict]:
    rows = []
    for position, ref in enumerate(REFS, start=1):
        exited = position % 7 == 0
        rows.append(
            {
                "report_id": report_id,
                "position": position,
                "participant_id": found.participant_ids[ref],
                "enrolment_id": found.enrolment_ids[ref],
                "hours_planned": Decimal("148.00") - position % 30,
                "hours_delivered": Decimal("120.55") - Decimal(position % 13) / 100,
                "absence_hours": None if position % 5 else Decimal("0.25"),
                "status": "exited" if exited else "active",
                "exit_on": date(2019, 1, 1 + position % 28) if exited else None,
                "exit_reason": "job" if exited else None,
            }
        )
    return rows


def _stored(report_id: int) -> list[dict]:
    table = ReportLine.__table__
    found = db.session.execute(
        sa.select(table).where(table.c.report_id == report_id).order_by(table.c.position)
    ).mappings()
    return [{k: v for k, v in row.items() if k != "id"} for row in found]


def _report_lines() -> tuple[int, list[dict]]:
    """A committed report of REFS's contract and the lines to store in it."""
    found = sample_scenario(db.session, refs=REFS)
    report = MonthlyReport(contract_id=found.contract_id, month="2019-01", version=1)
    db.session.add(report)
    db.session.commit()
    return report.id, _rows(report.id, found)


def test_the_lines_are_stored_as_given_on_both_databases(any_app):
    with any_app.app_context():
        report_id, rows = _report_lines()
        insert_rows(db.session, ReportLine.__table__, rows)
        db.session.commit()
        stored = _stored(report_id)
        assert stored == rows
        assert isinstance(stored[0]["hours_delivered"], Decimal)


def test_lines_inserted_then_rolled_back_leave_nothing(any_app):
    with any_app.app_context():
        report_id, rows = _report_lines()
        insert_rows(db.session, ReportLine.__table__, rows)
        db.session.rollback()
        assert _stored(report_id) == []


def test_nothing_to_insert_sends_nothing(any_app):
    with any_app.app_context():
        statements = []

        def sent(_connection, _cursor, statement, *_rest):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", sent)
        try:
            insert_rows(db.session, ReportLine.__table__, [])
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", sent)
        assert statements == []
