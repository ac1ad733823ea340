"""A monthly report's follow-up lines: milestone claims sent with the month's report (DESIGN.md
§4, §15).

The decision (§15 allows claims "in the monthly report's follow-up lines"; §4 did not say how):
- A report (CSV, xlsx or JSON, read by `report_format` like every other line) may carry, after
  or among its lines, a line per milestone claimed for a participant who left *this* contract
  for a job or education earlier: status `follow_up` (Danish `opfølgning`), `milestone`
  (`milepæl`: `week13`/`week26`, Danish `13 uger`/`26 uger`), `employer` (`arbejdsgiver`: the
  employer's CVR number, 8 digits, or else the education institution's name), `started_on`
  (`startdato`) and `weekly_hours` (`ugetimer`, decimal comma or point). Its hours columns are
  empty or 0, its exit columns empty. The four columns are optional: a report without them
  reads exactly as before, and the month's template leaves them out.
- A follow-up line is not one of the month's participants: it neither counts as a participant's
  line nor stands in for one, and the invoice's month lines never see it.
- Its problems are reported per line and column like the others, and any of them refuses the
  whole report: what this module checks (the cells a follow-up line needs, the same milestone
  claimed twice in the report, follow-up cells on a participant's own line) and what
  `contracts.services.milestone_claims.report_claim_problems` checks with the claim's own rules
  (a participant without a job or education exit from this contract or unknown, a milestone the
  contract does not pay, a claim before its day or after a relapse, bad evidence, a milestone
  already claimed).
- The claims are made when procurement accepts the report (as its exits take effect then),
  through `milestone_claims.make_from_report`, in the same transaction; the rules are checked
  again that day, and a report whose claims no longer hold cannot be accepted (procurement
  rejects it with the reason). The invoice for the month holding a claim's payable day pays it,
  as for a claim made by page or API.
- A correction of an invoiced report is a new version like any other: its follow-up lines are
  new claims, so it leaves out those an earlier version already made (one repeated is refused
  as already claimed, on its line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .identifiers import compact_cvr
from .milestones import milestone_on
from .problems import N_, Problem
from .report_format import RawLine
from .report_words import FOLLOW_UP, FOLLOW_UP_COLUMNS

# What a claim's problem is about, as the report's column.
CLAIM_FIELD_COLUMNS = {"evidence": "employer", "employer_cvr": "employer"}


def split_employer(text: str) -> tuple[str | None, str | None]:
    """The evidence's employer cell as (CVR number, institution): digits (spaces, dashes or a DK
    prefix aside) are a CVR number, checked as one; anything else names an institution."""
    number = compact_cvr(text)
    if number.isdigit():
        return number, None
    return None, text.strip()[:200]


@dataclass(frozen=True)
class FollowUp:
    """A follow-up line whose cells are all there: one milestone claimed, with its evidence."""

    line: int
    position: int
    participant_ref: str
    milestone: str
    employer: str
    started_on: date
    weekly_hours: Decimal

    @property
    def employer_cvr(self) -> str | None:
        return split_employer(self.employer)[0]

    @property
    def institution(self) -> str | None:
        return split_employer(self.employer)[1]

    @property
    def milestone_on(self) -> date:
        return milestone_on(self.milestone, self.started_on)


def is_follow_up(line: RawLine) -> bool:
    return line.status == FOLLOW_UP


def stray_cells(line: RawLine) -> list[Problem]:
    """A participant's own line carries no follow-up cells."""
    return [
        Problem(N_("only a follow-up line has %(column)s"), {"column": column}, line.line, column)
        for column in FOLLOW_UP_COLUMNS
        if getattr(line, column) is not None
    ]


def follow_up_problems(line: RawLine) -> list[Problem]:
    """What a follow-up line misses or must not have (cells that could not be read are already
    problems of their own and are not named again)."""
    problems = []
    for column in ("participant_ref", *FOLLOW_UP_COLUMNS):
        if getattr(line, column) is None:
            problems.append(
                Problem(
                    N_("a follow-up line needs %(column)s"), {"column": column}, line.line, column
                )
            )
    for column in ("hours_planned", "hours_delivered", "absence_hours"):
        value = getattr(line, column)
        if value is not None and value != 0:
            problems.append(
                Problem(
                    N_("a follow-up line has no hours (leave %(column)s empty or 0)"),
                    {"column": column},
                    line.line,
                    column,
                )
            )
    for column in ("exit_date", "exit_reason"):
        if getattr(line, column) is not None:
            problems.append(
                Problem(
                    N_("a follow-up line has no %(column)s"), {"column": column}, line.line, column
                )
            )
    return problems


def check_follow_ups(
    lines: list[tuple[int, RawLine]], read_problems: list[Problem]
) -> tuple[list[FollowUp], list[Problem]]:
    """The follow-up lines (each with its position in the report) that have every cell, and
    the problems of all of them. A cell `read_problems` already names is not named again."""
    unread = {(p.line, p.field) for p in read_problems}
    unread_lines = {number for number, _ in unread}
    checked, problems = [], []
    first: dict[tuple[str, str], int] = {}
    for position, line in lines:
        found = [p for p in follow_up_problems(line) if (line.line, p.field) not in unread]
        problems += found
        key = (line.participant_ref, line.milestone)
        if key in first:
            problems.append(
                Problem(
                    N_(
                        "%(ref)s's %(milestone)s milestone is claimed a second time "
                        "(first on line %(first)s)"
                    ),
                    {"ref": key[0][:40], "milestone": key[1], "first": first[key]},
                    line.line,
                    "milestone",
                )
            )
            continue
        if None not in key:
            first[key] = line.line
        if not found and line.line not in unread_lines:
            checked.append(
                FollowUp(
                    line.line,
                    position,
                    line.participant_ref,
                    line.milestone,
                    line.employer,
                    line.started_on,
                    line.weekly_hours,
                )
            )
    return checked, problems


def on_line(problem: Problem, follow_up: FollowUp) -> Problem:
    """A claim's problem placed on the follow-up line, its field named as the report's column."""
    column = CLAIM_FIELD_COLUMNS.get(problem.field, problem.field)
    return Problem(problem.template, problem.params, follow_up.line, column)
