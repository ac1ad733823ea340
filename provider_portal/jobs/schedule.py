"""The schedule for `rq cron provider_portal/jobs/schedule.py` (exactly one such process; TZ=Europe/Copenhagen).

- On the 11th of each month, the day after reports are due, the previous month is aggregated.
- Every day at 7, the day's reminders and notifications (provider_portal.mail.schedule):
  reports due and overdue, contracts ending, and whatever mail is still pending.
- Every day just after midnight, participants of contracts that ended yesterday move to the
  successor contracts (the changeover); running it twice moves nobody twice.

Only `rq cron` imports this module: importing it registers the entries.
"""

from rq import cron

from provider_portal.jobs.aggregation import scheduled_previous_month
from provider_portal.jobs.changeover import daily_changeover
from provider_portal.mail.schedule import daily_reminders

cron.register(scheduled_previous_month, "aggregation", cron="0 6 11 * *", job_timeout=600)
cron.register(daily_changeover, "default", cron="5 0 * * *", job_timeout=600)
cron.register(daily_reminders, "mail", cron="0 7 * * *", job_timeout=600)
