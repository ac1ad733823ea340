"""`flask --app provider_portal approve-demo --up-to YYYY-MM`: attestation and approval in the demo.

The demo runs on 24 January 2019, when a working municipality has long approved 2018's
invoices and has January's waiting. This command plays both parts of the two steps (DESIGN.md
§6): the demo's procurement user attests every invoice and credit note up to a month that waits
for attestation (`invoice_steps.attest`), and the demo's finance user approves it
(`approval.approve`), in month order, through the same services as the pages. Each month is
attested on the 14th and approved on the 15th of the month after (reports are due on the 10th
and aggregated on the 11th), never later than the portal's today, so 2018's invoices carry
2018 numbers and dates and December's get the first numbers of 2019. An invoice that crosses
its contract's ceiling is approved with the reason a person would have given. A
provider-issued contract's draft waits for its provider, so it is left as it is. Run again, it
finds nothing left to approve.

`--wait SECONDS` first waits for the months' aggregation jobs (`make run` enqueues them just
before the worker starts), so the command can follow `flask aggregate --all-months` directly.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from contracts.models import Invoice
from contracts.rules.periods import COPENHAGEN, Month, is_month
from contracts.services import DomainError
from contracts.services.accounts import find_user
from contracts.services.audit import Actor
from contracts.services.scope import Viewer

from .. import clock
from ..extensions import db
from ..transaction import after_commit, committed, rollback

DEMO_FINANCE_EMAIL = "okonomi@demo.dk"
DEMO_PROCUREMENT_EMAIL = "indkob@demo.dk"
CEILING_REASON = (
    "Loftet overskrides efter aftalens forlængelse til 31-08-2019; "
    "merforbruget er godkendt af afdelingschefen."
)


def approval_day(month: str, today: date) -> date:
    """The 15th of the month after `month`, or today if that is earlier."""
    return min(Month.parse(month).next().first_day.replace(day=15), today)


def _at(day: date, hour: int) -> datetime:
    """A moment of the demo's calendar, in office hours in Copenhagen."""
    return datetime.combine(day, clock_time(hour), tzinfo=COPENHAGEN)


def step_moments(month: str, today: date) -> tuple[datetime, datetime]:
    """When procurement attests (the day before approval, at 10) and finance approves (at 11)."""
    approved_on = approval_day(month, today)
    return _at(max(approved_on - timedelta(days=1), Month.parse(month).next().first_day), 10), _at(
        approved_on, 11
    )


def _user(email: str, role: str) -> tuple[Actor, Viewer]:
    user = find_user(db.session, email)
    if user is None or user.role != role or not user.is_active:
        raise click.ClickException(f"no active {role} user with the email {email}")
    return Actor(user.email, user.id), Viewer(user_id=user.id, role=user.role)


def wait_for_aggregation(months: list[str], seconds: float) -> None:
    """Wait until no aggregation job of these months is queued or running; refuse a failed one."""
    from ..jobs import aggregation

    deadline = time.monotonic() + seconds
    while True:
        states = {
            m: (aggregation.status(aggregation.month_job_id(m)) or {}).get("status") for m in months
        }
        failed = sorted(m for m, s in states.items() if s == "failed")
        if failed:
            raise click.ClickException(
                f"the aggregation of {', '.join(failed)} failed; fix it first"
            )
        if not any(s in ("queued", "started") for s in states.values()):
            return
        if time.monotonic() > deadline:
            raise click.ClickException(f"the aggregation did not finish within {seconds:.0f} s")
        time.sleep(1)


def approve_up_to(
    up_to: str, email: str, today: date, attester_email: str = DEMO_PROCUREMENT_EMAIL
) -> list[Invoice]:
    """Attest (as procurement) and approve (as finance) every invoice of the months up to
    `up_to` that waits for attestation or approval, in month order; flushes, the caller commits."""
    from contracts.services import approval, invoice_steps
    from contracts.services.invoice_search import stage_condition

    from ..downloads import municipality

    approver, approver_view = _user(email, "finance")
    attester, attester_view = _user(attester_email, "procurement")
    buyer = municipality()
    waiting = db.session.execute(
        sa.select(Invoice.id, Invoice.month, Invoice.kind, Invoice.exceeds_ceiling, Invoice.status)
        .where(
            sa.or_(stage_condition("with_procurement"), Invoice.status == "attested"),
            Invoice.month <= up_to,
        )
        .order_by(Invoice.month, Invoice.id)
    ).all()
    approved = []
    for invoice_id, month, kind, exceeds, status in waiting:
        attest_at, approve_at = step_moments(month, today)
        if status != "attested":
            invoice_steps.attest(db.session, attester, attester_view, invoice_id, attest_at)
        reason = CEILING_REASON if exceeds and kind == "invoice" else None
        approved.append(
            approval.approve(
                db.session, approver, approver_view, invoice_id, approve_at, buyer, reason
            )
        )
    return approved


def attest_month(month: str, today: date, attester_email: str = DEMO_PROCUREMENT_EMAIL) -> int:
    """Attest (as procurement, the day before `today`) every invoice of `month` that waits for
    attestation, leaving it for finance's approval; flushes, the caller commits."""
    from contracts.services import invoice_steps
    from contracts.services.invoice_search import stage_condition

    attester, attester_view = _user(attester_email, "procurement")
    ids = db.session.scalars(
        sa.select(Invoice.id)
        .where(stage_condition("with_procurement"), Invoice.month == month)
        .order_by(Invoice.id)
    ).all()
    moment = _at(max(today - timedelta(days=1), Month.parse(month).next().first_day), 10)
    for invoice_id in ids:
        invoice_steps.attest(db.session, attester, attester_view, invoice_id, moment)
    return len(ids)


@click.command("approve-demo")
@click.option("--up-to", "up_to", required=True, help="The last month to approve (YYYY-MM).")
@click.option(
    "--email", default=DEMO_FINANCE_EMAIL, show_default=True, help="The finance user who approves."
)
@click.option(
    "--attest-also",
    "attest_also",
    default=None,
    help="A later month whose invoices procurement has attested, waiting for finance (YYYY-MM).",
)
@click.option(
    "--wait",
    "wait_seconds",
    type=float,
    default=0,
    help="First wait this many seconds at most for the months' aggregation jobs.",
)
@with_appcontext
@committed
def approve_demo(up_to: str, email: str, attest_also: str | None, wait_seconds: float) -> None:
    """Attest and approve the demo's invoices up to a month, as procurement and finance would have;
    with --attest-also, a later month's invoices are attested and wait for finance."""
    if not is_month(up_to) or (attest_also is not None and not is_month(attest_also)):
        raise click.ClickException("--up-to and --attest-also must be months, YYYY-MM")
    today = clock.today()
    if up_to >= Month.of(today):
        raise click.ClickException(f"--up-to must be before the portal's month ({Month.of(today)})")
    if wait_seconds:
        from contracts.models import MonthlyReport

        last = max(up_to, attest_also or up_to)
        months = db.session.scalars(
            sa.select(MonthlyReport.month).distinct().where(MonthlyReport.month <= last)
        ).all()
        rollback()  # no transaction held open while the worker writes
        wait_for_aggregation(sorted(months), wait_seconds)
    try:
        approved = approve_up_to(up_to, email, today)
        attested = attest_month(attest_also, today) if attest_also else 0
    except DomainError as refused:
        raise click.ClickException(refused.message) from None
    if attested:
        after_commit(
            click.echo,
            f"Attested {attested} invoice(s) of {attest_also}; they wait for finance's approval.",
        )
    if approved:
        after_commit(
            click.echo,
            f"Attested and approved {len(approved)} invoice(s) and credit note(s) up to {up_to}: "
            f"numbers {approved[0].number} … {approved[-1].number}.",
        )
    else:
        click.echo(f"Nothing to approve up to {up_to}.")


def register(app: Flask) -> None:
    """Add the command to the app's CLI (called from provider_portal.cli)."""
    app.cli.add_command(approve_demo)
