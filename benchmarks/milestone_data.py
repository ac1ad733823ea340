"""Milestones on top of benchmarks.data's reports (DESIGN.md §15): terms, exits, claims, relapses.

`make_reports` keeps everyone enrolled all year (every 40th leaves for a job in the last month);
`add_milestones` then gives each contract milestone terms and sends a share of its participants
to a job or an education in the first two thirds of the months, so that 13 and 26 weeks pass
within them. Their later report lines go (they left), and over the months they:

- reach week 13 and week 26 and are claimed (most), some claims drawn for a check
  (`rules.milestones.check_required`, the portal's own draw): verified some days later, still
  waiting, or rejected; the others are payable the day they are made, and a few of those are
  rejected after they were paid (`late_rejections`: applied month by month by `reject_late`,
  since the invoices read a claim's status as it is when they run);
- relapse before week 13, between 13 and 26 weeks, or later; recorded a few days after, a tenth
  of them a month or two late (a claim made meanwhile for a milestone after the relapse lapses,
  or is taken back once paid).

Everything is drawn from one seeded generator, so the same call gives the same data; rows go in
as bulk inserts and set-based updates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from benchmarks.data import VALID_CVRS
from contracts.models import (
    Contract,
    ContractMilestone,
    Enrolment,
    MilestoneClaim,
    MonthlyReport,
    Relapse,
    ReportLine,
)
from contracts.rules.milestones import DEFAULT_CHECK_SHARE, check_required, milestone_on
from contracts.rules.periods import months_between, parse_month

LEAVING = 0.15  # the share of participants who leave for a job or an education early
WEEK13 = (Decimal("6000.00"), Decimal("8000.00"), Decimal("10000.00"))
WEEK26 = (Decimal("9000.00"), Decimal("12000.00"))
CLAWBACK_DAYS = (91, 182, 60, None)
REJECTED = "the employer has no record of the job"


@dataclass
class Milestones:
    """What `add_milestones` made: counts, and the claims rejected after they were paid."""

    leavers: int = 0
    claims: int = 0
    relapses: int = 0
    # (claim id, the day procurement rejects it): `reject_late` applies them as the months pass.
    late_rejections: list[tuple[int, date]] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.leavers} leavers, {self.claims} claims "
            f"({len(self.late_rejections)} rejected after payment), {self.relapses} relapses"
        )


def add_milestones(
    session: Session,
    contract_ids: list[int],
    first_month: str,
    last_month: str,
    seed: int = 20,
    leaving: float = LEAVING,
) -> Milestones:
    """Milestone terms, exits, claims and relapses for contracts made by `make_reports` over the
    same months (see the module); `leaving` the share who leave early. Flushes; the caller
    commits."""
    rng = random.Random(seed)  # nosec B311 # seeded benchmark data, reproducible on purpose
    months = months_between(first_month, last_month)
    end = parse_month(last_month)[1]
    terms = _add_terms(session, contract_ids)
    enrolments = session.execute(
        sa.select(Enrolment.id, Enrolment.participant_id, Enrolment.contract_id)
        .where(Enrolment.contract_id.in_(contract_ids))
        .order_by(Enrolment.id)
    ).all()
    made = Milestones()
    exits, claims, relapses = [], [], []
    claim_id = _next_id(session, MilestoneClaim)
    position: dict[int, int] = {}
    for enrolment_id, participant_id, contract_id in enrolments:
        k = position[contract_id] = position.get(contract_id, -1) + 1
        if k % 40 == 0 or rng.random() >= leaving:  # every 40th leaves in the last month
            continue
        month = parse_month(rng.choice(months[: max(1, len(months) * 2 // 3)]))[0]
        left_on = month.replace(day=rng.randint(1, 28))
        reason = "education" if rng.random() < 0.2 else "job"
        exits.append({"eid": enrolment_id, "left_on": left_on, "reason": reason})
        keys = {
            "contract_id": contract_id,
            "enrolment_id": enrolment_id,
            "participant_id": participant_id,
        }
        codes, days = terms[contract_id]
        relapse = _relapse(rng, left_on, end, days)
        if relapse is not None:
            relapses.append({**keys, **relapse, "recorded_at": _at(relapse["recorded_on"])})
        for code in codes:
            claim = _claim(rng, code, left_on, reason, relapse, end, contract_id, participant_id)
            if claim is None:
                continue
            claim_id += 1
            late = claim.pop("late", None)
            if late is not None:
                made.late_rejections.append((claim_id, late))
            claims.append({"id": claim_id, **keys, **claim})
    _leave(session, contract_ids, exits)
    if claims:
        session.execute(MilestoneClaim.__table__.insert(), claims)
    if relapses:
        session.execute(Relapse.__table__.insert(), relapses)
    made.leavers, made.claims, made.relapses = len(exits), len(claims), len(relapses)
    return made


def _add_terms(
    session: Session, contract_ids: list[int]
) -> dict[int, tuple[tuple[str, ...], int | None]]:
    """Each contract's week13 (and, but for every tenth, week26) amounts and clawback days;
    returns the milestones each pays and its clawback days."""
    rows, terms = [], {}
    for n, contract_id in enumerate(contract_ids):
        codes = ("week13",) if n % 10 == 9 else ("week13", "week26")
        terms[contract_id] = codes, CLAWBACK_DAYS[n % len(CLAWBACK_DAYS)]
        amounts = {"week13": WEEK13[n % len(WEEK13)], "week26": WEEK26[n % len(WEEK26)]}
        rows += [
            {"contract_id": contract_id, "code": code, "amount": amounts[code]} for code in codes
        ]
    session.execute(ContractMilestone.__table__.insert(), rows)
    session.execute(
        sa.update(Contract.__table__)
        .where(Contract.__table__.c.id == sa.bindparam("cid"))
        .values(clawback_days=sa.bindparam("days")),
        [{"cid": contract_id, "days": days} for contract_id, (_, days) in terms.items()],
    )
    return terms


def _relapse(
    rng: random.Random, started_on: date, end: date, clawback_days: int | None
) -> dict | None:
    """Back on benefit on the last day of the start's clawback window or the day after, before
    week 13, between 13 and 26 weeks, after 26, or not at all; None too when it would be
    recorded after `end` (not known yet)."""
    draw = rng.random()
    if draw < 0.03 and clawback_days is not None:
        relapsed_on = started_on + timedelta(days=clawback_days + rng.randint(0, 1))
    elif draw < 0.10:
        relapsed_on = started_on + timedelta(days=rng.randint(10, 85))
    elif draw < 0.25:
        relapsed_on = milestone_on("week13", started_on) + timedelta(days=rng.randint(0, 90))
    elif draw < 0.33:
        relapsed_on = milestone_on("week26", started_on) + timedelta(days=rng.randint(0, 120))
    else:
        return None
    late = rng.random() < 0.1
    recorded_on = relapsed_on + timedelta(days=rng.randint(30, 60) if late else rng.randint(0, 14))
    if recorded_on > end:
        return None
    return {"relapsed_on": relapsed_on, "recorded_on": recorded_on}


def _claim(
    rng: random.Random,
    code: str,
    started_on: date,
    reason: str,
    relapse: dict | None,
    end: date,
    contract_id: int,
    participant_id: int,
) -> dict | None:
    """The provider's claim of `code`, decided by `end` or not; None when it is not made by then,
    could not be made (a relapse before the milestone already recorded) or is left unclaimed."""
    day = milestone_on(code, started_on)
    made_on = day + timedelta(days=rng.randint(0, 25))
    if made_on > end or rng.random() < 0.1:
        return None
    if relapse is not None and relapse["recorded_on"] <= made_on and day > relapse["relapsed_on"]:
        return None  # the portal refuses it (422): the relapse came first
    required = check_required(contract_id, f"B{participant_id:07d}", code, DEFAULT_CHECK_SHARE)
    decided_on = made_on + timedelta(days=rng.randint(1, 20))
    draw = rng.random()
    status, payable_on, late = "claimed", made_on, None
    if required:
        payable_on = None
        if decided_on <= end and draw >= 0.15:
            status = "rejected" if draw < 0.3 else "verified"
            payable_on = decided_on if status == "verified" else None
    elif draw < 0.05:
        late = made_on + timedelta(days=rng.randint(20, 70))
        late = late if late <= end else None
    decided = status != "claimed"
    return {
        "code": code,
        "employer_cvr": VALID_CVRS[participant_id % len(VALID_CVRS)] if reason == "job" else None,
        "institution": "Erhvervsakademi Aarhus" if reason == "education" else None,
        "started_on": started_on,
        "weekly_hours": Decimal("37.00"),
        "milestone_on": day,
        "made_on": made_on,
        "made_at": _at(made_on),
        "check_required": required,
        "status": status,
        "payable_on": payable_on,
        "decided_on": decided_on if decided else None,
        "decided_at": _at(decided_on) if decided else None,
        "rejection_reason": REJECTED if status == "rejected" else None,
        "late": late,
    }


def _leave(session: Session, contract_ids: list[int], exits: list[dict]) -> None:
    """The leavers' enrolments end; their report line of that month says so and later ones go."""
    if not exits:
        return
    session.execute(
        sa.update(Enrolment.__table__)
        .where(Enrolment.__table__.c.id == sa.bindparam("eid"))
        .values(end_on=sa.bindparam("left_on"), end_reason=sa.bindparam("reason")),
        exits,
    )
    line, report, enrolment = ReportLine.__table__, MonthlyReport.__table__, Enrolment.__table__
    left_month = sa.func.substr(sa.cast(enrolment.c.end_on, sa.String), 1, 7)

    def left(compare) -> sa.Exists:
        return (
            sa.select(enrolment.c.id)
            .where(
                enrolment.c.id == line.c.enrolment_id,
                report.c.id == line.c.report_id,
                enrolment.c.contract_id.in_(contract_ids),
                enrolment.c.end_on.is_not(None),
                compare(report.c.month, left_month),
            )
            .exists()
        )

    def of_enrolment(column):
        return sa.select(column).where(enrolment.c.id == line.c.enrolment_id).scalar_subquery()

    session.execute(
        sa.update(line)
        .where(left(lambda month, left_in: month == left_in))
        .values(
            status="exited",
            exit_on=of_enrolment(enrolment.c.end_on),
            exit_reason=of_enrolment(enrolment.c.end_reason),
        )
    )
    session.execute(sa.delete(line).where(left(lambda month, left_in: month > left_in)))


def reject_late(connection, made: Milestones, last: date) -> None:
    """Procurement rejects the claims it rejects after payment by `last` (runs again harmlessly)."""
    due = [
        {"cid": claim_id, "on": on, "at": _at(on)}
        for claim_id, on in made.late_rejections
        if on <= last
    ]
    if due:
        claim = MilestoneClaim.__table__
        connection.execute(
            sa.update(claim)
            .where(claim.c.id == sa.bindparam("cid"))
            .values(
                status="rejected",
                decided_on=sa.bindparam("on"),
                decided_at=sa.bindparam("at"),
                rejection_reason=REJECTED,
                payable_on=None,
            ),
            due,
        )


def unreject(connection, made: Milestones) -> None:
    """The claims rejected after payment as they were before (paid on the provider's word)."""
    if made.late_rejections:
        claim = MilestoneClaim.__table__
        connection.execute(
            sa.update(claim)
            .where(claim.c.id.in_([claim_id for claim_id, _ in made.late_rejections]))
            .values(
                status="claimed",
                decided_on=None,
                decided_at=None,
                rejection_reason=None,
                payable_on=claim.c.made_on,
            )
        )


def _next_id(session: Session, model) -> int:
    return session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0)))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)
