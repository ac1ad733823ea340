"""A month of benchmark contracts paid by milestones, for the fault tests (issue 20).

24 contracts (the second and the last large, so that a kill can land while their jobs run)
with reports from January to July 2019 and benchmarks.milestone_data's terms, exits, claims and
relapses; January to June are invoiced in-process beforehand, so July pays week-13 and week-26
milestones and takes back milestones paid in earlier months. What July's invoices must be is
computed independently by the benchmark's hand-written floor SQL (benchmarks.milestone_floor),
run on the same database in a transaction that is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from benchmarks import milestone_data
from benchmarks.milestone_floor import floor_month
from benchmarks.milestones import program_year
from contracts.rules.periods import months_between, parse_month
from provider_portal.extensions import db
from tests.jobs.mid_month_kill import kill_test_contracts

FIRST, MONTH = "2019-01", "2019-07"
JULY_ENDED = date(2019, 8, 5)
SMALL, LARGE = 150, 4_000
LEAVING = 0.3

# July's lines other than the participants' months: milestones paid and taken back.
MILESTONE_LINES = """
SELECT i.contract_id, l.participant_id, l.item, CAST(round(l.amount * 100) AS BIGINT)
FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
WHERE i.month = :month AND l.item <> 'month'
ORDER BY 1, 2, 3
"""
TOTALS = "SELECT contract_id, CAST(round(total * 100) AS BIGINT) FROM invoice WHERE month = :month"
LINES = (
    "SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id"
    " WHERE i.month = :month"
)


@dataclass
class July:
    """What July's invoices must be: each contract's total (øre), the milestone and clawback
    lines (contract, participant, item, øre), and how many lines in all."""

    totals: dict[int, int]
    milestone_lines: list[tuple[int, int, str, int]]
    lines: int


def make_milestone_months(app) -> list[int]:
    """The contracts (in the order their jobs are enqueued), January to June invoiced, the
    claims rejected after payment by July's end rejected. Returns the contract ids."""
    months = months_between(FIRST, MONTH)
    with app.app_context():
        ids = kill_test_contracts(db.session, FIRST, MONTH, SMALL, LARGE)
        made = milestone_data.add_milestones(db.session, ids, FIRST, MONTH, leaving=LEAVING)
        db.session.commit()
        engine = db.engine
    program_year(app, engine, made, months[:-1])
    with engine.begin() as connection:
        milestone_data.reject_late(connection, made, parse_month(MONTH)[1])
    return ids


def invoiced_july(connection) -> July:
    month = {"month": MONTH}
    return July(
        totals=dict(connection.execute(sa.text(TOTALS), month).all()),
        milestone_lines=[tuple(row) for row in connection.execute(sa.text(MILESTONE_LINES), month)],
        lines=connection.execute(sa.text(LINES), month).scalar_one(),
    )


def expected_july(app) -> July:
    """July invoiced by the floor's SQL, read, and rolled back."""
    with app.app_context():
        engine = db.engine
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            floor_month(connection, engine.dialect.name, MONTH)
            return invoiced_july(connection)
        finally:
            transaction.rollback()
