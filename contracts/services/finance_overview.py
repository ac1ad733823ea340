"""The finance home's figures: the year's budget against what is invoiced, what waits for finance's
approval (attested invoices), and what still waits for procurement's attestation (returned ones
included: they are procurement's until attested again).

Every sum is one aggregate query in whole øre through `invoice_search.sums`, so a credit note
takes its amounts off, as it does on the invoice desk and against a contract's ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session, selectinload

from ..models import Contract, Invoice
from ..rules.money import round_money
from . import scope
from .invoice_search import InvoiceFilter, InvoiceSums, sums
from .scope import Viewer


@dataclass(frozen=True)
class FinanceOverview:
    """The year's budget and approved net, the attested invoices waiting for approval with their
    sums, and the sums of those still with procurement."""

    year: int
    budget: Decimal
    invoiced: Decimal
    """Net of the year's approved invoices less approved credit notes (VAT is recovered, not spent)."""
    remaining: Decimal
    used_share: Decimal | None
    waiting: list[Invoice]
    waiting_sums: InvoiceSums
    with_procurement: InvoiceSums


def finance_overview(
    session: Session, viewer: Viewer, year: int, budget: Decimal
) -> FinanceOverview:
    """The figures of the finance home for `year`, scoped to what the viewer may see.

    An invoice that was later credited still counts in `invoiced`; its credit note takes it off.
    """
    attested = InvoiceFilter(status="attested")
    waiting = session.scalars(
        scope.invoices(viewer)
        .where(Invoice.status == attested.status)
        .options(selectinload(Invoice.contract).selectinload(Contract.provider))
        .order_by(Invoice.month, Invoice.id)
    ).all()
    approved = sums(
        session,
        viewer,
        InvoiceFilter(status="approved", month_from=f"{year:04d}-01", month_to=f"{year:04d}-12"),
    )
    budget = round_money(Decimal(budget))
    return FinanceOverview(
        year=year,
        budget=budget,
        invoiced=approved.net,
        remaining=budget - approved.net,
        used_share=approved.net / budget if budget else None,
        waiting=list(waiting),
        waiting_sums=sums(session, viewer, attested),
        with_procurement=sums(session, viewer, InvoiceFilter(status="with_procurement")),
    )
