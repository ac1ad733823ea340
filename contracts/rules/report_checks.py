"""The rules a monthly report must keep (DESIGN.md §4), checked against who is enrolled.

Every problem is collected, not just the first, so a provider can fix the whole file at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .money import round_money
from .periods import overlap_days, parse_month
from .problems import N_, InputRejected, Problem
from .report_follow_ups import FollowUp, check_follow_ups, is_follow_up, stray_cells
from .report_format import ReadReport

WEEKLY_CEILING = Decimal("37")


@dataclass(frozen=True)
class Enrolled:
    """An enrolment of the contract that overlaps the month: who must be reported."""

    participant_ref: str
    participant_id: int
    enrolment_id: int
    start_on: date
    # An end already in effect (an exit accepted earlier, a transfer); None while open.
    end_on: date | None = None


@dataclass(frozen=True)
class CheckedLine:
    """A line that keeps every rule, ready to store."""

    position: int
    participant_ref: str
    participant_id: int
    enrolment_id: int
    hours_planned: Decimal
    hours_delivered: Decimal
    absence_hours: Decimal | None
    status: str
    exit_on: date | None
    exit_reason: str | None
    enrolled_days: int


@dataclass(frozen=True)
class CheckedReport:
    """A report's lines that keep every rule, and its follow-up lines (report_follow_ups)."""

    lines: list[CheckedLine]
    follow_ups: list[FollowUp] = field(default_factory=list)


def enrolled_days(start_on: date, end_on: date | None, month: str) -> int:
    """Days enrolled in the month, the first and the last both counted."""
    first, last = parse_month(month)
    return overlap_days(start_on, end_on, first, last)


def hours_ceiling(days: int, weekly: Decimal = WEEKLY_CEILING) -> Decimal:
    """The exact ceiling for a number of enrolled days (37 h × days / 7), unrounded."""
    return weekly * days / 7


def within_ceiling(hours: Decimal, days: int, weekly: Decimal = WEEKLY_CEILING) -> bool:
    """Compared exactly, in whole numbers: hours × 7 ≤ weekly × days."""
    return hours * 7 <= weekly * days


def confirmed_exit_problem(
    line: int | None,
    status: str | None,
    exit_date: date | None,
    exit_reason: str | None,
    confirmed: tuple[date, str] | None,
    ref: str | None = None,
) -> Problem | None:
    """The problem of a line whose participant's exit is confirmed by a notice (DESIGN.md §3)
    unless the line exits on the same day for the same reason; None when it agrees (or there
    is no confirmed exit). With `ref` the message names the participant (a stored report's
    line, read without its file)."""
    if confirmed is None:
        return None
    day, reason = confirmed
    if status == "exited" and exit_date == day and exit_reason == reason:
        return None
    field = "exit_reason" if status == "exited" and exit_date == day else "exit_date"
    if ref is not None:
        return Problem(
            N_(
                "%(ref)s's exit on %(day)s (%(reason)s) is confirmed; "
                "the report's line must have the same date and reason"
            ),
            {"ref": ref, "day": day, "reason": reason},
            line,
            field,
        )
    return Problem(
        N_(
            "the exit on %(day)s (%(reason)s) is confirmed; "
            "the line must have the same date and reason"
        ),
        {"day": day, "reason": reason},
        line,
        field,
    )


def check_report(
    read: ReadReport,
    month: str,
    enrolled: list[Enrolled],
    weekly: Decimal = WEEKLY_CEILING,
    confirmed_exits: Mapping[str, tuple[date, str]] | None = None,
) -> list[CheckedLine]:
    """The lines, checked; raises InputRejected listing every problem when any line is bad.

    `confirmed_exits` (participant reference → day and reason) are the month's exits confirmed
    by notices: each must be on its participant's line with the same day and reason.
    """
    return check_lines(read, month, enrolled, weekly, confirmed_exits).lines


def check_lines(
    read: ReadReport,
    month: str,
    enrolled: list[Enrolled],
    weekly: Decimal = WEEKLY_CEILING,
    confirmed_exits: Mapping[str, tuple[date, str]] | None = None,
    claim_problems: Callable[[list[FollowUp]], list[Problem]] | None = None,
) -> CheckedReport:
    """`check_report` with the follow-up lines: each checked here for its cells, then by
    `claim_problems` (the claims' own rules) when given."""
    confirmed_exits = confirmed_exits or {}
    first, last = parse_month(month)
    by_ref = {e.participant_ref: e for e in enrolled}
    problems = list(read.problems)
    seen: dict[str, int] = {}
    checked: list[CheckedLine] = []
    follow_up_lines = []

    def problem(line: int | None, field: str | None, template: str, **params) -> None:
        problems.append(Problem(template, params, line, field))

    for position, line in enumerate(read.lines, start=1):
        if is_follow_up(line):
            follow_up_lines.append((position, line))
            continue
        n = line.line
        ok = True
        problems += stray_cells(line)
        for column in ("participant_ref", "hours_planned", "hours_delivered", "status"):
            if getattr(line, column) is None and not any(
                p.line == n and p.field == column for p in problems
            ):
                problem(n, column, N_("%(column)s is missing"), column=column)
                ok = False
        enrolment = None
        ref = line.participant_ref
        if ref is not None:
            if ref in seen:
                problem(
                    n,
                    "participant_ref",
                    N_("%(ref)s appears a second time (first on line %(first)s)"),
                    ref=ref,
                    first=seen[ref],
                )
                ok = False
            else:
                seen[ref] = n
                enrolment = by_ref.get(ref)
                disagrees = confirmed_exit_problem(
                    n, line.status, line.exit_date, line.exit_reason, confirmed_exits.get(ref)
                )
                if disagrees is not None:
                    problems.append(disagrees)
                    ok = False
                if enrolment is None:
                    problem(
                        n,
                        "participant_ref",
                        N_("%(ref)s is not enrolled in this contract in %(month)s"),
                        ref=ref[:40],
                        month=month,
                    )
                    ok = False

        exited = line.status == "exited"
        if line.status is not None:
            if exited and line.exit_date is None and not _has(problems, n, "exit_date"):
                problem(n, "exit_date", N_("an exited participant needs an exit date"))
                ok = False
            if exited and line.exit_reason is None and not _has(problems, n, "exit_reason"):
                problem(n, "exit_reason", N_("an exited participant needs an exit reason"))
                ok = False
            if not exited and line.exit_date is not None:
                problem(n, "exit_date", N_("an active participant has no exit date"))
                ok = False
            if not exited and line.exit_reason is not None:
                problem(n, "exit_reason", N_("an active participant has no exit reason"))
                ok = False
        if line.exit_date is not None and not (first <= line.exit_date <= last):
            problem(
                n,
                "exit_date",
                N_("the exit date %(day)s is outside %(month)s"),
                day=line.exit_date,
                month=month,
            )
            ok = False
        elif line.exit_date is not None and enrolment and line.exit_date < enrolment.start_on:
            problem(
                n,
                "exit_date",
                N_("the exit date %(day)s is before the enrolment started (%(start)s)"),
                day=line.exit_date,
                start=enrolment.start_on,
            )
            ok = False

        for column in ("hours_planned", "hours_delivered", "absence_hours"):
            value = getattr(line, column)
            if value is not None and value < 0:
                problem(
                    n,
                    column,
                    N_("%(column)s cannot be negative (%(value)s)"),
                    column=column,
                    value=value.normalize(),
                )
                ok = False
        if (
            line.absence_hours is not None
            and line.hours_planned is not None
            and (0 <= line.hours_planned < line.absence_hours)
        ):
            problem(
                n,
                "absence_hours",
                N_("absence (%(absence)s h) is more than the planned hours (%(planned)s h)"),
                absence=line.absence_hours.normalize(),
                planned=line.hours_planned.normalize(),
            )
            ok = False

        days = 0
        if enrolment is not None:
            end = (
                line.exit_date
                if exited and line.exit_date and first <= line.exit_date <= last
                else None
            )
            if enrolment.end_on is not None:
                end = min(end, enrolment.end_on) if end else enrolment.end_on
            days = overlap_days(enrolment.start_on, end, first, last)
            for column in ("hours_planned", "hours_delivered"):
                value = getattr(line, column)
                if value is not None and value >= 0 and not within_ceiling(value, days, weekly):
                    problem(
                        n,
                        column,
                        N_(
                            "%(hours)s hours is above the ceiling of %(ceiling)s h "
                            "(%(weekly)s h a week for %(days)s enrolled days)"
                        ),
                        hours=value.normalize(),
                        ceiling=round_money(hours_ceiling(days, weekly)),
                        weekly=weekly.normalize(),
                        days=days,
                    )
                    ok = False
        if ok and enrolment is not None and not _has(problems, n, None, any_field=True):
            checked.append(
                CheckedLine(
                    position=position,
                    participant_ref=ref,
                    participant_id=enrolment.participant_id,
                    enrolment_id=enrolment.enrolment_id,
                    hours_planned=line.hours_planned,
                    hours_delivered=line.hours_delivered,
                    absence_hours=line.absence_hours,
                    status=line.status,
                    exit_on=line.exit_date if exited else None,
                    exit_reason=line.exit_reason if exited else None,
                    enrolled_days=days,
                )
            )

    for ref in by_ref:
        if ref not in seen:
            problem(
                None,
                "participant_ref",
                N_("%(ref)s is enrolled in this contract in %(month)s but missing from the report"),
                ref=ref,
                month=month,
            )
    follow_ups, found = check_follow_ups(follow_up_lines, read.problems)
    problems += found
    if claim_problems is not None and follow_ups:
        problems += claim_problems(follow_ups)
    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise InputRejected(problems)
    return CheckedReport(checked, follow_ups)


def _has(problems: list[Problem], line: int, column: str | None, any_field: bool = False) -> bool:
    return any(p.line == line and (any_field or p.field == column) for p in problems)
