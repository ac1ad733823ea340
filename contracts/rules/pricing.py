"""Pricing a participant's month (DESIGN.md §6), in Decimal: the reference the SQL must match.

Each amount is rounded half up to øre on its own; totals are sums of rounded amounts; VAT is
the rounded rate × net total. The aggregation computes the same in set-based SQL, in whole
øre; `tests/unit/test_pricing.py` holds both to the sample invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .exits import is_positive
from .money import round_money


@dataclass(frozen=True)
class PricedLine:
    days: int
    base_fee: Decimal
    hours_amount: Decimal
    bonus: Decimal

    @property
    def amount(self) -> Decimal:
        return self.base_fee + self.hours_amount + self.bonus


def price_line(
    monthly_fee: Decimal,
    hourly_rate: Decimal,
    outcome_bonus: Decimal,
    days: int,
    days_in_month: int,
    hours_delivered: Decimal,
    exit_reason: str | None,
    bonus_paid_before: bool,
) -> PricedLine:
    """One participant's month: base fee by enrolled days, delivered hours, the outcome bonus once."""
    bonus = outcome_bonus if is_positive(exit_reason) and not bonus_paid_before else Decimal(0)
    return PricedLine(
        days=days,
        base_fee=round_money(monthly_fee * days / days_in_month),
        hours_amount=round_money(hourly_rate * hours_delivered),
        bonus=round_money(bonus),
    )


def invoice_totals(amounts: list[Decimal], vat_rate: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Net (sum of rounded lines), VAT (rounded rate × net) and total."""
    net = sum(amounts, Decimal("0.00"))
    vat = round_money(net * vat_rate)
    return net, vat, net + vat
