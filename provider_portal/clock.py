"""The portal's "today": the PORTAL_TODAY setting, or the real date in Copenhagen.

With PORTAL_TODAY set (the demo; never in production) the moments the domain stamps and people
are shown (audit events, logins, reads, rows made, mails) are on the portal's clock too, so no
page puts 2026 beside 2019; what security measures (TOTP, session limits, one-time links,
throttles) keeps the real time (contracts.models.base.real_utcnow)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, current_app, has_app_context

from contracts.models.base import stamp_with
from contracts.rules.periods import COPENHAGEN


def today() -> date:
    """The date the portal works on (the demo runs on 24 January 2019)."""
    fixed = current_app.config.get("PORTAL_TODAY")
    return fixed or datetime.now(COPENHAGEN).date()


def is_fixed() -> bool:
    """True when the clock is set, as in the demo; pages then say which date they run on."""
    return current_app.config.get("PORTAL_TODAY") is not None


def now() -> datetime:
    """The portal's current moment, timezone-aware.

    PORTAL_NOW (an aware datetime, set by tests) fixes the exact minute; otherwise, with
    PORTAL_TODAY set, it is that day at the current Copenhagen wall-clock time, so deadlines
    on the demo date behave as they would on the real one.
    """
    fixed_moment = current_app.config.get("PORTAL_NOW")
    if fixed_moment is not None:
        return fixed_moment
    real = datetime.now(COPENHAGEN)
    fixed_day = current_app.config.get("PORTAL_TODAY")
    if fixed_day is None:
        return real
    return datetime.combine(fixed_day, real.timetz().replace(tzinfo=None), tzinfo=COPENHAGEN)


def stamp() -> datetime:
    """The moment the domain stamps things with: the portal's clock when PORTAL_TODAY fixes it,
    else (and outside an app) the real time."""
    if has_app_context() and is_fixed():
        return now()
    return datetime.now(UTC)


def init_app(app: Flask) -> None:
    """Point the domain's stamping (contracts.models.base.utcnow) at the portal's clock."""
    stamp_with(stamp)
