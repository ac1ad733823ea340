"""A year's invoicing for 100 contracts × 1,000 participants paid by milestones (issue 20).

The data is benchmarks.data's year with benchmarks.milestone_data's terms, exits, claims and
relapses on top. The program is the portal's invoicing as benchmarks.aggregation runs it (a
job per contract, `month_done` after each month); the floor is benchmarks.milestone_floor's
hand-written SQL, which prices the milestones and clawbacks too. Before each month, program
or floor, the claims procurement rejects after payment by the month's end are rejected (not
timed): the invoices read a claim's status as it is when they run. Both must give the same
invoices, lines by kind and totals, to the øre. They run in turns, BENCH_ROUNDS times (3), and
the fastest of each is kept: on a shared machine the floor's few large statements varied from
22 to 58 s on PostgreSQL from one run to the next.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from benchmarks import aggregation, milestone_data, workers
from benchmarks.common import analyze, on_both_databases, result_line
from benchmarks.milestone_floor import floor_month

LINES_BY_ITEM = """
SELECT item, count(*), sum(CAST(round(amount * 100) AS BIGINT)) FROM invoice_line
GROUP BY item ORDER BY item
"""


def make_year(session) -> milestone_data.Milestones:
    """benchmarks.aggregation's year of contracts, paid by milestones. Flushes."""
    from benchmarks.data import make_reports

    contract_ids = make_reports(
        session, aggregation.CONTRACTS, aggregation.PARTICIPANTS, *aggregation.MONTHS
    )
    return milestone_data.add_milestones(session, contract_ids, *aggregation.MONTHS)


def reset(engine, made: milestone_data.Milestones) -> None:
    """No invoices, every report accepted, the claims rejected after payment not yet rejected;
    vacuumed, so that whichever runs next does not wade through the deleted lines' index entries
    (on PostgreSQL they made the next year's lines a third slower)."""
    aggregation._reset(engine)
    with engine.begin() as connection:
        milestone_data.unreject(connection, made)
    analyze(engine, engine.dialect.name)


def year(engine, made, months: list[str], invoice_month) -> float:
    """Seconds `invoice_month(month)` takes over the months, each after that month's rejections."""
    from contracts.rules.periods import parse_month

    seconds = 0.0
    for month in months:
        with engine.begin() as connection:
            milestone_data.reject_late(connection, made, parse_month(month)[1])
        seconds += invoice_month(month)
    return seconds


def program_year(app, engine, made, months: list[str]) -> float:
    return year(engine, made, months, lambda month: aggregation._program(app, [month]))


def floor_year(engine, dialect: str, made, months: list[str]) -> float:
    def one(month: str) -> float:
        started = time.perf_counter()
        with engine.begin() as connection:
            floor_month(connection, dialect, month)
        return time.perf_counter() - started

    return year(engine, made, months, one)


def invoiced(engine) -> str:
    """The invoices' count and total, and the lines' count and sum by kind, in øre."""
    with engine.connect() as connection:
        lines = connection.execute(sa.text(LINES_BY_ITEM)).all()
    return f"{aggregation._check_same(engine)} {[tuple(row) for row in lines]}"


def run_on(app, dialect: str) -> list[str]:
    from contracts.rules.periods import months_between
    from provider_portal.extensions import db

    months = months_between(*aggregation.MONTHS)
    with app.app_context():
        made = make_year(db.session)
        db.session.commit()
        engine = db.engine
        report_lines = db.session.scalar(sa.text("SELECT count(*) FROM report_line"))
    programs, floors = [], []
    for _ in range(workers.ROUNDS):  # in turns, the fastest of each kept (a busy machine)
        reset(engine, made)
        programs.append(program_year(app, engine, made, months))
        program_result = invoiced(engine)
        reset(engine, made)
        floors.append(floor_year(engine, dialect, made, months))
        aggregation._agree(program_result, invoiced(engine))
    program, floor = min(programs), min(floors)
    size = (
        f"{aggregation.CONTRACTS}x{aggregation.PARTICIPANTS}x{len(months)} "
        f"= {report_lines} lines, {made.describe()}"
    )
    return [result_line(f"aggregation year with milestones ({dialect})", size, program, floor)]


def run() -> list[str]:
    return on_both_databases(run_on)
