"""The plan turned into rows: made-up citizens and their accepted monthly reports.

Pure and repeatable (the same seed gives the same rows) and free of the database, so the
tests can compare what is stored with what was planned, and the loader only has to write.

- Every citizen has one enrolment (no transfers yet: the changeover comes in September 2019).
- The CPR numbers are made up here (valid format and birth date); the loader passes them
  through the same `parse_cpr` and `pseudonym` a referral uses and drops them.
- Every month up to December 2018 has its report, sent on the 1st of the next month and
  accepted on the 3rd; of December's, one waits for review and the demo provider's is late
  (plan.py). January 2019 has not ended: only the demo provider's draft, up to the 24th.
- Exits whose month's report is not accepted count from exit notices that procurement
  confirmed; a few January exit notices wait, and a few absence notices are told.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from ...rules.cpr import age_on, parse_cpr
from ...rules.exits import BENEFIT_STOPPED_EXITS, OTHER_EXITS, POSITIVE_EXITS
from ...rules.periods import Month, month_of, months_between, overlap_days, parse_month
from ...rules.programmes import STANDARD_PROGRAMMES
from ...rules.report_checks import hours_ceiling
from .plan import (
    ABSENCE_NOTICES,
    CONTRACTS,
    DECEMBER_LATE,
    DECEMBER_WAITING,
    DECEMBER_WAITING_SUBMITTED_AT,
    DEMO_SEED,
    DEMO_TODAY,
    EXIT_NOTICES_WAITING,
    EXIT_REASONS_PLANNED,
    JANUARY_DRAFT,
    LAST_ENDED_MONTH,
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
    """One monthly report of a contract: its state, when it was saved, sent and decided (None:
    not yet), and its lines."""

    contract: str
    month: str
    status: str  # accepted, submitted or draft
    saved_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    lines: tuple[LinePlan, ...]


@dataclass(frozen=True)
class NoticePlan:
    """A notice the provider told the day it happened; an exit notice confirmed or waiting."""

    citizen: CitizenPlan
    kind: str  # exit or absence
    on: date
    recorded_at: datetime
    reason: str | None = None
    hours: Decimal | None = None
    confirmed_at: datetime | None = None  # None: waiting for procurement (or an absence)


def plan_citizens(seed: int = DEMO_SEED) -> list[CitizenPlan]:
    """The demo's 107 citizens, the same for the same seed; pure, touches no database.

    Each CPR is made up with a birth date that fits the programme's age rule on the start
    day and a century digit that matches the birth year, so `parse_cpr` accepts it.
    """
    rng = random.Random(seed)  # nosec B311 # the demo's made-up data, the same every time
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
    """The reports of every contract from its first referral to the demo's day (plan.py)."""
    rng = random.Random(seed)  # nosec B311 # the demo's made-up data, the same every time
    reports = []
    for contract in CONTRACTS:
        own = sorted(
            (c for c in citizens if c.contract == contract.reference),
            key=lambda citizen: (citizen.start_on, citizen.ref),
        )
        if not own:
            continue
        for month in months_between(month_of(own[0].start_on), month_of(DEMO_TODAY)):
            first, last = parse_month(month)
            covered_to = min(last, DEMO_TODAY)
            # Sent on the 1st of the next month, accepted on the 3rd.
            sent = at(last + timedelta(days=1), 9)
            status, decided = "accepted", at(last + timedelta(days=3), 12)
            if month > LAST_ENDED_MONTH:  # January 2019: not ended, at most a draft
                if contract.reference != JANUARY_DRAFT:
                    continue
                status, sent, decided = "draft", None, None
            elif month == LAST_ENDED_MONTH and contract.reference == DECEMBER_LATE:
                continue
            elif month == LAST_ENDED_MONTH and contract.reference == DECEMBER_WAITING:
                status, sent, decided = "submitted", DECEMBER_WAITING_SUBMITTED_AT, None
            # DESIGN §4: enrolled at any time in the month.
            present = [
                c for c in own if c.start_on <= last and (c.exit_on is None or c.exit_on >= first)
            ]
            lines = tuple(_line(rng, citizen, first, covered_to) for citizen in present)
            saved = sent or at(DEMO_TODAY, 10)
            reports.append(
                ReportPlan(contract.reference, month, status, saved, sent, decided, lines)
            )
    return reports


def accepted_months(reports: list[ReportPlan]) -> set[tuple[str, str]]:
    """(contract, month) of every accepted report: the months whose exits the reports carry."""
    return {(r.contract, r.month) for r in reports if r.status == "accepted"}


def plan_notices(
    citizens: list[CitizenPlan], reports: list[ReportPlan], seed: int = DEMO_SEED + 2
) -> list[NoticePlan]:
    """The notices up to the demo's day, in the order they were told; pure and seeded.

    Every exit whose month's report is not accepted was told by an exit notice the day it
    happened and confirmed by procurement the next working day (the same afternoon on the
    demo's day), so it counts from then. EXIT_NOTICES_WAITING exit notices of January wait for
    a decision, and ABSENCE_NOTICES citizens missed hours on a January day.
    """
    rng = random.Random(seed)  # nosec B311 # the demo's made-up data, the same every time
    accepted = accepted_months(reports)
    notices = [
        NoticePlan(
            c,
            "exit",
            c.exit_on,
            at(c.exit_on, 10),
            reason=c.exit_reason,
            confirmed_at=_decided(c.exit_on),
        )
        for c in citizens
        if c.exit_on is not None and (c.contract, month_of(c.exit_on)) not in accepted
    ]
    january = Month.of(DEMO_TODAY).first_day
    staying = sorted(
        (c for c in citizens if c.exit_on is None and c.start_on < january),
        key=lambda c: c.ref,
    )
    # One waiting exit of the demo provider's own contract, the others anywhere.
    own = [c for c in staying if c.contract == JANUARY_DRAFT]
    leaving = [rng.choice(own)]
    leaving += rng.sample([c for c in staying if c not in leaving], EXIT_NOTICES_WAITING - 1)
    for citizen in leaving:
        day = _weekday_between(rng, DEMO_TODAY - timedelta(days=4), DEMO_TODAY)
        # One reason of each category, so the queue shows each kind of exit.
        reason = rng.choice(
            [kind[0] for kind in (POSITIVE_EXITS, BENEFIT_STOPPED_EXITS, OTHER_EXITS)]
        )
        notices.append(NoticePlan(citizen, "exit", day, at(day, 10), reason=reason))
    absent = rng.sample([c for c in staying if c not in leaving], ABSENCE_NOTICES)
    for citizen in absent:
        day = _weekday_between(rng, january, DEMO_TODAY)
        hours = Decimal(rng.choice(("2.5", "3.0", "4.0", "6.0", "7.5")))
        notices.append(NoticePlan(citizen, "absence", day, at(day, 11), hours=hours))
    return sorted(notices, key=lambda n: (n.recorded_at, n.citizen.ref))


def _decided(day: date) -> datetime:
    """When procurement confirmed an exit told on `day`: the next working day at 10, but at
    15 the same day when that would be after the demo's day."""
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return at(following, 10) if following <= DEMO_TODAY else at(day, 15)


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
