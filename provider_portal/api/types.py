"""The value types of the API's JSON: money and rates as decimal strings, dates as ISO strings.

Each type validates what comes in, serialises what goes out and describes itself in the
OpenAPI document, so those three never disagree.

Validators raise ValueError even for a wrong type: pydantic turns only ValueError (and
AssertionError) into a validation problem; a TypeError would escape as a server error.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    WithJsonSchema,
    field_validator,
)

from contracts.rules.money import parse_money
from contracts.rules.periods import Month as PeriodMonth
from contracts.rules.programmes import STANDARD_PROGRAMMES

from ..converters import MAX_ID, MONTH_PATTERN

# Numeric(12, 2): the largest amount a money column holds.
MAX_AMOUNT = Decimal("9999999999.99")
# What the API takes as an amount, as its document says: digits, a point and at most two
# decimals. Not "1e5", "1_000", "Infinity" or an exponent Decimal would take a minute to round.
MONEY_PATTERN = r"^-?\d{1,10}(\.\d{1,2})?$"
# ASCII: Python's \d takes any script's digits, the document's (ECMA's) only 0-9.
MONEY_TEXT = re.compile(MONEY_PATTERN, re.ASCII)
PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
RATE_TEXT = re.compile(r"^\d+(\.\d{1,4})?$", re.ASCII)


def _money(value: object) -> Decimal:
    if isinstance(value, Decimal):
        # Only from Python (an answer being built): JSON never yields a Decimal.
        return parse_money(value)
    if isinstance(value, (bool, int, float)):
        # A JSON number is read as binary floating point by most clients; øre get lost.
        raise ValueError('must be a decimal string such as "1234.50", not a JSON number')  # noqa: TRY004
    if not isinstance(value, str):
        raise ValueError('must be a decimal string such as "1234.50"')  # noqa: TRY004
    if MONEY_TEXT.fullmatch(value):
        return parse_money(value)
    if PLAIN_DECIMAL.fullmatch(value):
        if len(value.partition(".")[0].lstrip("-")) > 10:
            raise ValueError(f"must be at most {MAX_AMOUNT}")
        raise ValueError(f"{value[:40]!r} has more than two decimals")
    raise ValueError(
        f"{value[:40]!r} is not an amount: write digits with at most two decimals "
        'after a point, such as "1234.50"'
    )


def _rate(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, int, float)):
        raise ValueError(
            'must be a decimal fraction written as a string such as "0.25", not a JSON number'
        )  # noqa: TRY004
    if not isinstance(value, str):
        raise ValueError('must be a decimal fraction written as a string such as "0.25"')  # noqa: TRY004
    text = value.strip()
    if text.startswith("-"):
        raise ValueError("must not be negative")
    if not RATE_TEXT.match(text):
        raise ValueError(f'{value!r} is not a decimal fraction such as "0.25" (at most 4 decimals)')
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{value!r} is not a decimal fraction") from None


def _iso_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a date in the calendar") from None


def format_money(amount: Decimal) -> str:
    """An amount as the API writes it: two decimals, "9500.00"."""
    return f"{amount:.2f}"


def format_rate(rate: Decimal) -> str:
    """A rate as the API writes it: trailing zeros dropped, at least two decimals ("0.25", "0.125")."""
    text = f"{rate.normalize():f}"
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    PlainSerializer(format_money, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "examples": ["1234.50"],
            "description": "DKK as a decimal string with at most two decimals",
        }
    ),
]
Rate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    PlainSerializer(format_rate, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d+(\.\d{1,4})?$",
            "examples": ["0.25"],
            "description": 'a decimal fraction as a string (25 % is "0.25")',
        }
    ),
]
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    PlainSerializer(date.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2019-09-01"]}),
]


def _month(value: object) -> str:
    try:
        return PeriodMonth.parse(value)
    except ValueError:
        raise ValueError("must be a month written YYYY-MM, such as 2019-01") from None


Month = Annotated[
    str,
    BeforeValidator(_month),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN, "examples": ["2019-01"]}),
]
# What the portal answers with: a month YYYY-MM.
MonthText = Annotated[str, WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN})]
# The programme codes (DESIGN.md §8): reference data that comes with the schema.
PROGRAMME_CODES = tuple(programme.code for programme in STANDARD_PROGRAMMES)


def _programme(value: object) -> str:
    if value not in PROGRAMME_CODES:
        raise ValueError(f"must be a programme code: {', '.join(PROGRAMME_CODES)}")
    return value


ProgrammeCode = Annotated[
    str,
    BeforeValidator(_programme),
    WithJsonSchema({"type": "string", "enum": list(PROGRAMME_CODES)}),
]
# Danish identifiers as the API takes them: the digits, spaced or dashed as people write them
# (and "DK" before a CVR number); the check digits are checked as well. Answers carry the
# digits alone.
CVR_PATTERN = r"^(DK ?)?[0-9]{2}([ -]?[0-9]{2}){3}$"
GLN_PATTERN = r"^[0-9]([ -]?[0-9]){12}$"
CPR_PATTERN = r"^[0-9]{6}[ -]?[0-9]{4}$"
POSTCODE_PATTERN = r"^([0-9]{4})?$"
CvrText = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"^[0-9]{8}$"})]
GlnText = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"^[0-9]{13}$"})]
PostcodeText = Annotated[str, WithJsonSchema({"type": "string", "pattern": POSTCODE_PATTERN})]


def written_as(value: str, pattern: str, what: str) -> str:
    """The value if it matches the pattern the document gives; a ValueError naming `what`."""
    if not re.fullmatch(pattern, value):
        raise ValueError(f"must be written as {what}")
    return value


# Ids in a JSON body are JSON integers; "5" is refused rather than guessed at.
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]


class Model(BaseModel):
    """Base of every request model: unknown fields are refused, so a typo is not silently lost."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL cannot store a NUL character in text; refuse it here, not with a 500.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value


class ErrorItem(BaseModel):
    """One problem: the field (or null for the whole request) and a plain message."""

    field: str | None = None
    line: int | None = None
    message: str


class ErrorBody(BaseModel):
    """Every error answer of the API."""

    errors: list[ErrorItem]
