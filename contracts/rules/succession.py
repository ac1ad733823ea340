"""Succession (DESIGN.md §3): a contract that ends is followed by the next one from the day
after, without a gap and without an overlap. The warning when a successor does not start on
that day, and when a contract is expiring: soon over with nothing to follow it.

Both ways a successor is made, entered as a contract or tendered, warn with this one rule.
"""

from __future__ import annotations

from datetime import date, timedelta

from .problems import N_, Problem

# A contract is expiring this many days before its last day, until a successor is entered.
EXPIRING_WITHIN_DAYS = 90


def changeover_day(predecessor_end: date) -> date:
    """The day a successor takes over: the day after the predecessor's last day."""
    return predecessor_end + timedelta(days=1)


def succession_warning(
    predecessor_reference: str, predecessor_end: date, start: date, field: str | None = None
) -> Problem | None:
    """A warning when a successor starting on `start` leaves a gap or overlaps; else None."""
    changeover = changeover_day(predecessor_end)
    values = {"reference": predecessor_reference, "end": predecessor_end, "start": start}
    if start > changeover:
        return Problem(
            N_(
                "%(days)s day(s) without a contract between %(reference)s, which ends %(end)s, "
                "and the start on %(start)s."
            ),
            {"days": (start - changeover).days, **values},
            field=field,
        )
    if start < changeover:
        return Problem(
            N_(
                "The start on %(start)s overlaps %(reference)s (which ends %(end)s) by %(days)s day(s)."
            ),
            {"days": (changeover - start).days, **values},
            field=field,
        )
    return None


def is_expiring(days_left: int | None, has_successor: bool) -> bool:
    """Ends within 90 days (days_left None: over already) and nothing succeeds it."""
    return days_left is not None and days_left <= EXPIRING_WITHIN_DAYS and not has_successor
