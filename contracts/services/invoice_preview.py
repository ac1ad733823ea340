"""What a report will invoice, before it is accepted: the reviewer's preview (issue 12).

The lines are priced by the very statement the aggregation inserts an invoice's lines from
(`invoicing.priced_lines`), and the totals follow the one rule of DESIGN.md §6
(`rules.pricing.invoice_totals`), so the preview is the invoice the aggregation will write, to
the øre, as long as nothing it reads changes in between (an outcome bonus paid in another
month's invoice meanwhile, or the contract's terms). For a correction of an invoiced report
the month's open invoice is credited whole by a credit note and the new invoice replaces it:
the preview names both and the difference. Three statements, however many lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Invoice, MonthlyReport
from ..rules.pricing import PricedLine, invoice_totals
from .invoicing import not_credited, priced_lines, pricing_parameters
from .sql import decimal_from_hundredths, sum_hundredths


@dataclass(frozen=True)
class Credited:
    """An invoice of the month that the correction's aggregation credits whole."""

    invoice_id: int
    number: str | None
    net: Decimal
    vat: Decimal
    total: Decimal


@dataclass(frozen=True)
class InvoicePreview:
    """The invoice the report will give, its lines by report line id, and what it replaces."""

    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    lines: dict[int, PricedLine]
    credited: list[Credited]
    # Net invoiced to the contract before this invoice (credit notes deducted, the credited
    # invoices left out), and whether this one takes the contract past its ceiling.
    invoiced_before: Decimal
    exceeds_ceiling: bool

    @property
    def credited_net(self) -> Decimal:
        return sum((c.net for c in self.credited), Decimal("0.00"))

    @property
    def credited_total(self) -> Decimal:
        return sum((c.total for c in self.credited), Decimal("0.00"))

    @property
    def difference_net(self) -> Decimal:
        """What the month costs more (or, negative, less) than it was invoiced before."""
        return self.net - self.credited_net

    @property
    def difference_total(self) -> Decimal:
        return self.total - self.credited_total


def preview(session: Session, report: MonthlyReport, contract: Contract) -> InvoicePreview:
    """The invoice the report will give once accepted and aggregated (see the module)."""
    rows = session.execute(priced_lines(), pricing_parameters(report)).all()
    lines = {
        row.report_line_id: PricedLine(
            days=int(row.days),
            base_fee=decimal_from_hundredths(row.base),
            hours_amount=decimal_from_hundredths(row.hours),
            bonus=decimal_from_hundredths(row.bonus),
        )
        for row in rows
    }
    net, vat, total = invoice_totals([line.amount for line in lines.values()], contract.vat_rate)
    credited = [
        Credited(invoice.id, invoice.number, invoice.net, invoice.vat, invoice.total)
        for invoice in session.scalars(
            sa.select(Invoice)
            .where(
                Invoice.contract_id == report.contract_id,
                Invoice.month == report.month,
                Invoice.kind == "invoice",
                not_credited(Invoice),
            )
            .order_by(Invoice.id)
        )
    ]
    all_before = decimal_from_hundredths(
        session.scalar(
            sa.select(sum_hundredths(Invoice.signed_net)).where(
                Invoice.contract_id == report.contract_id
            )
        )
    )
    invoiced_before = all_before - sum((c.net for c in credited), Decimal("0.00"))
    return InvoicePreview(
        vat_rate=contract.vat_rate,
        net=net,
        vat=vat,
        total=total,
        lines=lines,
        credited=credited,
        invoiced_before=invoiced_before,
        exceeds_ceiling=invoiced_before + net > contract.ceiling,
    )
