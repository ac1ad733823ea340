"""The mails the demo's story sent (DESIGN.md §14), stored as notifications on the story's days.

The loader writes the reports of 2018 directly, so the events their sending and accepting
raise are raised here, dated when they happened. The schedule's days are run after the fact,
each as of 7 in the morning in Copenhagen, when `rq cron` runs it: December's reminders on the
5th and 10th of January and the overdue notice of the 11th, and the warnings of contracts
ending without a successor. The loader runs the days before the special efforts' extension
before it extends them, so the story warns of the end they had then. The mails go out when
the loading transaction commits, each dated on its day; their keys make every later run a no-op.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from ...models import MonthlyReport
from ...rules.periods import COPENHAGEN
from .. import notification_events
from ..notification_schedule import run_day

# When the daily reminders run (provider_portal/jobs/schedule.py: 7 in the morning).
RUN_AT = time(7)
# The first morning run here. The mornings before raised nothing (every report of 2018 was sent
# on the 1st; the first warning of an end is on 30 November), which a test checks by running
# them from April 2018, the month after the first one reported; each morning costs a few ms.
FIRST_RUN = date(2018, 11, 1)
FIRST_REPORTED_RUN = date(2018, 4, 1)


def report_events(session: Session, reports: list[MonthlyReport]) -> None:
    """Procurement told of each report sent, the provider of each accepted, when it happened."""
    for report in sorted(reports, key=lambda r: r.submitted_at or r.created_at):
        if report.submitted_at is not None:
            notification_events.report_submitted(session, report)
        if report.decided_at is not None:
            notification_events.report_decided(session, report)


def run_days(session: Session, first: date, last: date) -> int:
    """The schedule's run of each day from `first` to `last`, each dated at its morning run;
    returns how many notifications they stored."""
    stored, day = 0, first
    while day <= last:
        as_of = datetime.combine(day, RUN_AT, tzinfo=COPENHAGEN)
        stored += run_day(session, day, as_of).total
        day += timedelta(days=1)
    return stored
