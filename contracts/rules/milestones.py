"""Milestones of a contract paid by lasting results (DESIGN.md §15), as pure rules.

- `start` is the exit to a job or education: its day is the exit date and it is paid on the
  invoice of the exit's month, as the outcome bonus always was (its amount *is* the contract's
  `outcome_bonus`). `week13` and `week26` are the job or education still going 91 and 182 days
  after it started; the provider claims them, with evidence, on or after that day.
- A share of claims (`CLAIM_CHECK_SHARE`) must be verified before they are paid. Which ones is
  drawn from the claim's own keys (contract, participant, milestone), so the same claim always
  draws the same and nobody can try again for another draw.
- A relapse (the citizen back on benefit) makes every milestone after it unreachable; a paid
  milestone whose day lies within `clawback_days` before it (or after it: never reached) is
  taken back. `clawback_days` left out means nothing reached is ever taken back.

The aggregation computes the same in set-based SQL (`contracts.services.milestone_lines`);
these functions are the reference the tests hold it to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from .problems import N_, Problem

MILESTONES = ("start", "week13", "week26")
# The milestones a provider claims; `start` is paid from the monthly report's exit.
CLAIMED_MILESTONES = ("week13", "week26")
MILESTONE_DAYS = {"week13": 91, "week26": 182}
CLAIM_STATUSES = ("claimed", "verified", "rejected")
DEFAULT_CHECK_SHARE = Decimal("0.2")
MOST_WEEKLY_HOURS = Decimal(80)
MOST_CLAWBACK_DAYS = 3660


def milestone_on(code: str, started_on: date) -> date:
    """The day a claimed milestone is reached: 91 or 182 days after the job or education started."""
    return started_on + timedelta(days=MILESTONE_DAYS[code])


def check_required(contract_id: int, participant_ref: str, code: str, share: Decimal) -> bool:
    """Whether this claim must be verified before it is paid: a reproducible draw from its keys.

    The first eight bytes of SHA-256 over the keys, as a fraction of 2**64, below the share.
    """
    digest = hashlib.sha256(f"{contract_id}:{participant_ref}:{code}".encode()).digest()
    draw = Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64)
    return draw < share


def payable_on(required: bool, status: str, made_on: date, decided_on: date | None) -> date | None:
    """The day a claim becomes payable: made (no check), verified (checked); never if rejected."""
    if status == "rejected":
        return None
    if not required:
        return made_on
    return decided_on if status == "verified" else None


def lapsed(milestone_day: date, relapsed_on: date | None) -> bool:
    """A milestone whose day falls after the relapse was never reached."""
    return relapsed_on is not None and milestone_day > relapsed_on


def taken_back(milestone_day: date, relapsed_on: date, clawback_days: int | None) -> bool:
    """Whether a paid milestone is credited after a relapse: never reached (after it), or reached
    within `clawback_days` before it. In SQL: relapse day − milestone day ≤ coalesce(days, −1)."""
    if lapsed(milestone_day, relapsed_on):
        return True
    return clawback_days is not None and (relapsed_on - milestone_day).days <= clawback_days


def claim_problems(
    code: str,
    started_on: date,
    today: date,
    relapsed_on: date | None,
    weekly_hours: Decimal,
    employer_cvr: str | None,
    institution: str | None,
) -> list[Problem]:
    """Why a claim cannot be made today (each with the API's field), or nothing."""
    problems: list[Problem] = []
    if code not in CLAIMED_MILESTONES:
        problems.append(
            Problem(
                N_("claim one of the milestones %(codes)s"),
                {"codes": ", ".join(CLAIMED_MILESTONES)},
                field="milestone",
            )
        )
        return problems
    if started_on > today:
        problems.append(
            Problem(N_("the job or education cannot start in the future"), field="started_on")
        )
    day = milestone_on(code, started_on)
    if day > today:
        problems.append(
            Problem(
                N_(
                    "the %(milestone)s milestone is reached on %(day)s; claim it on or after that day"
                ),
                {"milestone": code, "day": day},
                field="milestone",
            )
        )
    if lapsed(day, relapsed_on):
        problems.append(
            Problem(
                N_(
                    "the participant was back on benefit on %(relapse)s, before the %(milestone)s "
                    "milestone (%(day)s): it was never reached"
                ),
                {"relapse": relapsed_on, "milestone": code, "day": day},
                field="milestone",
            )
        )
    if not Decimal(0) < weekly_hours <= MOST_WEEKLY_HOURS:
        problems.append(
            Problem(
                N_("weekly hours are more than 0 and at most %(most)s"),
                {"most": MOST_WEEKLY_HOURS},
                field="weekly_hours",
            )
        )
    if not employer_cvr and not institution:
        problems.append(
            Problem(
                N_("give the employer's CVR number or the education institution"),
                field="evidence",
            )
        )
    return problems


def terms_problems(
    milestones: Iterable[tuple[str, Decimal]], clawback_days: int | None
) -> list[Problem]:
    """Why milestone terms cannot be entered: an unknown code, a negative amount, a bad window."""
    problems = []
    for code, amount in milestones:
        if code not in MILESTONES:
            problems.append(
                Problem(
                    N_("there is no milestone '%(code)s'; use %(codes)s"),
                    {"code": code, "codes": ", ".join(MILESTONES)},
                    field="milestones",
                )
            )
        elif amount < 0:
            problems.append(
                Problem(
                    N_("the %(code)s milestone's amount must not be negative"),
                    {"code": code},
                    field="milestones",
                )
            )
    if clawback_days is not None and not 0 <= clawback_days <= MOST_CLAWBACK_DAYS:
        problems.append(
            Problem(
                N_("clawback days are from 0 to %(most)s"),
                {"most": MOST_CLAWBACK_DAYS},
                field="clawback_days",
            )
        )
    return problems


def effective_milestones(
    outcome_bonus: Decimal, later: dict[str, Decimal]
) -> list[tuple[str, Decimal]]:
    """A contract's milestones as they pay: `start` (its outcome bonus) and any later ones."""
    return [("start", outcome_bonus)] + [
        (code, later[code]) for code in CLAIMED_MILESTONES if code in later
    ]


def later_milestones(
    outcome_bonus: Decimal, rows: tuple[tuple[str, Decimal], ...], clawback_days: int | None
) -> tuple[dict[str, Decimal], list[Problem]]:
    """The later milestones of entered terms (`start` is the outcome bonus), and every problem:
    a code given twice, a `start` that is not the outcome bonus, and `terms_problems`."""
    given: dict[str, Decimal] = {}
    problems = []
    for code, amount in rows:
        if code in given:
            problems.append(
                Problem(
                    N_("the %(code)s milestone is given twice"), {"code": code}, field="milestones"
                )
            )
        given[code] = amount
    problems += terms_problems(rows, clawback_days)
    start = given.pop("start", None)
    if start is not None and start != outcome_bonus:
        problems.append(
            Problem(
                N_(
                    "the start milestone is the outcome bonus (%(bonus)s); give the same amount "
                    "or leave it out"
                ),
                {"bonus": outcome_bonus},
                field="milestones",
            )
        )
    return {code: given[code] for code in CLAIMED_MILESTONES if code in given}, problems
