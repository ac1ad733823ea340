"""An invoice long enough that its PDF takes seconds to render, so that a worker can be killed
in the middle of it, and its total as the PDF prints it."""

from __future__ import annotations

from benchmarks.data import make_reports
from contracts.services import invoicing
from provider_portal.extensions import db

# Lines enough that the render takes seconds, so the worker can be killed in the middle of it.
LONG_INVOICE_LINES = 600


def danish(amount) -> str:
    """An amount as the PDF prints it: 123.898,04."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def long_invoice(app) -> tuple[int, str]:
    """January's invoice of a contract with LONG_INVOICE_LINES participants, committed: its id
    and its total as the PDF prints it."""
    with app.app_context():
        [contract_id] = make_reports(db.session, 1, LONG_INVOICE_LINES, "2019-01", "2019-01")
        invoice = invoicing.invoice_contract_month(db.session, contract_id, "2019-01")
        invoice_id, total = invoice.id, danish(invoice.total)
        db.session.commit()
    return invoice_id, total
