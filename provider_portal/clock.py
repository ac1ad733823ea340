"""The portal's "today": the PORTAL_TODAY setting, or the real date in Copenhagen."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def today() -> date:
    """The date the portal works on (the demo runs on 24 January 2019)."""
    fixed = current_app.config.get("PORTAL_TODAY")
    return fixed or datetime.now(COPENHAGEN).date()


def is_fixed() -> bool:
    """True when the clock is set, as in the demo; pages then say which date they run on."""
    return current_app.config.get("PORTAL_TODAY") is not None
