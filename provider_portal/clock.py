"""The portal's "today": the PORTAL_TODAY setting, or the real date in Copenhagen."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

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
