"""The pure rules of tendering (DESIGN.md §3): deadlines in Copenhagen time, the phase a tender
is in, the evaluation formula, the ranking and the standstill (the gap or overlap between a
tender's contracts and those they replace is `succession`'s).

Values in, values out: nothing here reads or writes the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .milestones import MOST_CLAWBACK_DAYS
from .money import round_money
from .periods import COPENHAGEN
from .problems import N_, Problem

STANDSTILL_DAYS = 10
POINTS = Decimal("0.01")
MAX_POINTS = Decimal(10)
# Statuses in which a tender may still be cancelled.
CANCELLABLE = ("draft", "published", "closed", "evaluated", "awarded")


def local_day(moment: datetime) -> date:
    """The Copenhagen calendar day of an aware moment."""
    return moment.astimezone(COPENHAGEN).date()


def copenhagen_time(moment: datetime) -> datetime:
    """An aware moment shown in Copenhagen time; a naive one is read as Copenhagen wall time.

    `fold=0` picks the first of the two hours repeated when summer time ends, as a person
    reading a deadline off a calendar would.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=COPENHAGEN)
    return moment.astimezone(COPENHAGEN)


def phase(status: str, deadline_at: datetime | None, now: datetime) -> str:
    """The status a tender is in now: a published tender is `closed` once its deadline has passed.

    The stored status stays `published` until the next step (evaluation) writes a new one, so
    the deadline closes the tender at the exact minute without a job having to run.
    """
    if status == "published" and deadline_at is not None and now >= deadline_at:
        return "closed"
    return status


def bids_sealed(deadline_at: datetime | None, now: datetime) -> bool:
    """Before the deadline nobody but the bidder may see a bid."""
    return deadline_at is None or now < deadline_at


def standstill_last_day(awarded_on: date) -> date:
    """The last day of the 10-day standstill that starts the day after the award decision."""
    return awarded_on + timedelta(days=STANDSTILL_DAYS)


def evaluation_price(
    monthly_fee: Decimal,
    hourly_rate: Decimal,
    outcome_bonus: Decimal,
    expected_hours: Decimal,
    expected_outcome_rate: Decimal,
    later: tuple[tuple[Decimal, Decimal], ...] = (),
) -> Decimal:
    """monthly_fee + expected_hours × hourly_rate + Σ share × amount over the milestones, in øre.

    The start milestone is the outcome bonus, reached by `expected_outcome_rate`; `later` holds
    the (expected share, amount) of each later milestone a lot asks prices for (DESIGN.md §15).
    Without them this is §3's formula. Rounded once, at the end, as the formula is one price.
    """
    milestones = expected_outcome_rate * outcome_bonus + sum(
        (share * amount for share, amount in later), Decimal(0)
    )
    return round_money(monthly_fee + expected_hours * hourly_rate + milestones)


def milestone_shares_problems(
    where: str,
    outcome_rate: Decimal,
    week13: Decimal | None,
    week26: Decimal | None,
    clawback_days: int | None,
) -> list[Problem]:
    """Why a lot's milestone shares cannot be entered (fields under `where`): both later shares
    or neither, each from 0 to 1, none above the one before (week26 ≤ week13 ≤ the outcome
    rate, start's share); clawback days only with milestone prices."""
    problems = []
    if (week13 is None) != (week26 is None):
        missing = "expected_week13_rate" if week13 is None else "expected_week26_rate"
        problems.append(
            Problem(
                N_(
                    "A lot that asks for milestone prices gives the expected shares reaching "
                    "both 13 and 26 weeks."
                ),
                field=f"{where}.{missing}",
            )
        )
    elif week13 is not None and week26 is not None:
        for name, share in (("expected_week13_rate", week13), ("expected_week26_rate", week26)):
            if not 0 <= share <= 1:
                problems.append(
                    Problem(N_("An expected share is from 0 to 100 %."), field=f"{where}.{name}")
                )
        if not week26 <= week13 <= outcome_rate:
            problems.append(
                Problem(
                    N_(
                        "Fewer reach a later milestone than an earlier one: the expected shares "
                        "must be 26 weeks (%(week26)s) ≤ 13 weeks (%(week13)s) ≤ start, the "
                        "outcome rate (%(start)s)."
                    ),
                    {"week26": week26, "week13": week13, "start": outcome_rate},
                    field=f"{where}.expected_week13_rate",
                )
            )
    if clawback_days is not None and week13 is None:
        problems.append(
            Problem(
                N_("Clawback days belong to a lot that asks for milestone prices."),
                field=f"{where}.clawback_days",
            )
        )
    elif clawback_days is not None and not 0 <= clawback_days <= MOST_CLAWBACK_DAYS:
        problems.append(
            Problem(
                N_("clawback days are from 0 to %(most)s"),
                {"most": MOST_CLAWBACK_DAYS},
                field=f"{where}.clawback_days",
            )
        )
    return problems


@dataclass(frozen=True)
class BidTerms:
    """What the formula needs of one bid."""

    bid_id: int
    monthly_fee: Decimal
    hourly_rate: Decimal
    outcome_bonus: Decimal
    quality_points: Decimal | None
    submitted_at: datetime
    # The later milestones' amounts (week13, week26) on a lot that asks for milestone prices.
    later: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Scored:
    """One bid's line of the evaluation table, with every figure the total comes from."""

    bid_id: int
    evaluation_price: Decimal
    lowest_price: Decimal
    price_points: Decimal
    quality_points: Decimal | None
    total: Decimal | None
    rank: int | None


def _points(value: Decimal) -> Decimal:
    return value.quantize(POINTS)


def score_lot(
    bids: list[BidTerms],
    expected_hours: Decimal,
    expected_outcome_rate: Decimal,
    w_price: Decimal,
    w_quality: Decimal,
    later_shares: dict[str, Decimal] | None = None,
) -> list[Scored]:
    """The lot's evaluation table, best first.

    price_points = 10 × lowest evaluation price / this one; total = w_price × price_points +
    w_quality × quality_points. Points are shown to two decimals and the total is computed
    from the shown points, so anyone can redo the sum from the table. Ties are broken by the
    lower evaluation price, then the earlier bid. A bid without quality points has no total
    and no rank yet. A lowest price of 0 gives every free bid 10 points and any other 0.
    `later_shares` are the expected shares of a lot that asks for milestone prices.
    """
    shares = later_shares or {}
    prices = {
        b.bid_id: evaluation_price(
            b.monthly_fee,
            b.hourly_rate,
            b.outcome_bonus,
            expected_hours,
            expected_outcome_rate,
            tuple((shares[code], dict(b.later).get(code, Decimal(0))) for code in shares),
        )
        for b in bids
    }
    if not bids:
        return []
    lowest = min(prices.values())
    lines = []
    for b in bids:
        price = prices[b.bid_id]
        if price == 0:
            price_points = MAX_POINTS
        else:
            price_points = _points(MAX_POINTS * lowest / price)
        total = None
        if b.quality_points is not None:
            total = _points(w_price * price_points + w_quality * _points(b.quality_points))
        lines.append((b, price, price_points, total))
    order = sorted(
        lines,
        key=lambda line: (
            line[3] is None,
            -(line[3] or 0),
            line[1],
            line[0].submitted_at,
            line[0].bid_id,
        ),
    )
    table = []
    rank = 0
    for b, price, price_points, total in order:
        if total is not None:
            rank += 1
        table.append(
            Scored(
                b.bid_id,
                price,
                lowest,
                price_points,
                b.quality_points,
                total,
                rank if total is not None else None,
            )
        )
    return table
