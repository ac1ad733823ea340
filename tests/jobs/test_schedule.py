"""The monthly schedule and the daily changeover that `rq cron` runs."""

import pytest
from redis import Redis
from rq.cron import CronScheduler

from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from tests.scenarios import accepted_sample_month


def test_the_cron_config_schedules_the_11th_and_a_daily_changeover(clean_redis):
    with Redis.from_url(clean_redis) as connection:
        scheduler = CronScheduler(connection=connection)
        scheduler.load_config_from_file("provider_portal.jobs.schedule")
        jobs = {job.func_name: (job.cron, job.queue_name) for job in scheduler.get_jobs()}
    assert jobs == {
        "provider_portal.jobs.aggregation.scheduled_previous_month": ("0 6 11 * *", "aggregation"),
        "provider_portal.jobs.changeover.daily_changeover": ("5 0 * * *", "default"),
        "provider_portal.mail.schedule.daily_reminders": ("0 7 * * *", "mail"),
    }


@pytest.mark.parametrize("today, month", [("2019-02-11", "2019-01"), ("2019-01-11", "2018-12")])
def test_the_scheduled_job_aggregates_the_previous_month(app, today, month):
    accepted_sample_month(app)
    app.config["PORTAL_TODAY"] = __import__("datetime").date.fromisoformat(today)
    with app.app_context():
        job_id = aggregation.scheduled_previous_month()
        assert job_id == f"aggregate-{month}"
        assert aggregation.status(job_id)["status"] == "queued"
        db.session.remove()
