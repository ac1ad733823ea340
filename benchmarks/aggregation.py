"""A month's invoicing for 100 contracts × 1,000 participants, and a whole year of them.

The program is the portal's own invoicing (`invoice_contract_month` per contract and
`month_done` after each month, as the workers run them, without the queue and on one
connection); the floor is one hand-written INSERT … SELECT writing
the same invoice lines and one UPDATE writing the same totals, in one transaction. Both run
on SQLite and PostgreSQL; the year (1.2 million report lines) shows whether the time per
line stays flat as the data grows. The month is then run again on real workers
(benchmarks.workers: one on SQLite, 1, 2 and 4 on PostgreSQL), to show what the queue adds.
"""

from __future__ import annotations

import os
import time

import sqlalchemy as sa

from benchmarks import workers
from benchmarks.common import analyze, result_line

CONTRACTS = int(os.environ.get("BENCH_CONTRACTS", 100))
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", 1000))
MONTHS = ("2019-01", "2019-12")

DAYS = {
    "sqlite": "(CAST(julianday(min(coalesce(rl.exit_on, e.end_on, :last), :last)) AS INTEGER)"
    " - CAST(julianday(max(e.start_on, :first)) AS INTEGER) + 1)",
    "postgresql": "(LEAST(coalesce(rl.exit_on, e.end_on, :last), :last)"
    " - GREATEST(e.start_on, :first) + 1)",
}

FLOOR_HEADERS = """
INSERT INTO invoice (kind, contract_id, month, version, report_id, status, vat_rate, net, vat, total,
                     exceeds_ceiling, created_at)
SELECT 'invoice', r.contract_id, r.month, r.version, r.id, 'draft', c.vat_rate, 0, 0, 0, false, :now
FROM monthly_report r JOIN contract c ON c.id = r.contract_id
WHERE r.month = :month AND r.status = 'accepted'
"""

FLOOR_LINES = """
INSERT INTO invoice_line (invoice_id, participant_id, report_line_id, days, base_fee, hours_amount,
                          bonus, amount)
SELECT i.id, p.participant_id, p.id, p.days, p.base / 100.0, p.hours / 100.0, p.bonus / 100.0,
       (p.base + p.hours + p.bonus) / 100.0
FROM (
  SELECT rl.id, rl.participant_id, r.id AS report_id, {days} AS days,
    (CAST(round(c.monthly_fee * 100) AS BIGINT) * {days} * 2 + :dim) / (2 * :dim) AS base,
    (CAST(round(c.hourly_rate * 100) AS BIGINT) * CAST(round(rl.hours_delivered * 100) AS BIGINT) * 2 + 100)
      / 200 AS hours,
    CASE WHEN rl.exit_reason IN ('job', 'education') THEN CAST(round(c.outcome_bonus * 100) AS BIGINT)
         ELSE 0 END AS bonus
  FROM report_line rl JOIN monthly_report r ON r.id = rl.report_id
  JOIN enrolment e ON e.id = rl.enrolment_id JOIN contract c ON c.id = r.contract_id
  WHERE r.month = :month AND r.status = 'accepted'
) p JOIN invoice i ON i.report_id = p.report_id
"""

FLOOR_TOTALS = """
UPDATE invoice SET
  net = t.n / 100.0,
  vat = ((t.n * CAST(round(invoice.vat_rate * 10000) AS BIGINT) * 2 + 10000) / 20000) / 100.0,
  total = (t.n + (t.n * CAST(round(invoice.vat_rate * 10000) AS BIGINT) * 2 + 10000) / 20000) / 100.0
FROM (SELECT invoice_id, CAST(sum(CAST(round(amount * 100) AS BIGINT)) AS BIGINT) AS n
      FROM invoice_line WHERE invoice_id IN (SELECT id FROM invoice WHERE month = :month)
      GROUP BY invoice_id) t
WHERE t.invoice_id = invoice.id AND invoice.month = :month
"""


def _floor_month(connection, dialect: str, month: str) -> None:
    from contracts.models import utcnow
    from contracts.rules.periods import parse_month

    first, last = parse_month(month)
    params = {
        "month": month,
        "first": first,
        "last": last,
        "dim": (last - first).days + 1,
        "now": utcnow(),
    }
    connection.execute(sa.text(FLOOR_HEADERS), params)
    connection.execute(sa.text(FLOOR_LINES.format(days=DAYS[dialect])), params)
    connection.execute(sa.text(FLOOR_TOTALS), params)


def _reset(engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM invoice_line"))
        connection.execute(sa.text("DELETE FROM invoice"))
        connection.execute(sa.text("UPDATE monthly_report SET status = 'accepted'"))
        connection.execute(sa.text("DELETE FROM audit_event"))


def _program(app, months: list[str]) -> float:
    from contracts.services import invoicing
    from provider_portal.extensions import db

    with app.app_context():
        started = time.perf_counter()
        for month in months:
            for contract_id in invoicing.accepted_contract_ids(db.session, month):
                invoicing.invoice_contract_month(db.session, contract_id, month)
                db.session.commit()  # one job per contract, one commit each, as on the workers
            invoicing.month_done(db.session)  # what the month's last job does besides the scores
            db.session.commit()
        return time.perf_counter() - started


def _floor(engine, dialect: str, months: list[str]) -> float:
    started = time.perf_counter()
    with engine.begin() as connection:
        for month in months:
            _floor_month(connection, dialect, month)
    return time.perf_counter() - started


def _check_same(engine) -> str:
    with engine.connect() as connection:
        return str(
            connection.execute(
                sa.text("SELECT count(*), sum(CAST(round(total * 100) AS BIGINT)) FROM invoice")
            ).one()
        )


def run_on(app, dialect: str) -> list[str]:
    from benchmarks.data import make_reports
    from contracts.rules.periods import months_between
    from provider_portal.extensions import db

    months = months_between(*MONTHS)
    with app.app_context():
        make_reports(db.session, CONTRACTS, PARTICIPANTS, *MONTHS)
        db.session.commit()
        engine = db.engine
        analyze(engine, dialect)
    lines = []
    per_line, floors, results = {}, {}, {}
    for label, chosen in (("month", months[:1]), ("year", months)):
        size = CONTRACTS * PARTICIPANTS * len(chosen)
        _reset(engine)
        program = _program(app, chosen)
        program_result = _check_same(engine)
        _reset(engine)
        floors[label] = _floor(engine, dialect, chosen)
        results[label] = _check_same(engine)
        _agree(program_result, results[label])
        per_line[label] = program / size
        lines.append(
            result_line(
                f"aggregation {label} ({dialect})", _size(len(chosen)), program, floors[label]
            )
        )
    lines.append(
        f"aggregation per-line time year/month ({dialect}): "
        f"ratio={per_line['year'] / per_line['month']:.2f}"
    )
    lines += workers.run_on(
        app,
        dialect,
        months[0],
        _size(1),
        reset=lambda: _reset(engine),
        bare_sql=lambda: _floor(engine, dialect, months[:1]),
        counts=workers.WORKERS if dialect == "postgresql" else (1,),
    )
    _agree(_check_same(engine), results["month"])
    return lines


def _size(months: int) -> str:
    return f"{CONTRACTS}x{PARTICIPANTS}x{months} = {CONTRACTS * PARTICIPANTS * months} lines"


def _agree(program_result: str, floor_result: str) -> None:
    if program_result != floor_result:
        raise AssertionError(f"program and floor disagree: {program_result} vs {floor_result}")


def run() -> list[str]:
    from benchmarks.common import postgres_app, sqlite_app

    out = []
    with sqlite_app() as (app, _):
        out += run_on(app, "sqlite")
    with postgres_app() as app:
        out += run_on(app, "postgresql")
    return out
