"""The plan turned into rows: made-up citizens and their accepted monthly reports.

Pure and repeatable (the same seed gives the same rows) and free of the database, so the
tests can compare what is stored with what was planned, and the loader only has to write.

- Every citizen has one enrolment (no transfers yet: the changeover comes in September 2019).
- The CPR numbers are made up here (valid format and birth date); the loader passes them
  through the same `parse_cpr` and `pseudonym` a referral uses and drops them.
- January 2019's report covers the days up to the 24th and is accepted on the 24th, so the
  figures of that day come from accepted reports alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from ...rules.cpr import age_on, parse_cpr
from ...rules.periods import month_of, months_between, overlap_days, parse_month
from ...rules.programmes import STANDARD_PROGRAMMES
from ...rules.report_checks import hours_ceiling
from .plan import (
    CONTRACTS,
    DEMO_SEED,
    DEMO_TODAY,
    EXIT_REASONS_PLANNED,
    SPECIAL_START,
    WEEKLY_HOURS,
    at,
)

# References avoid characters that are easily misread (0/O, 1/I).
REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
HALF = Decimal("0.5")


@dataclass(frozen=True)
class CitizenPlan:
    """A made-up citizen of the demo: CPR (never stored), referral and, maybe, exit."""

    cpr: str
    ref: str
    contract: str
    start_on: date
    weekly_hours: int
    exit_on: date | None = None
    exit_reason: str | None = None


@dataclass(frozen=True)
class LinePlan:
    """One citizen's line in a monthly report: the hours, and whether the exit falls in it."""

    citizen: CitizenPlan
    hours_planned: Decimal
    hours_delivered: Decimal
    absence_hours: Decimal | None
    exits: bool


@dataclass(frozen=True)
class ReportPlan:
    """One accepted monthly report of a contract: when it was sent and decided, and its lines."""

    contract: str
    month: str
    submitted_at: datetime
    decided_at: datetime
    lines: tuple[LinePlan, ...]


def plan_citizens(seed: int = DEMO_SEED) -> list[CitizenPlan]:
    """The demo's 107 citizens, the same for the same seed; pure, touches no database.

    Each CPR is made up with a birth date that fits the programme's age rule on the start
    day and a century digit that matches the birth year, so `parse_cpr` accepts it.
    """
    rng = random.Random(seed)
    age_rules = {p.code: p.age_rule for p in STANDARD_PROGRAMMES}
    cprs: set[str] = set()
    refs: set[str] = set()
    referrals = []
    for plan in CONTRACTS:
        for _ in range(plan.referrals):
            start = _weekday_between(rng, SPECIAL_START, DEMO_TODAY)
            cpr = _made_up_cpr(rng, age_rules[plan.programme], start, cprs)
            referrals.append(
                {
                    "cpr": cpr,
                    "ref": _new_ref(rng, refs),
                    "contract": plan.reference,
                    "start_on": start,
                    "weekly_hours": rng.choice(WEEKLY_HOURS),
                }
            )
    # Exits only for citizens who started at least a week before the demo's day.
    candidates = [i for i, r in enumerate(referrals) if r["start_on"] <= DEMO_TODAY - timedelta(7)]
    leavers = rng.sample(candidates, len(EXIT_REASONS_PLANNED))
    reasons = list(EXIT_REASONS_PLANNED)
    rng.shuffle(reasons)
    for index, reason in zip(leavers, reasons, strict=False):
        start = referrals[index]["start_on"]
        referrals[index]["exit_on"] = start + timedelta(rng.randint(1, (DEMO_TODAY - start).days))
        referrals[index]["exit_reason"] = reason
    return [CitizenPlan(**r) for r in referrals]


def plan_reports(citizens: list[CitizenPlan], seed: int = DEMO_SEED + 1) -> list[ReportPlan]:
    """An accepted report per contract per month from its first referral to January 2019."""
    rng = random.Random(seed)
    last_month = month_of(DEMO_TODAY)
    reports = []
    for contract in CONTRACTS:
        own = sorted(
            (c for c in citizens if c.contract == contract.reference),
            key=lambda citizen: (citizen.start_on, citizen.ref),
        )
        if not own:
            continue
        for month in months_between(month_of(own[0].start_on), last_month):
            first, last = parse_month(month)
            # January 2019's report covers the days up to the demo's day.
            covered_to = min(last, DEMO_TODAY)
            if month < last_month:
                # Sent on the 1st of the next month, accepted on the 3rd.
                submitted_at = at(last + timedelta(days=1), 9)
                decided_at = at(last + timedelta(days=3), 12)
            else:
                submitted_at, decided_at = at(DEMO_TODAY, 9), at(DEMO_TODAY, 13)
            # DESIGN §4: enrolled at any time in the month.
            present = [
                c for c in own if c.start_on <= last and (c.exit_on is None or c.exit_on >= first)
            ]
            lines = tuple(_line(rng, citizen, first, covered_to) for citizen in present)
            reports.append(ReportPlan(contract.reference, month, submitted_at, decided_at, lines))
    return reports


def _line(rng: random.Random, citizen: CitizenPlan, first: date, covered_to: date) -> LinePlan:
    days = overlap_days(citizen.start_on, citizen.exit_on, first, covered_to)
    planned, delivered, absence = _hours(rng, citizen.weekly_hours, days)
    exits = citizen.exit_on is not None and citizen.exit_on <= covered_to
    return LinePlan(citizen, planned, delivered, absence, exits)


def _weekday_between(rng: random.Random, first: date, last: date) -> date:
    while True:
        day = first + timedelta(rng.randint(0, (last - first).days))
        if day.weekday() < 5:
            return day


def _made_up_cpr(rng: random.Random, rule: str, start: date, taken: set[str]) -> str:
    """A CPR number (DDMMYY-XXXX) of someone aged 18–62 on the start day who fits the rule."""
    low, high = {"under_30": (18, 29), "30_and_over": (30, 62), "all": (18, 62)}[rule]
    while True:
        age = rng.randint(low, high)
        born = date(start.year - age - 1, 1, 1) + timedelta(rng.randint(0, 364))
        if not low <= age_on(born, start) <= high:
            continue
        # The seventh digit carries the century: 0–3 for the 1900s, 4–9 for 2000–2036.
        century_digit = rng.choice("0123" if born.year < 2000 else "456789")
        text = f"{born:%d%m%y}-{century_digit}{rng.randint(0, 999):03d}"
        compact, parsed = parse_cpr(text)
        if parsed == born and compact not in taken:
            taken.add(compact)
            return text


def _new_ref(rng: random.Random, taken: set[str]) -> str:
    while True:
        ref = "DL-" + "".join(rng.choice(REF_ALPHABET) for _ in range(5))
        if ref not in taken:
            taken.add(ref)
            return ref


def _half_hours_down(hours: Decimal) -> Decimal:
    return ((hours / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF).quantize(Decimal("0.01"))


def _hours(rng: random.Random, weekly: int, days: int) -> tuple[Decimal, Decimal, Decimal | None]:
    """Planned, delivered and absent hours for some days, within the report rules' ceiling."""
    ceiling = hours_ceiling(days)
    planned = _half_hours_down(Decimal(weekly) * days / 7)
    if rng.random() < 0.05:
        # Now and then a provider delivers a little more than planned, never past the ceiling.
        delivered = min(planned + 2, _half_hours_down(ceiling))
    else:
        delivered = _half_hours_down(planned * Decimal(rng.randint(55, 100)) / 100)
    missing = planned - delivered
    if missing <= 0 or rng.random() < 0.2:
        absence = None
    else:
        absence = _half_hours_down(missing * Decimal(rng.randint(30, 100)) / 100)
    return planned, delivered, absence
