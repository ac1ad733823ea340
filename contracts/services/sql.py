"""SQL expressions that differ between SQLite and PostgreSQL, written once for both.

Money in set-based SQL is computed in whole øre (BIGINT), never on NUMERIC values directly:
SQLite keeps NUMERIC as binary floating point, so only integer arithmetic is exact on both.
Integer division of non-negative integers truncates on both, which the rounding relies on.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class day_number(FunctionElement):
    """A date as a whole number of days, so that subtracting two gives the days between them."""

    type = sa.BigInteger()
    inherit_cache = True
    name = "day_number"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element, compiler, **kw):
    return f"(CAST({compiler.process(element.clauses, **kw)} AS DATE) - DATE '2000-01-01')"


class greatest(FunctionElement):
    """The larger of the arguments (SQLite's scalar MAX, PostgreSQL's GREATEST)."""

    inherit_cache = True
    name = "greatest"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "postgresql")
def _greatest_postgresql(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


class least(FunctionElement):
    """The smaller of the arguments (SQLite's scalar MIN, PostgreSQL's LEAST)."""

    inherit_cache = True
    name = "least"


@compiles(least, "sqlite")
def _least_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(least, "postgresql")
def _least_postgresql(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


def hundredths(amount) -> sa.ColumnElement:
    """A NUMERIC column with two decimals as a whole number of hundredths (øre, or centi-hours)."""
    return sa.cast(sa.func.round(amount * 100), sa.BigInteger)


def count_where(condition) -> sa.ColumnElement:
    """How many rows meet `condition`, 0 for none (an aggregate)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def half_up_div(numerator, denominator) -> sa.ColumnElement:
    """numerator / denominator rounded half up, for non-negative integers."""
    return (numerator * 2 + denominator) // (denominator * 2)


def sum_hundredths(value) -> sa.ColumnElement:
    """The sum of two-decimal values in whole hundredths (øre), 0 for none: exact on SQLite too."""
    return sa.func.coalesce(sa.func.sum(hundredths(value)), 0)


def decimal_from_hundredths(count) -> Decimal:
    """Whole hundredths read from the database as a two-decimal amount."""
    return (Decimal(int(count)) / 100).quantize(Decimal("0.01"))


def from_hundredths(value) -> sa.ColumnElement:
    """Hundredths back to a two-decimal value; a NUMERIC literal divisor keeps PostgreSQL exact."""
    return value / sa.literal_column("100.0")


def next_reference(session, column, prefix: str) -> str:
    """The first free reference `<prefix>NNN` of the column, counting from how many are taken.

    ("AFT-2019-" gives AFT-2019-001, AFT-2019-002, …; one typed by hand is stepped over.)
    """
    taken = set(session.scalars(sa.select(column).where(column.like(prefix + "%"))))
    number = len(taken) + 1
    while f"{prefix}{number:03d}" in taken:
        number += 1
    return f"{prefix}{number:03d}"


def analyze(session, *models) -> None:
    """Fresh planner statistics for the models' tables, after a bulk write (PostgreSQL only).

    PostgreSQL's documentation asks for ANALYZE after loading much data: autovacuum gets there
    only after a while, and until then a connection keeps plans made while a table was nearly
    empty (its foreign-key checks' among them), scanning the whole table where an index would
    do. SQLite keeps no such plans and is left alone.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE " + ", ".join(model.__table__.name for model in models)))
