"""Danish (or English) dates, numbers and money as template filters, in the request's language.

The rules themselves live in `contracts.documents.formatting`, which PDFs use too; these
filters only add the locale of the request.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import get_locale, gettext

from contracts.documents import formatting as rules
from contracts.rules.periods import COPENHAGEN
from contracts.rules.report_words import END_REASON_LABELS, STATUS_LABELS


def _locale() -> str:
    return str(get_locale() or "da")


def money(amount: Decimal | None, currency: bool = True) -> str:
    """An amount as the locale writes it: 123.898,04 kr. in Danish."""
    return rules.money(amount, _locale(), currency)


def day(value: date | datetime | None) -> str:
    """A date as 24-01-2019 (Danish) or 24 Jan 2019 (English); a timestamp as its Copenhagen day."""
    return rules.day(value, _locale())


def moment(value: datetime | None) -> str:
    """A timestamp as its Copenhagen day and minute: 24-01-2019 14:05."""
    if value is None:
        return ""
    return f"{rules.day(value, _locale())} {value.astimezone(COPENHAGEN):%H:%M}"


def month(value: str | None) -> str:
    """A YYYY-MM month as the locale names it: januar 2019 (Danish) or January 2019."""
    return rules.month(value, _locale())


def number(value, decimals: int = 0) -> str:
    """A number with the locale's separators."""
    return rules.number(value, _locale(), decimals)


def percent(value) -> str:
    """A fraction as a percentage with one decimal (16,2 %); a dash for None."""
    return rules.percent(value, _locale())


def rate(value) -> str:
    """A rate such as VAT as a percentage (25 %)."""
    return rules.rate(value, _locale())


def programme_name(programme) -> str:
    """A programme's name in the request's language."""
    return programme.name_en if _locale() == "en" else programme.name_da


def amended(value: str, field: str) -> str:
    """An amendment's value before or after: a date field's ISO date as the locale writes dates."""
    return day(date.fromisoformat(value)) if field.endswith("_on") else value


def end_reason(code: str | None) -> str:
    """Why an enrolment ended, as the report words name it (a report reads the same words)."""
    return gettext(END_REASON_LABELS[code]) if code in END_REASON_LABELS else (code or "")


def line_status(code: str | None) -> str:
    """A report line's status, as the report words name it: Aktiv, Afgået."""
    return gettext(STATUS_LABELS[code]) if code in STATUS_LABELS else (code or "")


def init_app(app: Flask) -> None:
    """Make the formatters template filters: {{ amount|money }}, {{ day|day }}, ..."""
    for name, fn in (
        ("money", money),
        ("day", day),
        ("moment", moment),
        ("month", month),
        ("number", number),
        ("percent", percent),
        ("rate", rate),
        ("amended", amended),
        ("programme_name", programme_name),
        ("end_reason", end_reason),
        ("line_status", line_status),
    ):
        app.add_template_filter(fn, name)
