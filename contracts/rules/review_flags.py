"""What a reviewer looks for on a submitted report's line (issue 12, the reviewer's aids).

Flags are not problems: a flagged line keeps every rule of DESIGN.md §4 and may be right. They
point the reviewer at what deserves a second look before the report is accepted:

- `delivered_above_planned`: more hours delivered than planned;
- `near_ceiling`: planned or delivered hours at or above `NEAR_CEILING_SHARE` (95 %) of the
  line's ceiling, 37 h (the programme's week) × enrolled days / 7, compared exactly as the
  report's own check compares it (whole numbers, no rounding);
- `absence_unlike_notices`: the line's absence hours differ from the hours the month's absence
  notices told of for the participant (a line without absence hours counts as 0), in a month
  with any absence notice at all: with none, there is nothing to compare with
  (`notified_absence` None), and every line flagged would only be noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .report_checks import hours_ceiling

# A line is near its ceiling from 95 % of it: 155.67 h of January's 163.86 h.
NEAR_CEILING_SHARE = Decimal("0.95")

FLAG_KINDS = ("delivered_above_planned", "near_ceiling", "absence_unlike_notices")


@dataclass(frozen=True)
class Flag:
    """One thing to look at on a line: its kind and the values the page shows with it."""

    kind: str
    values: dict = field(default_factory=dict, compare=False, hash=False)


def near_ceiling(
    hours: Decimal, days: int, weekly: Decimal, share: Decimal = NEAR_CEILING_SHARE
) -> bool:
    """Hours at or above `share` of the ceiling weekly × days / 7, compared exactly:
    hours × 7 ≥ share × weekly × days (Decimal products of two-decimal values are exact)."""
    if days <= 0 or hours <= 0:
        return False
    return hours * 7 >= share * weekly * days


def line_flags(
    *,
    hours_planned: Decimal,
    hours_delivered: Decimal,
    absence_hours: Decimal | None,
    days: int,
    weekly: Decimal,
    notified_absence: Decimal | None,
) -> list[Flag]:
    """The flags a line deserves, in the order of `FLAG_KINDS`."""
    flags = []
    if hours_delivered > hours_planned:
        flags.append(
            Flag(
                "delivered_above_planned",
                {"planned": hours_planned, "delivered": hours_delivered},
            )
        )
    near = [
        (name, hours)
        for name, hours in (("planned", hours_planned), ("delivered", hours_delivered))
        if near_ceiling(hours, days, weekly)
    ]
    if near:
        flags.append(
            Flag(
                "near_ceiling",
                {
                    "hours": max(hours for _name, hours in near),
                    "which": tuple(name for name, _hours in near),
                    "ceiling": hours_ceiling(days, weekly),
                    "days": days,
                },
            )
        )
    reported = absence_hours or Decimal(0)
    if notified_absence is not None and reported != notified_absence:
        flags.append(
            Flag("absence_unlike_notices", {"reported": reported, "notified": notified_absence})
        )
    return flags
