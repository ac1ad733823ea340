"""Count the SQL statements an app sends, to show that a call's cost does not grow with its data."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from provider_portal.extensions import db


@contextmanager
def statements(app):
    """The SQL statements the app sends while the block runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # A token's last use is written at most once a minute, on whichever call comes first:
        # not part of what the call itself costs.
        if not statement.lstrip().upper().startswith("UPDATE API_TOKEN"):
            sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
