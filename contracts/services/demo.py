"""The demo data: the seed's situation on 24 January 2019, loaded once into an empty database.

What it reproduces (seed/README.md, DESIGN.md §3): the four programmes; four special-effort
agreements from 2018, each extended to 31 August 2019 by an amendment; the existing framework
agreements for the under-30 programmes, expiring on 31 March 2019; 107 citizens referred in
2018 and January 2019, of whom 70 are still active and 37 have exited (6 to job or education,
17 benefit stopped, 14 other); and an accepted monthly report for every contract and month.

Decisions where the design is silent:
- Every citizen has one enrolment (no transfers yet: the changeover comes in September 2019).
- The framework agreements run 2016-04-01 to 2019-03-31 with an option to 2020-03-31 (the
  four-year limit of a framework), so they show as expiring without a successor.
- January 2019's report covers the days up to the 24th and is accepted on the 24th, so the
  figures of that day come from accepted reports alone.
- The CPR numbers are made up here (valid format and birth date), pass through the same
  `parse_cpr` and `pseudonym` a referral uses, and are dropped: only the pseudonym is stored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import (
    Contract,
    Enrolment,
    MonthlyReport,
    Participant,
    Programme,
    Provider,
    ReportLine,
    User,
)
from ..rules.programmes import STANDARD_PROGRAMMES
from ..rules.cpr import age_on, parse_cpr, pseudonym
from ..rules.problems import N_
from ..rules.periods import month_of, months_between, overlap_days, parse_month
from . import DomainError
from .accounts import create_user
from .audit import Actor, record
from .contract_changes import extend
from .referrals import age_allowed

DEMO_PASSWORD = "demo-password"
DEMO_USERS = [
    ("indkob@demo.dk", "procurement"),
    ("leverandor@demo.dk", "provider"),
    ("okonomi@demo.dk", "finance"),
    ("admin@demo.dk", "admin"),
]
DEMO_TODAY = date(2019, 1, 24)
DEMO_SEED = 20190124
DEMO_ACTOR = Actor("demo")

_USER_NAMES = {
    "indkob@demo.dk": "Mette Kjærgaard",
    "leverandor@demo.dk": "Jonas Holm",
    "okonomi@demo.dk": "Lene Bach Sørensen",
    "admin@demo.dk": "Søren Dahl",
}

# (code, position, Danish name, English name, age rule), seed order 1–4.

# Made-up providers; the CVR numbers pass the modulus-11 check, the GLNs their check digit.
# (key, name, CVR, GLN or None, contact name)
PROVIDERS = [
    ("bro", "Bro til Uddannelse ApS", "26483824", "5790001234560", "Anne Mølgaard"),
    ("vaerksted", "Ungeværkstedet Nordvest ApS", "30160916", None, "Kasper Lund"),
    ("fodfaeste", "Nyt Fodfæste A/S", "40850309", "5790002345678", "Jonas Holm"),
    ("nytte", "Nyttejob København ApS", "26735904", None, "Birgitte Frost"),
    ("fremad", "Fremad Unge A/S", "30281284", "5790003456786", "Hassan Yilmaz"),
    ("kursskifte", "Kursskifte ApS", "30458702", None, "Rikke Vestergaard"),
]
# The provider whose coordinator is the demo provider user (the adult-employment agreement).
DEMO_PROVIDER_KEY = "fodfaeste"

SPECIAL_START = date(2018, 3, 1)
SPECIAL_ORIGINAL_END = date(2019, 2, 28)
SPECIAL_EXTENDED_END = date(2019, 8, 31)
EXTENSION_REASON = "Forlænget til og med august 2019 mens genudbuddet gennemføres"
EXTENDED_AT = datetime(2019, 1, 15, 10, 30, tzinfo=UTC)
FRAMEWORK_START = date(2016, 4, 1)
FRAMEWORK_END = date(2019, 3, 31)
FRAMEWORK_MAX_END = date(2020, 3, 31)


@dataclass(frozen=True)
class ContractPlan:
    """One demo contract: its terms and how many citizens are referred to it."""

    reference: str
    kind: str
    programme: str
    provider: str
    title: str
    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    ceiling: Decimal
    referrals: int


CONTRACTS = [
    ContractPlan("SÆR-2018-01", "special_effort", "youth-bridging", "bro",
                 "Særindsatsaftale: brobygning for unge under 30",
                 Decimal("9500.00"), Decimal("48.00"), Decimal("15000.00"),
                 Decimal("3000000.00"), 20),
    ContractPlan("SÆR-2018-02", "special_effort", "youth-placement", "vaerksted",
                 "Særindsatsaftale: uddannelse og virksomhedspraktik for unge under 30",
                 Decimal("8750.00"), Decimal("45.00"), Decimal("12500.00"),
                 Decimal("2800000.00"), 18),
    ContractPlan("SÆR-2018-03", "special_effort", "adult-employment", "fodfaeste",
                 "Særindsatsaftale: beskæftigelsesforløb for aktivitetsparate 30+",
                 Decimal("10500.00"), Decimal("52.50"), Decimal("20000.00"),
                 Decimal("3600000.00"), 30),
    ContractPlan("SÆR-2018-04", "special_effort", "utility-work", "nytte",
                 "Særindsatsaftale: nytteindsats",
                 Decimal("8000.00"), Decimal("40.00"), Decimal("10000.00"),
                 Decimal("1800000.00"), 17),
    ContractPlan("RAM-2016-01", "framework", "youth-bridging", "fremad",
                 "Rammeaftale: ungeforløb for unge med kriminalitet som barriere",
                 Decimal("9000.00"), Decimal("50.00"), Decimal("15000.00"),
                 Decimal("2000000.00"), 11),
    ContractPlan("RAM-2016-02", "framework", "youth-placement", "kursskifte",
                 "Rammeaftale: vejledning og praktik for unge under 30",
                 Decimal("9250.00"), Decimal("46.00"), Decimal("14000.00"),
                 Decimal("2000000.00"), 11),
]

# The seed's exits by 24 January 2019: 6 positive, 17 benefit stopped, 14 other.
EXIT_REASONS_PLANNED = (
    ["job"] * 4 + ["education"] * 2 + ["benefit_stopped"] * 17
    + ["imprisonment"] * 6 + ["moved"] * 5 + ["death"] * 1 + ["other"] * 2
)

# References avoid characters that are easily misread (0/O, 1/I).
REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
WEEKLY_HOURS = (15, 20, 25, 30, 37)
WEEKLY_CEILING = Decimal(37)
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
                {"cpr": cpr, "ref": _new_ref(rng, refs), "contract": plan.reference,
                 "start_on": start, "weekly_hours": rng.choice(WEEKLY_HOURS)}
            )
    # Exits only for citizens who started at least a week before the demo's day.
    candidates = [i for i, r in enumerate(referrals) if r["start_on"] <= DEMO_TODAY - timedelta(7)]
    leavers = rng.sample(candidates, len(EXIT_REASONS_PLANNED))
    reasons = list(EXIT_REASONS_PLANNED)
    rng.shuffle(reasons)
    for index, reason in zip(leavers, reasons):
        start = referrals[index]["start_on"]
        referrals[index]["exit_on"] = start + timedelta(rng.randint(1, (DEMO_TODAY - start).days))
        referrals[index]["exit_reason"] = reason
    return [CitizenPlan(**r) for r in referrals]


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


def _refer(
    session: Session, key: bytes, cpr_text: str, ref: str, contract: Contract, start_on: date
) -> Enrolment:
    """Refer a citizen to a contract as the demo's history did; the CPR is dropped here.

    A minimal stand-in for the referral use case: it validates the CPR, keeps only its
    pseudonym, and checks the programme's age rule on the start day.
    """
    compact, born = parse_cpr(cpr_text)
    age = age_on(born, start_on)
    if not age_allowed(contract.programme.age_rule, age):
        raise DomainError(N_("age %(age)s does not fit the programme %(code)s"), "cpr", age=age,
                          code=contract.programme.code)
    participant = Participant(
        ref=ref, pseudonym=pseudonym(compact, key), created_at=_at(start_on, 9)
    )
    session.add(participant)
    enrolment = Enrolment(
        participant=participant, contract=contract, start_on=start_on, age_at_start=age,
        created_at=_at(start_on, 9),
    )
    session.add(enrolment)
    return enrolment


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def load_demo(session: Session, pseudonym_key: bytes) -> str:
    """Load the seed's situation on 24 January 2019 into an empty database; flushes, never commits.

    Refuses (DomainError) a database that already holds users or providers, so it loads once.
    The four programmes come with the schema (migration 0002).
    Returns a one-line summary.
    """
    if session.scalar(sa.select(sa.func.count()).select_from(Provider)) or session.scalar(
        sa.select(sa.func.count()).select_from(User)
    ):
        raise DomainError(
            N_("The database already holds data; the demo data is only loaded into an empty database."),
            status=409,
        )
    programmes = {row.code: row for row in session.scalars(sa.select(Programme))}
    missing = {p.code for p in STANDARD_PROGRAMMES} - set(programmes)
    if missing:
        raise DomainError(N_("the programmes %(codes)s are missing; run init-db first"), status=409,
                          codes=sorted(missing))
    providers = {
        key: Provider(name=name, cvr=cvr, gln=gln, contact_name=contact,
                      contact_email=f"kontakt@{key}.demo.dk")
        for key, name, cvr, gln, contact in PROVIDERS
    }
    session.add_all([*programmes.values(), *providers.values()])
    session.flush()

    users = {}
    for email, role in DEMO_USERS:
        provider_id = providers[DEMO_PROVIDER_KEY].id if role == "provider" else None
        users[role] = create_user(
            session, DEMO_ACTOR, email, role, DEMO_PASSWORD, provider_id, _USER_NAMES[email]
        )

    contracts = {plan.reference: _contract(plan, programmes, providers) for plan in CONTRACTS}
    session.add_all(contracts.values())
    session.flush()
    _extend_special_effort(session, contracts, users["procurement"])

    enrolments = []
    for citizen in plan_citizens():
        contract = contracts[citizen.contract]
        enrolment = _refer(
            session, pseudonym_key, citizen.cpr, citizen.ref, contract, citizen.start_on
        )
        # Exits took effect when the report carrying them was accepted (below).
        enrolment.end_on, enrolment.end_reason = citizen.exit_on, citizen.exit_reason
        enrolments.append((enrolment, citizen.weekly_hours))
    session.flush()

    report_count = _write_reports(session, contracts, enrolments, users)
    _open_retender(session, contracts, users["procurement"])
    record(
        session, DEMO_ACTOR, "demo.loaded", None, None, as_of=DEMO_TODAY.isoformat(),
        programmes=len(programmes), providers=len(providers), contracts=len(contracts),
        participants=len(enrolments), reports=report_count,
    )
    session.flush()
    return (
        f"Demo loaded: {len(programmes)} programmes, {len(providers)} providers, "
        f"{len(contracts)} contracts, {len(enrolments)} participants, {report_count} reports "
        f"(as of {DEMO_TODAY:%d-%m-%Y})."
    )


def _contract(plan: ContractPlan, programmes, providers) -> Contract:
    special = plan.kind == "special_effort"
    start = SPECIAL_START if special else FRAMEWORK_START
    return Contract(
        reference=plan.reference, title=plan.title, kind=plan.kind, status="active",
        provider=providers[plan.provider], programme=programmes[plan.programme],
        start_on=start,
        end_on=SPECIAL_ORIGINAL_END if special else FRAMEWORK_END,
        max_end_on=SPECIAL_EXTENDED_END if special else FRAMEWORK_MAX_END,
        monthly_fee=plan.monthly_fee, hourly_rate=plan.hourly_rate,
        outcome_bonus=plan.outcome_bonus, vat_rate=Decimal("0.25"), ceiling=plan.ceiling,
        created_at=_at(start - timedelta(days=14), 9),
    )


def _extend_special_effort(session: Session, contracts: dict, procurement: User) -> None:
    """January 2019: every special-effort agreement extended to the end of its option."""
    actor = Actor(procurement.email, procurement.id)
    for contract in contracts.values():
        if contract.kind != "special_effort":
            continue
        extend(session, actor, contract, SPECIAL_EXTENDED_END, EXTENSION_REASON,
               today=EXTENDED_AT.date(), now=EXTENDED_AT)


def _write_reports(session: Session, contracts: dict, enrolments: list, users: dict) -> int:
    """An accepted report per contract per month from its first referral to January 2019."""
    rng = random.Random(DEMO_SEED + 1)
    provider_user = users["provider"]
    last_month = month_of(DEMO_TODAY)
    reports, pending_lines = [], []
    for contract in contracts.values():
        own = sorted(
            ((e, hours) for e, hours in enrolments if e.contract is contract),
            key=lambda item: (item[0].start_on, item[0].participant.ref),
        )
        if not own:
            continue
        for month in months_between(month_of(own[0][0].start_on), last_month):
            first, last = parse_month(month)
            # January 2019's report covers the days up to the demo's day.
            covered_to = min(last, DEMO_TODAY)
            if month < last_month:
                # Sent on the 1st of the next month, accepted on the 3rd.
                submitted_at = _at(last + timedelta(days=1), 9)
                decided_at = _at(last + timedelta(days=3), 12)
            else:
                submitted_at, decided_at = _at(DEMO_TODAY, 9), _at(DEMO_TODAY, 13)
            own_provider = contract.provider_id == provider_user.provider_id
            report = MonthlyReport(
                contract=contract, month=month, version=1, status="accepted",
                submitted_at=submitted_at,
                submitted_by_id=provider_user.id if own_provider else None,
                decided_at=decided_at, decided_by_id=users["procurement"].id,
                created_at=submitted_at, updated_at=decided_at,
            )
            reports.append(report)
            # DESIGN §4: enrolled at any time in the month.
            present = [
                (e, hours) for e, hours in own
                if e.start_on <= last and (e.end_on is None or e.end_on >= first)
            ]
            pending_lines.append((report, present, first, covered_to))
    session.add_all(reports)
    session.flush()

    rows = []
    for report, present, first, covered_to in pending_lines:
        for position, (enrolment, weekly) in enumerate(present, start=1):
            exits_now = enrolment.end_on is not None and enrolment.end_on <= covered_to
            days = overlap_days(enrolment.start_on, enrolment.end_on, first, covered_to)
            planned, delivered, absence = _hours(rng, weekly, days)
            rows.append({
                "report_id": report.id, "position": position,
                "participant_id": enrolment.participant_id, "enrolment_id": enrolment.id,
                "hours_planned": planned, "hours_delivered": delivered, "absence_hours": absence,
                "status": "exited" if exits_now else "active",
                "exit_on": enrolment.end_on if exits_now else None,
                "exit_reason": enrolment.end_reason if exits_now else None,
            })
    if rows:
        session.execute(sa.insert(ReportLine), rows)
    return len(reports)


def _half_hours_down(hours: Decimal) -> Decimal:
    return ((hours / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF).quantize(Decimal("0.01"))


def _hours(rng: random.Random, weekly: int, days: int) -> tuple[Decimal, Decimal, Decimal | None]:
    """Planned, delivered and absent hours for some days, within 37 h a week of enrolled days."""
    ceiling = WEEKLY_CEILING * days / 7
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


RETENDER_CREATED_AT = datetime(2019, 1, 17, 9, 0, tzinfo=UTC)
RETENDER_PUBLISHED_AT = datetime(2019, 1, 21, 9, 0, tzinfo=UTC)
# Noon in Copenhagen on 15 March 2019 (winter time, UTC+1).
RETENDER_DEADLINE = datetime(2019, 3, 15, 11, 0, tzinfo=UTC)


def _open_retender(session: Session, contracts: dict, procurement: User) -> None:
    """The re-tender under way on 24 January 2019: the four special-effort agreements, one lot per
    programme, contracts from 1 September 2019, published with a deadline on 15 March 2019."""
    from .scope import Viewer
    from .tenders import publish, retender

    actor = Actor(procurement.email, procurement.id)
    viewer = Viewer(procurement.id, "procurement")
    special = [c.id for c in contracts.values() if c.kind == "special_effort"]
    tender, _ = retender(session, actor, viewer, special, RETENDER_CREATED_AT,
                         title="Genudbud af særindsatsaftaler fra 1. september 2019",
                         deadline_at=RETENDER_DEADLINE)
    publish(session, actor, viewer, tender.id, RETENDER_PUBLISHED_AT)
