"""What a notice during the month must say (DESIGN.md §3): pure checks, every problem at once.

An exit notice has a §4 exit reason and no hours; an absence notice has the hours missed and no
reason. The day must have come: a notice tells what has happened.

A day's absence is at most DAY_MOST_HOURS hours, in hundredths: with the 11 hours of daily rest
of the Danish Working Environment Act no activation day is longer (37 hours a week over five
days is 7.4 a day), so more is a typing error, not an absence.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .exits import EXIT_REASONS
from .problems import N_, Problem
from .report_words import EXIT_REASON_CHOICES

NOTICE_KINDS = ("exit", "absence")
DAY_MOST_HOURS = Decimal("12")
NOTE_MOST = 2000


def hours_problem(hours: Decimal | None) -> Problem | None:
    """Why an absence's hours missed cannot be so; None when they can."""
    if hours is None:
        return Problem(N_("an absence notice needs the hours missed"), field="hours")
    if not hours.is_finite() or hours <= 0:
        return Problem(N_("the hours missed must be more than 0"), field="hours")
    if hours > DAY_MOST_HOURS:
        return Problem(
            N_("%(hours)s hours is more than a day's activation (at most %(most)s hours)"),
            {"hours": f"{hours.normalize():f}", "most": f"{DAY_MOST_HOURS.normalize():f}"},
            field="hours",
        )
    if hours != hours.quantize(Decimal("0.01")):
        return Problem(N_("the hours missed have at most two decimals"), field="hours")
    return None


def input_problems(
    kind: str, on: date, today: date, reason: str | None, hours: Decimal | None, note: str | None
) -> list[Problem]:
    """Every problem of what a notice says, each with the API's field name; none when it can be
    recorded as far as its own words go (whether the participant is enrolled is the service's)."""
    problems = []
    if kind not in NOTICE_KINDS:
        problems.append(
            Problem(
                N_("the kind must be one of %(kinds)s"),
                {"kinds": ", ".join(NOTICE_KINDS)},
                field="kind",
            )
        )
    if on > today:
        problems.append(
            Problem(
                N_("%(day)s has not come yet; a notice tells what has happened"),
                {"day": on},
                field="date",
            )
        )
    if kind == "exit":
        if reason is None:
            problems.append(Problem(N_("an exit notice needs the reason"), field="reason"))
        elif reason not in EXIT_REASONS:
            problems.append(
                Problem(
                    N_("'%(value)s' is not an exit reason (%(codes)s)"),
                    {"value": reason[:40], "codes": EXIT_REASON_CHOICES},
                    field="reason",
                )
            )
        if hours is not None:
            problems.append(Problem(N_("an exit notice has no hours missed"), field="hours"))
    elif kind == "absence":
        if reason is not None:
            problems.append(Problem(N_("an absence notice has no exit reason"), field="reason"))
        problem = hours_problem(hours)
        if problem is not None:
            problems.append(problem)
    if note is not None and len(note) > NOTE_MOST:
        problems.append(
            Problem(N_("the note may be at most %(most)s characters"), {"most": NOTE_MOST}, "note")
        )
    return problems
