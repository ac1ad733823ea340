"""Bids: a provider bids on a lot of a published tender, and who may see which bid.

A provider sees published tenders and their lots, and only its own bids and its own
result; never who else bid, nor the contracts a re-tender replaces (they are other
providers' contracts). Before the deadline procurement sees no bid at all, not even
that one exists; the audit event of a bid names no price. A bid may be revised until the
deadline (one bid per provider per lot).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import Bid, Lot, Tender
from ...rules import tendering as rules
from ...rules.milestones import CLAIMED_MILESTONES, later_milestones
from ...rules.problems import N_, Problem
from .. import DomainError, NotFound, scope
from ..audit import Actor, record
from ..paging import Page, page_of
from ..scope import Viewer
from .guards import _refuse
from .reading import get_tender, status_now
from .terms import ONE


@dataclass(frozen=True)
class BidPrices:
    """A bid's full price terms."""

    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    vat_rate: Decimal = Decimal("0.25")
    # Milestone amounts as entered, (code, amount): week13 and week26 required on a lot that
    # asks for milestone prices, refused on any other; start, if given, is the outcome bonus.
    milestones: tuple[tuple[str, Decimal], ...] = ()


def submit_bid(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    tender_id: int,
    lot_id: int,
    prices: BidPrices,
    now: datetime,
) -> Bid:
    """A provider bids on a lot, or revises its bid, while the tender is published and open."""
    tender, lot = open_lot(session, viewer, tender_id, lot_id, now)
    problems = [
        Problem(N_("Must not be negative."), field=name)
        for name in ("monthly_fee", "hourly_rate", "outcome_bonus")
        if getattr(prices, name) < 0
    ]
    if not Decimal(0) <= prices.vat_rate < ONE:
        problems.append(
            Problem(N_("The VAT rate is from 0 up to, not including, 100 %."), field="vat_rate")
        )
    later, milestone_problems = later_milestones(prices.outcome_bonus, prices.milestones, None)
    problems += milestone_problems or _milestone_problems(lot, later)
    _refuse(problems)
    bid = own_bid(session, viewer, lot.id)
    action = "bid.revised" if bid is not None else "bid.submitted"
    if bid is None:
        bid = Bid(lot_id=lot.id, provider_id=viewer.provider_id)
        session.add(bid)
    bid.monthly_fee, bid.hourly_rate = prices.monthly_fee, prices.hourly_rate
    bid.outcome_bonus, bid.vat_rate, bid.submitted_at = prices.outcome_bonus, prices.vat_rate, now
    bid.week13_amount, bid.week26_amount = later.get("week13"), later.get("week26")
    session.flush()
    # Sealed: the event names the lot, never a price.
    record(
        session, actor, action, "bid", bid.id, occurred_at=now, tender_id=tender.id, lot=lot.number
    )
    return bid


def _milestone_problems(lot: Lot, later: dict[str, Decimal]) -> list[Problem]:
    """A lot that asks for milestone prices needs both later amounts; any other takes none
    (`later_milestones` has refused an unknown code, a negative amount or one given twice)."""
    if not lot.milestone_prices:
        return [
            Problem(
                N_(
                    "lot %(lot)s does not ask for milestone prices; the outcome bonus is the only "
                    "milestone (leave out %(code)s)"
                ),
                {"lot": lot.number, "code": code},
                field="milestones",
            )
            for code in later
        ]
    problems = [
        Problem(
            N_("lot %(lot)s asks for milestone prices: give the amount of the %(code)s milestone"),
            {"lot": lot.number, "code": code},
            field="milestones",
        )
        for code in CLAIMED_MILESTONES
        if code not in later
    ]
    return problems


def own_bid(session: Session, viewer: Viewer, lot_id: int) -> Bid | None:
    """The viewer's provider's bid on a lot, if it has one."""
    return session.scalar(
        sa.select(Bid).where(Bid.lot_id == lot_id, Bid.provider_id == viewer.provider_id)
    )


def open_lot(
    session: Session, viewer: Viewer, tender_id: int, lot_id: int, now: datetime
) -> tuple[Tender, Lot]:
    """The tender and lot a provider's staff may bid on now (or change a bid's files on), or a
    refusal saying why not: 403 for anyone else, 404 for no such lot, 409 after the deadline."""
    if not viewer.is_provider or viewer.provider_id is None:
        raise DomainError(N_("only a provider's staff can bid"), status=403)
    tender = get_tender(session, viewer, tender_id)
    lot = next((lot for lot in tender.lots if lot.id == lot_id), None)
    if lot is None:
        raise NotFound(N_("no such lot in this tender"), "lot_id")
    status = status_now(tender, now)
    if status == "closed":
        raise DomainError(
            N_(
                "the deadline for bids was %(deadline)s (Copenhagen time); no bid is accepted after it"
            ),
            "deadline",
            status=409,
            deadline=rules.copenhagen_time(tender.deadline_at),
        )
    if status != "published":
        raise DomainError(
            N_("the tender is %(state)s; bids are accepted only while it is published"),
            "status",
            status=409,
            state=status,
        )
    return tender, lot


def _by_lot(viewer: Viewer, tender: Tender, now: datetime) -> sa.Select:
    return (
        scope.bids(viewer, now)
        .join(Lot, Bid.lot_id == Lot.id)
        .where(Lot.tender_id == tender.id)
        .options(selectinload(Bid.provider), selectinload(Bid.lot))
        .order_by(Lot.number, Bid.submitted_at, Bid.id)
    )


def visible_bids(session: Session, viewer: Viewer, tender: Tender, now: datetime) -> list[Bid]:
    """The tender's bids the viewer may see (see `scope.bids`), by lot and provider."""
    return list(session.scalars(_by_lot(viewer, tender, now)))


def bid_page(
    session: Session, viewer: Viewer, tender: Tender, now: datetime, page: int, per_page: int
) -> Page[Bid]:
    """One page (from 1) of `visible_bids`, and how many there are in all."""
    return page_of(session, _by_lot(viewer, tender, now), page, per_page)
