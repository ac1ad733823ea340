"""The demo's books with finance's approvals replayed by `approve-demo`, as `make run` does."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from contracts.models import Contract, Invoice, InvoiceApproval, Programme
from provider_portal.extensions import db
from tests.finance.demo_books import invoice_demo


def approve_demo(app, up_to: str) -> None:
    """Load and invoice the demo, then approve every draft up to `up_to` through the command."""
    from provider_portal.finance import commands

    with app.app_context():
        invoice_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    commands.register(app)
    result = app.test_cli_runner().invoke(args=["approve-demo", "--up-to", up_to])
    assert result.exit_code == 0, result.output


def approved_net_by_programme(start: date, end: date) -> dict[str, Decimal]:
    """Net of the approved invoices less credit notes issued in the range, per programme's code,
    added up invoice by invoice (in an app context)."""
    rows = db.session.execute(
        sa.select(Programme.code, Invoice.kind, Invoice.net)
        .join(Contract, Contract.programme_id == Programme.id)
        .join(Invoice, Invoice.contract_id == Contract.id)
        .join(InvoiceApproval, InvoiceApproval.invoice_id == Invoice.id)
        .where(Invoice.status == "approved", InvoiceApproval.issued_on.between(start, end))
    ).all()
    sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for code, kind, net in rows:
        sums[code] += -net if kind == "credit_note" else net
    return dict(sums)
