"""The demo's books: the demo data, its months invoiced the way the aggregation jobs do it."""

from __future__ import annotations

import sqlalchemy as sa

from contracts.models import MonthlyReport
from contracts.services import invoicing
from contracts.services.demo import load_demo


def invoice_demo(session, pseudonym_key: bytes, up_to: str = "2019-01") -> int:
    """Load the demo and invoice every month with accepted reports up to `up_to`; returns the count."""
    load_demo(session, pseudonym_key)
    months = session.scalars(
        sa.select(MonthlyReport.month)
        .distinct()
        .where(MonthlyReport.month <= up_to)
        .order_by(MonthlyReport.month)
    ).all()
    made = 0
    for month in months:
        for contract_id in invoicing.accepted_contract_ids(session, month):
            made += invoicing.invoice_contract_month(session, contract_id, month) is not None
    session.flush()
    return made
