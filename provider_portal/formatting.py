"""Danish (or English) dates, numbers and money through Babel, as template filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale

from contracts.rules.money import round_money
from contracts.rules.periods import parse_month

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _locale() -> str:
    return str(get_locale() or "da")


def money(amount: Decimal | None, currency: bool = True) -> str:
    """An amount as the locale writes it: 123.898,04 kr. in Danish."""
    if amount is None:
        return ""
    text = format_decimal(round_money(Decimal(amount)), format="#,##0.00", locale=_locale())
    if not currency:
        return text
    return f"{text} kr." if _locale() == "da" else f"DKK {text}"


def day(value: date | datetime | None) -> str:
    """A date as 24-01-2019 (Danish) or 24 Jan 2019 (English)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Timestamps are stored in UTC; the day is the one it was in Copenhagen.
        if value.tzinfo is not None:
            value = value.astimezone(COPENHAGEN)
        value = value.date()
    if _locale() == "da":
        return value.strftime("%d-%m-%Y")
    return format_date(value, format="d MMM y", locale="en")


def month(value: str | None) -> str:
    """A YYYY-MM month as the locale names it: januar 2019 (Danish) or January 2019."""
    if not value:
        return ""
    first, _last = parse_month(value)
    return format_date(first, format="LLLL y", locale=_locale())


def number(value, decimals: int = 0) -> str:
    """A number with the locale's separators."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale())


def percent(value) -> str:
    """A fraction as a percentage with one decimal (16,2 %); empty for None."""
    if value is None:
        return "–"
    text = format_decimal(Decimal(value) * 100, format="0.0", locale=_locale())
    return f"{text} %"


def init_app(app: Flask) -> None:
    """Make the formatters template filters: {{ amount|money }}, {{ day|day }}, ..."""
    app.add_template_filter(money)
    app.add_template_filter(day)
    app.add_template_filter(month)
    app.add_template_filter(number)
    app.add_template_filter(percent)
