"""Danish (or English) money, dates and numbers through Babel, for documents made outside a request.

The same rules as the pages' Jinja filters, but with the locale as an argument: a PDF is
rendered in a job or a test as well as in a request, and must not depend on Flask's locale.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

from ..rules.money import round_money
from ..rules.periods import COPENHAGEN, parse_month


@lru_cache(maxsize=64)
def _pattern(pattern: str, locale: str) -> tuple[NumberPattern, Locale]:
    return parse_pattern(pattern), Locale.parse(locale)


def _decimal(value, pattern: str, locale: str) -> str:
    """Babel's `format_decimal`, with the pattern and locale parsed once rather than for every
    number (a page of a large month's report lines writes several hundred)."""
    parsed, parsed_locale = _pattern(pattern, locale)
    return parsed.apply(value, parsed_locale)


def money(amount: Decimal | None, locale: str = "da", currency: bool = True) -> str:
    """An amount as the locale writes it: 123.898,04 kr. in Danish, DKK 123,898.04 in English."""
    if amount is None:
        return ""
    text = _decimal(round_money(Decimal(amount)), "#,##0.00", locale)
    if not currency:
        return text
    return f"{text} kr." if locale == "da" else f"DKK {text}"


def day(value: date | datetime | None, locale: str = "da") -> str:
    """A date as 24-01-2019 (Danish) or 24 Jan 2019 (English); a timestamp as its Copenhagen day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(COPENHAGEN)
        value = value.date()
    if locale == "da":
        return value.strftime("%d-%m-%Y")
    return format_date(value, format="d MMM y", locale="en")


def month(value: str | None, locale: str = "da") -> str:
    """A YYYY-MM month as the locale names it: januar 2019 (Danish) or January 2019."""
    if not value:
        return ""
    first, _last = parse_month(value)
    return format_date(first, format="LLLL y", locale=locale)


def number(value, locale: str = "da", decimals: int = 0) -> str:
    """A number with the locale's separators (1.147 or 163,86 in Danish)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _decimal(value, pattern, locale)


def percent(value, locale: str = "da") -> str:
    """A fraction as a percentage with one decimal (16,2 %); a dash for None."""
    if value is None:
        return "–"
    return f"{_decimal(Decimal(value) * 100, '0.0', locale)} %"


def rate(value, locale: str = "da") -> str:
    """A rate such as VAT as a percentage without needless decimals (25 %, 12,5 %)."""
    if value is None:
        return "–"
    return f"{_decimal(Decimal(value) * 100, '0.##', locale)} %"
