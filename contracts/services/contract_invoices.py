"""A contract's invoices and credit notes, and what it has been invoiced so far against its ceiling.

"Invoiced so far" is the ceiling check's own definition (invoicing._set_totals): the net of
every invoice of the contract, draft or approved, less the net of its credit notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Invoice
from . import scope
from .invoicing import not_credited
from .scope import Viewer
from .sql import decimal_from_hundredths, sum_hundredths


@dataclass(frozen=True)
class InvoiceRow:
    """An invoice or credit note as the contract's list shows it."""

    invoice: Invoice
    credited: bool  # a credit note credits this invoice


@dataclass(frozen=True)
class ContractInvoices:
    """The contract's invoices, newest month first, and its invoiced net against the ceiling."""

    rows: list[InvoiceRow]
    invoiced_net: Decimal
    ceiling: Decimal

    @property
    def remaining(self) -> Decimal:
        """What is left under the ceiling; negative once it is crossed."""
        return self.ceiling - self.invoiced_net

    @property
    def used_share(self) -> Decimal | None:
        return self.invoiced_net / self.ceiling if self.ceiling else None


def contract_invoices(session: Session, viewer: Viewer, contract: Contract) -> ContractInvoices:
    """Two set-based reads, both scoped: the list, and the signed net summed in whole øre."""
    found = session.execute(
        scope.invoices(viewer, sa.select(Invoice, ~not_credited(Invoice)))
        .where(Invoice.contract_id == contract.id)
        # Newest first; a credit note (same version, later id) above the invoice it credits.
        .order_by(Invoice.month.desc(), Invoice.version.desc(), Invoice.id.desc())
    ).all()
    net_ore = session.scalar(
        scope.invoices(viewer, sa.select(sum_hundredths(Invoice.signed_net))).where(
            Invoice.contract_id == contract.id
        )
    )
    return ContractInvoices(
        rows=[InvoiceRow(invoice, bool(credited)) for invoice, credited in found],
        invoiced_net=decimal_from_hundredths(net_ore),
        ceiling=contract.ceiling,
    )
