"""How the OCDS export writes values: amounts as JSON numbers (the schema says so) in DKK,
moments as RFC 3339 in UTC, and a period's days whole: its first day starts at 00:00 and its
last day ends at 23:59:59, Copenhagen time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from ..rules.periods import COPENHAGEN

CURRENCY = "DKK"


def rfc3339(moment: datetime) -> str:
    """An aware moment in UTC, RFC 3339: 2019-01-15T10:30:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_start(day: date) -> str:
    return rfc3339(datetime.combine(day, time(0, 0), tzinfo=COPENHAGEN))


def day_end(day: date) -> str:
    return rfc3339(datetime.combine(day, time(23, 59, 59), tzinfo=COPENHAGEN))


def amount(value: Decimal) -> int | float:
    """A Decimal amount as a JSON number; two decimals of at most 12 digits survive a float exactly."""
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal) -> dict:
    return {"amount": amount(value), "currency": CURRENCY}


def period(start: date | None, end: date | None, max_end: date | None = None) -> dict:
    out = {}
    if start:
        out["startDate"] = day_start(start)
    if end:
        out["endDate"] = day_end(end)
    if max_end:
        out["maxExtentDate"] = day_end(max_end)
    return out
