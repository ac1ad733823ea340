"""Money: Decimal amounts in DKK, rounded half up to øre in this one place."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ORE = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round an amount half up to whole øre (two decimals)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def parse_money(text: str | int | Decimal) -> Decimal:
    """Read an amount written as a decimal string ("1234.50"; a decimal comma is accepted).

    Raises ValueError with a plain message for anything else, including floats, which
    cannot carry øre exactly.
    """
    if isinstance(text, bool) or isinstance(text, float):
        raise ValueError('amounts must be given as decimal strings such as "1234.50"')
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount")
    if value != round_money(value):
        raise ValueError(f"{text!r} has more than two decimals")
    return round_money(value)
