"""Many rows into one table in one statement: a month's report lines (a thousand for a large
provider), stored on every upload.

On PostgreSQL the rows go as one array a column, unnested by the server: `INSERT ... SELECT
FROM unnest(...)`. An executemany sends a thousand statements through the pipeline instead, and
took 80 to 105 ms of the database's time for 1,000 report lines where this takes 33 to 58 ms
(issue 16: uploads under load). Elsewhere (SQLite, in process) executemany is already cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: sa.Table, rows: Sequence[Mapping]) -> None:
    """Insert `rows` (dicts of the same columns) into `table`, in the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), list(rows))
        return
    dialect = session.get_bind().dialect
    columns = [table.c[name] for name in rows[0]]
    arrays = ", ".join(f"CAST(:{c.name} AS {c.type.compile(dialect=dialect)}[])" for c in columns)
    names = ", ".join(c.name for c in columns)
    # The names and types are the table's own (metadata), never input; the values are bound.
    statement = sa.text(
        f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})"  # nosec B608
    )
    session.execute(statement, {c.name: [row[c.name] for row in rows] for c in columns})
