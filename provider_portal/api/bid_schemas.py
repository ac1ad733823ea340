"""The shapes of the bid and evaluation API calls (a part of `tender_schemas`): a bid's price
terms with its milestones, and the evaluation table with its arithmetic.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from contracts.models import Bid
from contracts.rules.milestones import effective_milestones

from .contracts import MilestoneTerm
from .tender_schemas import BidderRef, Decimal2, Moment, Status
from .types import Id, Model, Money, ProgrammeCode, Rate


class BidIn(Model):
    """A bid's full price terms."""

    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money = Field(description="The start milestone's amount")
    vat_rate: Rate = Decimal("0.25")
    milestones: list[MilestoneTerm] = Field(
        default_factory=list,
        max_length=3,
        description=(
            "On a lot that asks for milestone prices (and only there): the week13 and week26 "
            "milestones' amounts; start, if given, is the outcome bonus"
        ),
    )


class QualityPoints(Model):
    bid_id: Id
    points: Decimal2 = Field(description="0 to 10")
    reason: str = Field(
        min_length=1,
        max_length=4000,
        pattern=r"\S",
        description="The evaluators' written reason for the points",
    )


class EvaluationIn(Model):
    """The evaluators' quality points and their written reason, one for every bid."""

    quality_points: list[QualityPoints] = Field(max_length=500)


BID_MILESTONES = Field(
    description="The milestones the bid prices: start (the outcome bonus), and week13 and week26 "
    "on a lot that asks for milestone prices"
)


def milestone_terms(bid: Bid) -> list[MilestoneTerm]:
    """A bid's milestones as a contract's terms list them."""
    return [
        MilestoneTerm(code=code, amount=amount)
        for code, amount in effective_milestones(bid.outcome_bonus, bid.later_milestones)
    ]


class BidOut(BaseModel):
    """A bid with its price terms; quality points and award rank once evaluated and awarded."""

    id: int
    tender_id: int
    lot_id: int
    lot_number: int
    provider: BidderRef
    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money
    milestones: list[MilestoneTerm] = BID_MILESTONES
    vat_rate: Rate
    submitted_at: Moment
    quality_points: Decimal2 | None
    quality_reason: str | None
    award_rank: int | None

    @classmethod
    def of(cls, bid: Bid) -> BidOut:
        return cls(
            id=bid.id,
            tender_id=bid.lot.tender_id,
            lot_id=bid.lot_id,
            lot_number=bid.lot.number,
            provider=BidderRef(id=bid.provider.id, name=bid.provider.name),
            monthly_fee=bid.monthly_fee,
            hourly_rate=bid.hourly_rate,
            outcome_bonus=bid.outcome_bonus,
            milestones=milestone_terms(bid),
            vat_rate=bid.vat_rate,
            submitted_at=bid.submitted_at,
            quality_points=bid.quality_points,
            quality_reason=bid.quality_reason,
            award_rank=bid.award_rank,
        )


class EvaluationLine(BaseModel):
    """One bid's arithmetic: price points = 10 × lowest / evaluation price; total = weighted sum."""

    bid_id: int
    provider: BidderRef
    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money
    milestones: list[MilestoneTerm] = BID_MILESTONES
    evaluation_price: Money = Field(
        description="monthly fee + expected hours × hourly rate + Σ expected share × amount over "
        "the milestones (start's share is the expected outcome rate)"
    )
    price_points: Decimal2
    quality_points: Decimal2 | None
    quality_reason: str | None
    total: Decimal2 | None
    rank: int | None
    awarded: bool


class LotEvaluationOut(BaseModel):
    lot_id: int
    number: int
    programme: ProgrammeCode
    expected_hours: Decimal2
    expected_outcome_rate: Rate
    expected_week13_rate: Rate | None
    expected_week26_rate: Rate | None
    w_price: Rate
    w_quality: Rate
    max_awards: int
    lowest_evaluation_price: Money | None
    lines: list[EvaluationLine]


class EvaluationOut(BaseModel):
    """The ranked table of every lot."""

    tender_id: int
    status: Status
    lots: list[LotEvaluationOut]
