"""The day's reminders as `flask send-reminders` and as the daily job `rq cron` runs
(provider_portal/jobs/schedule.py): store what the portal's today calls for, then send what is
still pending, the day's own and any left by an SMTP server that was down."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import with_appcontext

from contracts.services.notification_schedule import run_day

from .. import clock
from ..extensions import db
from ..transaction import committed
from .delivery import enqueue_pending


def run(today: date) -> dict[str, int]:
    """Store the day's reminders and send everything pending after the commit."""
    counts = run_day(db.session, today).counts
    counts["pending"] = enqueue_pending(db.session)
    return counts


def daily_reminders() -> dict[str, int]:
    """The `rq cron` job (the Job class commits)."""
    return run(clock.today())


@click.command("send-reminders")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to run as (default: the portal's today).",
)
@with_appcontext
def send_reminders_command(day) -> None:
    """Send the day's reminders; run twice on one day it sends nothing new."""
    counts = committed(run)(day.date() if day else clock.today())
    click.echo(", ".join(f"{kind}: {n}" for kind, n in counts.items()))


def init_app(app: Flask) -> None:
    app.cli.add_command(send_reminders_command)
