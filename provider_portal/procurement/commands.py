"""`flask --app provider_portal changeover [--day YYYY-MM-DD]`: move active participants to successors.

On the changeover day (the successor's first day) the participants still active in a
contract that ended the day before move to its successor of the same programme. Running it
again on the same day finds nobody left to move, so the daily `rq cron` job and a person
at the command line cannot move anyone twice.
"""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import with_appcontext

from contracts.services.audit import Actor
from contracts.services.contract_changes import changeover

from .. import clock
from ..extensions import db
from ..transaction import after_commit, committed

CLI = Actor("cli")


@click.command("changeover")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The changeover day (default: the portal's today).",
)
@with_appcontext
@committed
def changeover_command(day) -> None:
    """Move the participants of contracts that ended yesterday to their successor contracts."""
    on: date = day.date() if day else clock.today()
    moved = changeover(db.session, on, CLI)
    after_commit(
        click.echo,
        f"Changeover {on.isoformat()}: {moved} participant(s) moved to successor contracts.",
    )


def register(app: Flask) -> None:
    """Add the command to the app's CLI (called from provider_portal.cli)."""
    app.cli.add_command(changeover_command)
