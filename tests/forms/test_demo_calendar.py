"""The demo runs on 24 January 2019: every moment its data records (an audit event, a report
sent, a notice, an invoice's step, a user made) is on or before that day, so no page of the
demo shows a 2026 beside a 2019. (A login or a read made while trying the demo is on its
calendar too: tests/demo/test_demo_clock.py.)"""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa

from contracts.models import Base
from contracts.rules.periods import COPENHAGEN
from contracts.services.demo import load_demo
from contracts.services.demo.plan import DEMO_TODAY
from provider_portal.extensions import db

FUTURE = {"tender.deadline_at"}


def test_every_moment_the_demo_records_is_on_its_calendar(app):
    end_of_day = datetime.combine(DEMO_TODAY, time(23, 59, 59), tzinfo=COPENHAGEN)
    later = []
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                # A tender's deadline is ahead of the demo's day, as deadlines are.
                if f"{table.name}.{column.name}" in FUTURE:
                    continue
                if isinstance(column.type, sa.DateTime) or column.name.endswith("_at"):
                    latest = db.session.scalar(sa.select(sa.func.max(column)))
                    if isinstance(latest, datetime):
                        aware = latest if latest.tzinfo else latest.replace(tzinfo=COPENHAGEN)
                        if aware > end_of_day:
                            later.append(f"{table.name}.{column.name}: {latest}")
    assert later == []
