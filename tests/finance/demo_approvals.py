"""The demo's books with finance's approvals replayed (each draft attested by procurement, then
approved by finance on the 15th of the month after, as `approve-demo` dates them), and invoices
approved one at a time the same way."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

from contracts.models import Contract, Invoice, InvoiceApproval, Programme
from contracts.rules.periods import COPENHAGEN
from contracts.services import approval, invoice_steps
from contracts.services.audit import Actor
from contracts.services.demo import DEMO_TODAY
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from provider_portal.finance.commands import CEILING_REASON, approval_day
from tests.finance.demo_books import invoice_demo
from tests.finance.documents import BUYER

ATTESTER = (Actor("indkob@example.dk", None), Viewer(None, "procurement"))


def approve_invoice(session, invoice_id: int, day: date, approver: tuple[Actor, Viewer]) -> None:
    """Attest (when it waits for that) and approve one invoice or credit note on `day`."""
    moment = datetime.combine(day, time(12), tzinfo=COPENHAGEN)
    invoice = session.get(Invoice, invoice_id)
    if invoice_steps.awaits_attestation(invoice):
        invoice_steps.attest(session, *ATTESTER, invoice_id, moment)
    reason = CEILING_REASON if invoice.exceeds_ceiling and invoice.kind == "invoice" else None
    approval.approve(session, *approver, invoice_id, moment, BUYER, reason)


def approve_demo(app, up_to: str) -> None:
    """Load and invoice the demo, then approve every draft up to `up_to` in month order."""
    with app.app_context():
        invoice_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        drafts = db.session.execute(
            sa.select(Invoice.id, Invoice.month)
            .where(Invoice.status == "draft", Invoice.month <= up_to)
            .order_by(Invoice.month, Invoice.id)
        ).all()
        finance = (Actor("okonomi@example.dk", None), Viewer(None, "finance"))
        for invoice_id, month in drafts:
            approve_invoice(db.session, invoice_id, approval_day(month, DEMO_TODAY), finance)
        db.session.commit()


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
