"""The declarative base shared by every model, with a constraint naming convention.

Named constraints keep Alembic migrations stable and identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Where stamped moments come from when not from the real clock; the app sets it (stamp_with).
_clock: Callable[[], datetime] | None = None


def utcnow() -> datetime:
    """The moment things are stamped with as people are shown them (rows made, audit events,
    logins, reads, mails), in UTC, timezone-aware: the real time, or the portal's clock when the
    app points it there (stamp_with; a fixed PORTAL_TODAY, the demo's, never in production)."""
    return _clock().astimezone(UTC) if _clock is not None else datetime.now(UTC)


def real_utcnow() -> datetime:
    """The real time in UTC, for what security measures and the portal's clock must never move:
    TOTP time steps, sessions' idle and age limits, one-time links' and assertions' validity."""
    return datetime.now(UTC)


def stamp_with(source: Callable[[], datetime] | None) -> None:
    """Stamp moments from `source` (an aware datetime) instead of the real clock; None: real."""
    global _clock
    _clock = source


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, so the zone is attached again on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use an aware UTC datetime")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


# Money: DKK with two decimals, never float.
Money = Annotated[Decimal, mapped_column(sa.Numeric(12, 2, asdecimal=True))]
# Hours in a monthly report line (a month has at most 37 × 31 / 7 = 163.86 hours).
Hours = Annotated[Decimal, mapped_column(sa.Numeric(7, 2, asdecimal=True))]
# Rates as fractions (VAT 0.25, weights 0.6).
Rate = Annotated[Decimal, mapped_column(sa.Numeric(6, 4, asdecimal=True))]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime())]


class Base(DeclarativeBase):
    """Base class of every model, carrying the naming convention."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def enum_check(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a string column within its allowed values.

    Plain strings with a check (not native enums) keep the migrations the same on both databases.
    """
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)
