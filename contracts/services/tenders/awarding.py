"""From the bids to contracts: evaluation, the award, the standstill and the conclusion.

Evaluation may be redone until the award. The award takes the best total of each lot, or
the best `max_awards` ranked for a framework lot. A lot without bids is left unawarded.
The standstill is the 10 days after the award day; the contracts may be concluded from the
day after its last day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import Bid, Contract, Lot, Tender
from ...rules import tendering as rules
from ...rules.problems import N_, Problem
from .. import DomainError, contract_register, notification_events
from ..audit import Actor, record
from ..scope import Viewer
from .bids import visible_bids
from .guards import _refuse, _require_procurement, _today
from .reading import get_tender, predecessors, status_now


@dataclass
class Concluded:
    """The contracts a conclusion created, and what is worth a second look."""

    contracts: list[Contract]
    warnings: list[Problem] = field(default_factory=list)


# The longest written reason for a quality score (a page of text).
MAX_REASON = 4000


@dataclass(frozen=True)
class QualityScore:
    """The evaluators' quality points for one bid and their written reason."""

    points: Decimal
    reason: str


@dataclass(frozen=True)
class LotEvaluation:
    """A lot's ranked table."""

    lot: Lot
    lines: list[tuple[rules.Scored, Bid]]


def evaluation(
    session: Session, viewer: Viewer, tender: Tender, now: datetime
) -> list[LotEvaluation]:
    """Each lot's bids with evaluation price, price and quality points and total, best first.

    Only for staff, and only once the deadline has passed (before it the bids are sealed).
    """
    if viewer.role not in ("procurement", "finance"):
        raise DomainError(N_("only the job centre's staff see the evaluation"), status=403)
    if rules.bids_sealed(tender.deadline_at, now):
        raise DomainError(N_("the bids are sealed until the deadline"), "deadline", status=409)
    bids = visible_bids(session, viewer, tender, now)
    tables = []
    for lot in tender.lots:
        of_lot = {b.id: b for b in bids if b.lot_id == lot.id}
        scored = rules.score_lot(
            [
                rules.BidTerms(
                    b.id,
                    b.monthly_fee,
                    b.hourly_rate,
                    b.outcome_bonus,
                    b.quality_points,
                    b.submitted_at,
                    tuple(b.later_milestones.items()),
                )
                for b in of_lot.values()
            ],
            lot.expected_hours,
            lot.expected_outcome_rate,
            lot.w_price,
            lot.w_quality,
            lot.later_shares,
        )
        tables.append(LotEvaluation(lot, [(line, of_lot[line.bid_id]) for line in scored]))
    return tables


def evaluate(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    scores: dict[int, QualityScore],
    now: datetime,
) -> Tender:
    """Enter the evaluators' quality points (0–10) and written reason for every bid; the tender
    becomes `evaluated`.

    Allowed once the deadline has passed and until the award; it may be redone in that time.
    """
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    if status == "published":
        raise DomainError(
            N_(
                "the bids are sealed until the deadline, %(deadline)s (Copenhagen time); "
                "evaluation starts after it"
            ),
            "status",
            status=409,
            deadline=rules.copenhagen_time(tender.deadline_at),
        )
    if status not in ("closed", "evaluated"):
        raise DomainError(
            N_("the tender is %(state)s; only a closed tender can be evaluated"),
            "status",
            status=409,
            state=status,
        )
    bids = {b.id: b for b in visible_bids(session, viewer, tender, now)}
    if not bids:
        raise DomainError(
            N_("no bids arrived; there is nothing to evaluate (cancel the tender with a reason)"),
            "quality_points",
            status=409,
        )
    problems = []
    for bid_id, score in scores.items():
        if bid_id not in bids:
            problems.append(
                Problem(
                    N_("there is no bid %(bid)s in this tender"),
                    {"bid": bid_id},
                    field="quality_points",
                )
            )
        elif not 0 <= score.points <= rules.MAX_POINTS:
            problems.append(
                Problem(
                    N_("the quality points of bid %(bid)s must be from 0 to 10"),
                    {"bid": bid_id},
                    field="quality_points",
                )
            )
        elif not score.reason.strip():
            problems.append(
                Problem(
                    N_("give the evaluators' reason for the quality points of bid %(bid)s"),
                    {"bid": bid_id},
                    field="quality_reason",
                )
            )
        elif len(score.reason) > MAX_REASON:
            problems.append(
                Problem(
                    N_(
                        "the reason for the quality points of bid %(bid)s is longer than 4000 characters"
                    ),
                    {"bid": bid_id},
                    field="quality_reason",
                )
            )
    missing = [b for b in bids.values() if b.id not in scores]
    for bid in missing:
        problems.append(
            Problem(
                N_(
                    "quality points are missing for the bid of %(provider)s (bid %(bid)s) on lot "
                    "%(lot)s"
                ),
                {"provider": bid.provider.name, "bid": bid.id, "lot": bid.lot.number},
                field="quality_points",
            )
        )
    _refuse(problems)
    for bid_id, score in scores.items():
        bids[bid_id].quality_points = score.points
        bids[bid_id].quality_reason = score.reason.strip()
    tender.status = "evaluated"
    session.flush()
    # The reasons are recorded as the points are: both are the evaluators' decision.
    record(
        session,
        actor,
        "tender.evaluated",
        "tender",
        tender.id,
        occurred_at=now,
        quality_points={str(k): str(v.points) for k, v in sorted(scores.items())},
        quality_reasons={str(k): v.reason.strip() for k, v in sorted(scores.items())},
    )
    return tender


def award(session: Session, actor: Actor, viewer: Viewer, tender_id: int, now: datetime) -> Tender:
    """Award each lot to its best total (a framework lot to its best `max_awards`, ranked).

    The 10-day standstill starts; the contracts may be concluded after it.
    """
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    if status != "evaluated":
        raise DomainError(
            N_("the tender is %(state)s; it is awarded only after the evaluation"),
            "status",
            status=409,
            state=status,
        )
    tables = evaluation(session, viewer, tender, now)
    awarded = {}
    for table in tables:
        for line, bid in table.lines:
            bid.award_rank = (
                line.rank if line.rank is not None and line.rank <= table.lot.max_awards else None
            )
            if bid.award_rank is not None:
                awarded.setdefault(table.lot.number, []).append(bid.provider.name)
    if not awarded:
        raise DomainError(N_("no lot has a bid to award"), status=409)
    today = _today(now)
    tender.status, tender.awarded_at = "awarded", now
    tender.standstill_ends_on = rules.standstill_last_day(today)
    session.flush()
    record(
        session,
        actor,
        "tender.awarded",
        "tender",
        tender.id,
        occurred_at=now,
        awarded={str(k): v for k, v in awarded.items()},
        standstill_ends_on=tender.standstill_ends_on.isoformat(),
    )
    notification_events.award_decision(session, tender, tables)
    return tender


def awarded_bids(session: Session, tender: Tender) -> list[Bid]:
    """The awarded bids of a tender, by lot and rank."""
    return list(
        session.scalars(
            sa.select(Bid)
            .join(Lot, Bid.lot_id == Lot.id)
            .where(Lot.tender_id == tender.id, Bid.award_rank.is_not(None))
            .options(selectinload(Bid.provider), selectinload(Bid.lot).selectinload(Lot.programme))
            .order_by(Lot.number, Bid.award_rank)
        )
    )


def conclude(
    session: Session, actor: Actor, viewer: Viewer, tender_id: int, now: datetime
) -> Concluded:
    """After the standstill, create a contract from each awarded bid's price terms.

    Each contract is linked to its lot and bid, and to the predecessor of the same programme
    it continues (by rank, when a framework lot replaces several contracts).
    """
    _require_procurement(viewer)
    tender = get_tender(session, viewer, tender_id)
    status = status_now(tender, now)
    if status != "awarded":
        raise DomainError(
            N_("the tender is %(state)s; contracts are concluded only after the award"),
            "status",
            status=409,
            state=status,
        )
    today = _today(now)
    if today <= tender.standstill_ends_on:
        raise DomainError(
            N_("the standstill runs to %(end)s; the contracts can be concluded from %(start)s"),
            "status",
            status=409,
            end=tender.standstill_ends_on,
            start=tender.standstill_ends_on + timedelta(days=1),
        )
    olds = [c for c in predecessors(session, tender) if c.successor is None]
    created, warnings = [], []
    for bid in awarded_bids(session, tender):
        lot = bid.lot
        old = next((c for c in olds if c.programme_id == lot.programme_id), None)
        if old is not None:
            olds.remove(old)
        terms = contract_register.ContractTerms(
            provider_id=bid.provider_id,
            programme=lot.programme.code,
            kind=tender.contract_kind,
            start_on=tender.contract_start_on,
            end_on=tender.contract_end_on,
            max_end_on=tender.contract_max_end_on or tender.contract_end_on,
            monthly_fee=bid.monthly_fee,
            hourly_rate=bid.hourly_rate,
            outcome_bonus=bid.outcome_bonus,
            # A lot that asked for milestone prices: the bid's later milestones, the lot's
            # clawback days (DESIGN.md §15).
            milestones=tuple(bid.later_milestones.items()),
            clawback_days=lot.clawback_days,
            vat_rate=bid.vat_rate,
            ceiling=lot.estimated_value or Decimal(0),
            title=f"{tender.title}: {lot.title}"[:300],
            predecessor_id=old.id if old else None,
        )
        new = contract_register.create_contract(session, actor, viewer, terms, today)
        new.contract.lot_id, new.contract.bid_id = lot.id, bid.id
        created.append(new.contract)
        warnings += new.warnings
    for old in olds:
        warnings.append(
            Problem(
                N_(
                    "Contract %(reference)s has no successor: no awarded bid continues its "
                    "programme."
                ),
                {"reference": old.reference},
            )
        )
    tender.status, tender.concluded_at = "concluded", now
    session.flush()
    record(
        session,
        actor,
        "tender.concluded",
        "tender",
        tender.id,
        occurred_at=now,
        contracts=[c.reference for c in created],
    )
    return Concluded(created, warnings)
