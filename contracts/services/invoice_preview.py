"""What a report will invoice, before it is accepted: the reviewer's preview (issue 12).

The lines are priced by the very statement the aggregation inserts an invoice's lines from
(`invoicing.priced_lines`), and the totals follow the one rule of DESIGN.md §6
(`rules.pricing.invoice_totals`), so the preview is the invoice the aggregation will write, to
the øre, as long as nothing it reads changes in between (an outcome bonus paid in another
month's invoice meanwhile, or the contract's terms). For a correction of an invoiced report
the month's open invoice is credited whole by a credit note and the new invoice replaces it:
the preview names both and the difference. Four statements, however many lines: the lines'
net is summed in SQL, and only the lines shown (a page of a large report's) are read.

A contract paid by milestones (DESIGN.md §15) gets its milestone and clawback lines too, from
the very selects `milestone_lines` inserts them with: the month's own lines taken as the
invoice's, and other months' open invoices as they stand (one statement more).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Invoice, MonthlyReport, Participant
from ..rules.pricing import PricedLine, invoice_totals
from .invoicing import not_credited, paid_by_milestones, priced_lines, pricing_parameters
from .milestone_lines import clawback_select, milestone_select, open_lines
from .sql import decimal_from_hundredths, hundredths, sum_hundredths


@dataclass(frozen=True)
class Credited:
    """An invoice of the month that the correction's aggregation credits whole."""

    invoice_id: int
    number: str | None
    net: Decimal
    vat: Decimal
    total: Decimal


@dataclass(frozen=True)
class LaterLine:
    """A milestone paid (`week13`, `week26`) or taken back (`clawback_*`) on the invoice."""

    participant_ref: str
    item: str
    amount: Decimal


@dataclass(frozen=True)
class InvoicePreview:
    """The invoice the report will give, its lines by report line id, and what it replaces."""

    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    lines: dict[int, PricedLine]
    milestone_lines: list[LaterLine]
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


def preview(
    session: Session,
    report: MonthlyReport,
    contract: Contract,
    shown: Collection[int] | None = None,
) -> InvoicePreview:
    """The invoice the report will give once accepted and aggregated (see the module).

    `lines` holds the report lines `shown` (their ids; None: all of them), a page of a large
    report's; the amounts are of all lines whatever is shown, summed in SQL."""
    parameters = pricing_parameters(report)
    priced = priced_lines().subquery()
    rows = session.execute(
        sa.select(priced).where(
            sa.true() if shown is None else priced.c.report_line_id.in_(list(shown))
        ),
        parameters,
    ).all()
    lines_net = decimal_from_hundredths(
        session.scalar(
            sa.select(
                sa.func.coalesce(sa.func.sum(priced.c.base + priced.c.hours + priced.c.bonus), 0)
            ),
            parameters,
        )
    )
    lines = {
        row.report_line_id: PricedLine(
            days=int(row.days),
            base_fee=decimal_from_hundredths(row.base),
            hours_amount=decimal_from_hundredths(row.hours),
            bonus=decimal_from_hundredths(row.bonus),
        )
        for row in rows
    }
    later = _milestone_lines(session, report) if paid_by_milestones(contract) else []
    # The lines' net is the sum of their amounts, each in whole øre: as `invoice_totals` sums.
    net, vat, total = invoice_totals(
        [lines_net] + [line.amount for line in later],
        contract.vat_rate,
    )
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
        milestone_lines=later,
        credited=credited,
        invoiced_before=invoiced_before,
        exceeds_ceiling=invoiced_before + net > contract.ceiling,
    )


def _milestone_lines(session: Session, report: MonthlyReport) -> list[LaterLine]:
    rows = session.execute(
        _milestone_preview(), {**pricing_parameters(report), "target_invoice": 0}
    ).all()
    return [LaterLine(row.ref, row.item, decimal_from_hundredths(row.amount)) for row in rows]


@cache
def _milestone_preview() -> sa.Select:
    """The milestone and clawback lines the report's invoice will get (parameters: those of
    `priced_lines` and target_invoice, 0: there is no invoice yet).

    Clawbacks take back what other months' open invoices paid and what this invoice is about
    to pay: the report's outcome bonuses and the milestones just made payable."""
    priced = priced_lines().subquery()
    paying = milestone_select(other_months=True)
    line, paid = open_lines(other_months=True)
    cols = ("participant_id", "report_line_id", "item", "bonus")
    already = paid.with_only_columns(
        line.participant_id, line.report_line_id, line.item, hundredths(line.bonus)
    )
    month = sa.select(
        priced.c.participant_id, priced.c.report_line_id, sa.literal("month"), priced.c.bonus
    )
    new = paying.subquery()
    milestones = sa.select(
        new.c.participant_id, new.c.report_line_id, new.c.item, hundredths(new.c.bonus)
    )
    source = sa.union_all(
        *(
            select.with_only_columns(
                *(c.label(name) for c, name in zip(select.selected_columns, cols, strict=True))
            )
            for select in (already, month, milestones)
        )
    ).subquery("paid_lines")
    taken = clawback_select(source.c, sa.select(source), source.c.bonus, other_months=True)
    both = sa.union_all(paying, taken).subquery()
    return (
        sa.select(Participant.ref, both.c.item, hundredths(both.c.amount).label("amount"))
        .join(Participant, Participant.id == both.c.participant_id)
        .order_by(Participant.ref, both.c.item)
    )
