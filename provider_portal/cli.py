"""Commands: `flask --app provider_portal init-db | demo-data | create-user | create-token |
deactivate-user`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from contracts.services import DomainError
from contracts.services.accounts import create_token, create_user, find_user, set_active
from contracts.services.audit import Actor

from .extensions import db
from .transaction import after_commit, committed

CLI = Actor("cli")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(demo_data)
    app.cli.add_command(create_user_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(deactivate_user_command)
    app.cli.add_command(aggregate)
    from .procurement.commands import register as register_procurement_commands

    register_procurement_commands(app)
    from .finance.commands import register as register_finance_commands

    register_finance_commands(app)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations to head)."""
    upgrade()
    click.echo("Database is at the newest schema.")


@click.command("demo-data")
@with_appcontext
@committed
def demo_data() -> None:
    """Load the seed's history as of 24 January 2019 (once; refuses a database with data)."""
    from contracts.services.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    try:
        summary = load_demo(db.session, current_app.config["PSEUDONYM_KEY"].encode("utf-8"))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    lines = [summary, f"Demo users (password: {DEMO_PASSWORD}):"]
    lines += [f"  {email:24} {role}" for email, role in DEMO_USERS]
    after_commit(click.echo, "\n".join(lines))


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option(
    "--role", required=True, type=click.Choice(["procurement", "provider", "finance", "admin"])
)
@click.option("--provider-id", type=int, default=None, help="Required for provider users.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@committed
def create_user_command(email, role, provider_id, password, name) -> None:
    """Create a user who can log in."""
    try:
        user = create_user(db.session, CLI, email, role, password, provider_id, name)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    after_commit(click.echo, f"Created {user.role} user {user.email} (id {user.id}).")


@click.command("create-token")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", default="", help="What the token is for, shown in lists.")
@committed
def create_token_command(email, name) -> None:
    """Make a personal API token; printed alone on the last line, shown this once."""
    user = find_user(db.session, email)
    if user is None or not user.is_active:
        raise click.ClickException(f"no active user with the email {email}")
    _, token = create_token(db.session, CLI, user, name or "cli")
    # Printed only once it is stored: a token shown but never saved would fail its first call.
    after_commit(
        click.echo, f"API token for {user.email} (store it now; it is not shown again):\n{token}"
    )


@click.command("deactivate-user")
@with_appcontext
@click.option("--email", required=True)
@committed
def deactivate_user_command(email) -> None:
    """Deactivate a user: their sessions and API tokens stop at once."""
    user = find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    changed = set_active(db.session, CLI, user, False)
    message = f"Deactivated {user.email}." if changed else f"{user.email} was deactivated already."
    after_commit(click.echo, message)


@click.command("aggregate")
@with_appcontext
@click.option("--month", "months", multiple=True, help="YYYY-MM; repeat for several months.")
@click.option("--all-months", is_flag=True, help="Every month with accepted reports.")
def aggregate(months, all_months) -> None:
    """Enqueue the aggregation (invoices and scores) of months for the RQ workers."""
    from contracts.models import MonthlyReport
    from contracts.rules.report_calendar import COUNTED_STATUSES

    from .jobs import aggregation

    if all_months:
        months = db.session.scalars(
            sa.select(MonthlyReport.month)
            .distinct()
            .where(MonthlyReport.status.in_(COUNTED_STATUSES))
            .order_by(MonthlyReport.month)
        ).all()
    if not months:
        raise click.ClickException("name a --month YYYY-MM, or --all-months")
    for month in months:
        try:
            job_id = aggregation.start(month, started_by=None)
        except (ValueError, DomainError) as error:  # not a month, or one not yet ended
            raise click.ClickException(str(error)) from None
        except aggregation.AlreadyRunning:
            click.echo(f"{month}: already being aggregated")
            continue
        click.echo(f"{month}: enqueued as {job_id}")
