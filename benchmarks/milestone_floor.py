"""The floor of a month's invoicing with milestones: hand-written set-based SQL, DESIGN.md §9.

benchmarks.aggregation's statements write the invoices and their participants' lines (base
fee, hours, the `start` milestone as the outcome bonus) and the totals; between the lines and
the totals two more price the milestones as contracts.services.milestone_lines does:

- milestone lines: the claims that became payable in the month (the months are invoiced in
  order, so each was not paid before), not rejected, not lapsed by a relapse recorded by then;
- clawback lines: every milestone paid so far (this month's too) whose participant relapsed
  within the contract's clawback days after it (or before it), recorded by the month's end, or
  whose claim was rejected by then; once.

What the portal must also handle and this data never has (credit notes, a bonus paid twice, a
month invoiced again, a participant on two contracts) the floor leaves out, as the month's own
floor does. Amounts in whole øre, as the portal computes them.
"""

from __future__ import annotations

import sqlalchemy as sa

from benchmarks.aggregation import DAYS, FLOOR_HEADERS, FLOOR_LINES, FLOOR_TOTALS

FLOOR_MILESTONES = """
INSERT INTO invoice_line (invoice_id, participant_id, report_line_id, days, base_fee,
                          hours_amount, bonus, amount, item)
SELECT i.id, mc.participant_id, NULL, 0, 0, 0, m.ore / 100.0, m.ore / 100.0, mc.code
FROM milestone_claim mc
JOIN (SELECT contract_id, code, CAST(round(amount * 100) AS BIGINT) AS ore FROM contract_milestone) m
  ON m.contract_id = mc.contract_id AND m.code = mc.code
JOIN invoice i ON i.contract_id = mc.contract_id AND i.month = :month
LEFT JOIN relapse rp ON rp.enrolment_id = mc.enrolment_id AND rp.recorded_on <= :last
WHERE mc.status <> 'rejected' AND mc.payable_on BETWEEN :first AND :last AND m.ore > 0
  AND (rp.id IS NULL OR mc.milestone_on <= rp.relapsed_on)
"""

# Days from the milestone's day to the relapse.
SINCE_MILESTONE = {
    "sqlite": "CAST(julianday(rp.relapsed_on) AS INTEGER) - CAST(julianday({day}) AS INTEGER)",
    "postgresql": "rp.relapsed_on - {day}",
}

FLOOR_CLAWBACKS = """
INSERT INTO invoice_line (invoice_id, participant_id, report_line_id, days, base_fee,
                          hours_amount, bonus, amount, item)
SELECT i.id, x.participant_id, NULL, 0, 0, 0, -x.ore / 100.0, -x.ore / 100.0, x.item
FROM (
  SELECT pi.contract_id, pl.participant_id, CAST(round(pl.bonus * 100) AS BIGINT) AS ore,
         'clawback_' || CASE WHEN pl.item = 'month' THEN 'start' ELSE pl.item END AS item
  FROM invoice_line pl
  JOIN invoice pi ON pi.id = pl.invoice_id
  JOIN contract c ON c.id = pi.contract_id
  LEFT JOIN report_line rl ON pl.item = 'month' AND rl.id = pl.report_line_id
  LEFT JOIN milestone_claim mc
    ON mc.contract_id = pi.contract_id AND mc.participant_id = pl.participant_id
       AND mc.code = pl.item
  LEFT JOIN relapse rp
    ON rp.contract_id = pi.contract_id AND rp.participant_id = pl.participant_id
       AND rp.recorded_on <= :last
  WHERE pl.participant_id IN (
      SELECT participant_id FROM relapse WHERE recorded_on <= :last
      UNION SELECT participant_id FROM milestone_claim
      WHERE status = 'rejected' AND decided_on <= :last)
    AND pl.item IN ('month', 'week13', 'week26') AND pl.bonus > 0
    AND ((mc.status = 'rejected' AND mc.decided_on <= :last)
         OR {since} <= coalesce(c.clawback_days, -1))
) x
JOIN invoice i ON i.contract_id = x.contract_id AND i.month = :month
WHERE NOT EXISTS (
  SELECT 1 FROM invoice_line t JOIN invoice ti ON ti.id = t.invoice_id
  WHERE ti.contract_id = x.contract_id AND t.participant_id = x.participant_id AND t.item = x.item)
"""

_TYPES = {
    "first": sa.Date(),
    "last": sa.Date(),
    "now": sa.DateTime(timezone=True),
}


def _statement(sql: str) -> sa.TextClause:
    """The SQL with its dates bound as dates (SQLite then gets them as the portal stores them)."""
    return sa.text(sql).bindparams(
        *(sa.bindparam(name, type_=kind) for name, kind in _TYPES.items() if f":{name}" in sql)
    )


def statements(dialect: str) -> list[sa.TextClause]:
    """A month's statements in order: invoices, participants' lines, milestones, clawbacks,
    totals."""
    day = "CASE WHEN pl.item = 'month' THEN rl.exit_on ELSE mc.milestone_on END"
    since = SINCE_MILESTONE[dialect].format(day=day)
    return [
        _statement(sql)
        for sql in (
            FLOOR_HEADERS,
            FLOOR_LINES.format(days=DAYS[dialect]),
            FLOOR_MILESTONES,
            FLOOR_CLAWBACKS.format(since=since),
            FLOOR_TOTALS,
        )
    ]


def floor_month(connection, dialect: str, month: str) -> None:
    """Invoice the month's accepted reports with the floor's statements (the caller commits)."""
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
    for statement in statements(dialect):
        connection.execute(statement, params)
