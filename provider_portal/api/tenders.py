"""API calls on tenders: enter, re-tender, publish, bid, evaluate, award, conclude, cancel.

Deadlines are read as Copenhagen wall-clock time unless they carry an offset, and written
back in Copenhagen time with the offset (RFC 3339). Bids are sealed: before the deadline a
bid is seen by the provider that made it and by nobody else.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from contracts.models import Bid, Lot, Tender
from contracts.rules import tendering as rules
from contracts.services import contract_register as register
from contracts.services import tenders as service

from ..clock import now
from ..extensions import db
from ..security import actor, viewer
from .contracts import ContractOut
from .declare import operation
from .types import Id, IsoDate, Model, Money, Rate, format_money

STAFF = ("procurement", "finance")
READERS = ("procurement", "finance", "provider")
Procedure = Literal["open", "restricted", "competitive_negotiation", "light_regime"]
ContractKind = Literal["special_effort", "framework"]
Status = Literal["draft", "published", "closed", "evaluated", "awarded", "concluded", "cancelled"]
DECIMAL_TEXT = re.compile(r"^\d{1,5}(\.\d{1,2})?$")


def _two_decimals(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str) or not DECIMAL_TEXT.match(value.strip()):
        raise ValueError('must be a decimal string with at most two decimals, such as "80.00"')
    try:
        return Decimal(value.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{value!r} is not a number") from None


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date and time such as 2019-03-15T12:00 (Copenhagen time)")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time such as 2019-03-15T12:00") from None
    return rules.copenhagen_time(moment)


def _write_moment(moment: datetime) -> str:
    return rules.copenhagen_time(moment).isoformat()


Decimal2 = Annotated[
    Decimal, BeforeValidator(_two_decimals), PlainSerializer(format_money, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,5}(\.\d{1,2})?$", "examples": ["80.00"]}),
]
Moment = Annotated[
    datetime, BeforeValidator(_moment), PlainSerializer(_write_moment, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2019-03-15T12:00:00+01:00"],
                    "description": "Copenhagen time when no offset is given"}),
]


class LotIn(Model):
    """A lot: one programme, the expected values that price the bids, the award weights."""

    programme: str = Field(min_length=1, max_length=40, examples=["adult-employment"])
    title: str = Field(default="", max_length=300)
    estimated_value: Money | None = Field(default=None, description="Becomes the contracts' ceiling")
    expected_hours: Decimal2 = Field(default=service.DEFAULT_EXPECTED_HOURS,
                                     description="Hours a participant is expected to get a month")
    expected_outcome_rate: Rate = service.DEFAULT_OUTCOME_RATE
    w_price: Rate = service.DEFAULT_W_PRICE
    w_quality: Rate = service.DEFAULT_W_QUALITY
    max_awards: int = Field(default=1, ge=1, le=20, description="Providers awarded (framework: several)")


class TenderIn(Model):
    """A tender to enter as a draft."""

    title: str = Field(min_length=1, max_length=300)
    procedure: Procedure = "open"
    contract_kind: ContractKind = "special_effort"
    deadline: Moment | None = None
    contract_start_date: IsoDate | None = None
    contract_end_date: IsoDate | None = None
    contract_max_end_date: IsoDate | None = None
    reference: str | None = Field(default=None, min_length=1, max_length=40)
    lots: list[LotIn] = Field(default_factory=list, max_length=20)


class TenderChange(Model):
    """Changes to a draft; fields left out stay as they are."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    procedure: Procedure | None = None
    contract_kind: ContractKind | None = None
    deadline: Moment | None = None
    contract_start_date: IsoDate | None = None
    contract_end_date: IsoDate | None = None
    contract_max_end_date: IsoDate | None = None


class LotChange(Model):
    """Changes to a draft's lot; fields left out stay as they are."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    estimated_value: Money | None = None
    expected_hours: Decimal2 | None = None
    expected_outcome_rate: Rate | None = None
    w_price: Rate | None = None
    w_quality: Rate | None = None
    max_awards: int | None = Field(default=None, ge=1, le=20)


class RetenderIn(Model):
    """The contracts to re-tender (one lot per programme), and optionally a title and deadline."""

    contract_ids: list[Id] = Field(min_length=1, max_length=50)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    deadline: Moment | None = None


class CancelIn(Model):
    reason: str = Field(min_length=1, max_length=2000)


class BidIn(Model):
    """A bid's full price terms."""

    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money
    vat_rate: Rate = Decimal("0.25")


class QualityPoints(Model):
    bid_id: Id
    points: Decimal2 = Field(description="0 to 10")


class EvaluationIn(Model):
    """The evaluators' quality points, one for every bid."""

    quality_points: list[QualityPoints] = Field(max_length=500)


class TenderFilter(Model):
    status: Status | None = Field(default=None, description="The status now")


class LotOut(BaseModel):
    id: int
    number: int
    programme: str
    title: str
    estimated_value: Money | None
    expected_hours: Decimal2
    expected_outcome_rate: Rate
    w_price: Rate
    w_quality: Rate
    max_awards: int

    @classmethod
    def of(cls, lot: Lot) -> LotOut:
        return cls(id=lot.id, number=lot.number, programme=lot.programme.code, title=lot.title,
                   estimated_value=lot.estimated_value, expected_hours=lot.expected_hours,
                   expected_outcome_rate=lot.expected_outcome_rate, w_price=lot.w_price,
                   w_quality=lot.w_quality, max_awards=lot.max_awards)


class TenderOut(BaseModel):
    """A tender with its lots; the replaced contracts and warnings only for staff."""

    id: int
    reference: str
    title: str
    procedure: Procedure
    contract_kind: ContractKind
    status: Status = Field(description="The status now: a published tender is closed from its deadline")
    deadline: Moment | None
    contract_start_date: IsoDate | None
    contract_end_date: IsoDate | None
    contract_max_end_date: IsoDate | None
    published_at: Moment | None
    awarded_at: Moment | None
    standstill_ends_on: IsoDate | None = Field(description="The last day of the standstill")
    concluded_at: Moment | None
    cancelled_reason: str | None
    lots: list[LotOut]
    predecessor_ids: list[int] | None = Field(description="The contracts a re-tender replaces (staff only)")
    warnings: list[str] | None = Field(description="A gap or overlap with a replaced contract (staff only)")

    @classmethod
    def of(cls, tender: Tender) -> TenderOut:
        v, moment = viewer(), now()
        staff = v.role in STAFF
        return cls(
            id=tender.id, reference=tender.reference, title=tender.title, procedure=tender.procedure,
            contract_kind=tender.contract_kind, status=service.status_now(tender, moment),
            deadline=tender.deadline_at, contract_start_date=tender.contract_start_on,
            contract_end_date=tender.contract_end_on, contract_max_end_date=tender.contract_max_end_on,
            published_at=tender.published_at, awarded_at=tender.awarded_at,
            standstill_ends_on=tender.standstill_ends_on, concluded_at=tender.concluded_at,
            cancelled_reason=tender.cancelled_reason, lots=[LotOut.of(lot) for lot in tender.lots],
            predecessor_ids=[c.id for c in service.predecessors(db.session, tender)] if staff else None,
            warnings=[w.message for w in service.succession_warnings(db.session, tender)] if staff else None,
        )


class BidderRef(BaseModel):
    id: int
    name: str


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
    vat_rate: Rate
    submitted_at: Moment
    quality_points: Decimal2 | None
    award_rank: int | None

    @classmethod
    def of(cls, bid: Bid) -> BidOut:
        return cls(id=bid.id, tender_id=bid.lot.tender_id, lot_id=bid.lot_id, lot_number=bid.lot.number,
                   provider=BidderRef(id=bid.provider.id, name=bid.provider.name),
                   monthly_fee=bid.monthly_fee, hourly_rate=bid.hourly_rate, outcome_bonus=bid.outcome_bonus,
                   vat_rate=bid.vat_rate, submitted_at=bid.submitted_at, quality_points=bid.quality_points,
                   award_rank=bid.award_rank)


class EvaluationLine(BaseModel):
    """One bid's arithmetic: price points = 10 × lowest / evaluation price; total = weighted sum."""

    bid_id: int
    provider: BidderRef
    monthly_fee: Money
    hourly_rate: Money
    outcome_bonus: Money
    evaluation_price: Money
    price_points: Decimal2
    quality_points: Decimal2 | None
    total: Decimal2 | None
    rank: int | None
    awarded: bool


class LotEvaluationOut(BaseModel):
    lot_id: int
    number: int
    programme: str
    expected_hours: Decimal2
    expected_outcome_rate: Rate
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


class ConcludedOut(BaseModel):
    """The concluded tender, the contracts created, and warnings worth a second look."""

    tender: TenderOut
    contracts: list[ContractOut]
    warnings: list[str]


def _evaluation_out(tender: Tender) -> EvaluationOut:
    lots = []
    for table in service.evaluation(db.session, viewer(), tender, now()):
        lot = table.lot
        lots.append(LotEvaluationOut(
            lot_id=lot.id, number=lot.number, programme=lot.programme.code, expected_hours=lot.expected_hours,
            expected_outcome_rate=lot.expected_outcome_rate, w_price=lot.w_price, w_quality=lot.w_quality,
            max_awards=lot.max_awards,
            lowest_evaluation_price=table.lines[0][0].lowest_price if table.lines else None,
            lines=[EvaluationLine(
                bid_id=bid.id, provider=BidderRef(id=bid.provider.id, name=bid.provider.name),
                monthly_fee=bid.monthly_fee, hourly_rate=bid.hourly_rate, outcome_bonus=bid.outcome_bonus,
                evaluation_price=line.evaluation_price, price_points=line.price_points,
                quality_points=line.quality_points, total=line.total, rank=line.rank,
                awarded=bid.award_rank is not None,
            ) for line, bid in table.lines],
        ))
    return EvaluationOut(tender_id=tender.id, status=service.status_now(tender, now()), lots=lots)


def _fresh(tender_id: int) -> TenderOut:
    db.session.expire_all()
    return TenderOut.of(service.get_tender(db.session, viewer(), tender_id))


def _values(model: BaseModel, only_sent: bool = False) -> dict:
    """The validated values as Python objects (model_dump would write money and dates as text)."""
    names = model.model_fields_set if only_sent else type(model).model_fields
    return {name: getattr(model, name) for name in names}


def _lots(lots: list[LotIn]) -> list[service.LotTerms]:
    return [service.LotTerms(**_values(lot)) for lot in lots]


@operation(
    "GET", "/tenders", summary="List tenders", roles=READERS, tag="tenders", query=TenderFilter,
    response=TenderOut, many=True, response_description="The tenders you may see",
)
def list_tenders(query: TenderFilter):
    """Staff see every tender; a provider user the tenders that have been published."""
    return [TenderOut.of(t) for t in service.list_tenders(db.session, viewer(), now(), query.status)]


@operation(
    "POST", "/tenders", summary="Enter a tender (draft)", roles=("procurement",), tag="tenders",
    body=TenderIn, response=TenderOut, status=201, response_description="The draft tender",
)
def create_tender(body: TenderIn):
    """One lot per programme; every problem is answered at once and nothing is stored."""
    terms = service.TenderTerms(
        title=body.title, lots=_lots(body.lots), procedure=body.procedure, contract_kind=body.contract_kind,
        deadline_at=body.deadline, contract_start_on=body.contract_start_date,
        contract_end_on=body.contract_end_date, contract_max_end_on=body.contract_max_end_date,
        reference=body.reference,
    )
    tender = service.create_tender(db.session, actor(), viewer(), terms, now())
    db.session.commit()
    return _fresh(tender.id)


@operation(
    "POST", "/tenders/retender", summary="Re-tender contracts", roles=("procurement",), tag="tenders",
    body=RetenderIn, response=TenderOut, status=201, response_description="The draft re-tender",
    conflicts="A contract has ended, has a successor or is already being re-tendered.",
)
def retender(body: RetenderIn):
    """A draft tender with one lot per programme of the contracts, its contracts to start the day
    after they end; `warnings` names any gap or overlap."""
    tender, _ = service.retender(db.session, actor(), viewer(), body.contract_ids, now(), body.title,
                                 body.deadline)
    db.session.commit()
    return _fresh(tender.id)


@operation(
    "GET", "/tenders/<int:tender_id>", summary="Read a tender", roles=READERS, tag="tenders",
    response=TenderOut, response_description="The tender",
)
def get_tender(tender_id: int):
    """A draft is answered 404 to provider users, as if it did not exist."""
    return TenderOut.of(service.get_tender(db.session, viewer(), tender_id))


@operation(
    "PATCH", "/tenders/<int:tender_id>", summary="Change a draft tender", roles=("procurement",),
    tag="tenders", body=TenderChange, response=TenderOut, response_description="The changed draft",
    conflicts="The tender is no longer a draft.",
)
def change_tender(tender_id: int, body: TenderChange):
    """Only the fields sent are changed."""
    names = {"deadline": "deadline_at", "contract_start_date": "contract_start_on",
             "contract_end_date": "contract_end_on", "contract_max_end_date": "contract_max_end_on"}
    changes = {names.get(k, k): v for k, v in _values(body, only_sent=True).items()}
    service.update_draft(db.session, actor(), viewer(), tender_id, changes, now())
    db.session.commit()
    return _fresh(tender_id)


@operation(
    "PATCH", "/tenders/<int:tender_id>/lots/<int:lot_id>", summary="Change a draft's lot",
    roles=("procurement",), tag="tenders", body=LotChange, response=LotOut,
    response_description="The changed lot", conflicts="The tender is no longer a draft.",
)
def change_lot(tender_id: int, lot_id: int, body: LotChange):
    """Only the fields sent are changed; the weights must still add up to 1."""
    lot = service.update_lot(db.session, actor(), viewer(), tender_id, lot_id,
                             _values(body, only_sent=True), now())
    db.session.commit()
    return LotOut.of(lot)


def _step(name: str, summary: str, conflicts: str, doc: str):
    def view(tender_id: int):
        getattr(service, name)(db.session, actor(), viewer(), tender_id, now())
        db.session.commit()
        return _fresh(tender_id)

    view.__name__ = f"{name}_tender"
    view.__doc__ = doc
    return operation(
        "POST", f"/tenders/<int:tender_id>/{name}", summary=summary, roles=("procurement",), tag="tenders",
        response=TenderOut, response_description="The tender after the step", conflicts=conflicts,
    )(view)


_step("publish", "Publish a draft tender", "The tender is not a draft.",
      "Needs at least one lot, a deadline in the future and the contract period (422 otherwise).")
_step("award", "Award the lots", "The tender has not been evaluated.",
      "Each lot goes to its best total (a framework lot to its best ranked); the 10-day standstill starts.")


@operation(
    "POST", "/tenders/<int:tender_id>/cancel", summary="Cancel a tender", roles=("procurement",),
    tag="tenders", body=CancelIn, response=TenderOut, response_description="The cancelled tender",
    conflicts="The tender is concluded or already cancelled.",
)
def cancel_tender(tender_id: int, body: CancelIn):
    """Any state before `concluded`; the reason is required."""
    service.cancel(db.session, actor(), viewer(), tender_id, body.reason, now())
    db.session.commit()
    return _fresh(tender_id)


@operation(
    "PUT", "/tenders/<int:tender_id>/lots/<int:lot_id>/bid", summary="Bid on a lot (or revise the bid)",
    roles=("provider",), tag="tenders", body=BidIn, response=BidOut, response_description="Your bid",
    conflicts="The tender is not open for bids (not published, or the deadline has passed).",
)
def put_bid(tender_id: int, lot_id: int, body: BidIn):
    """Sealed until the deadline: nobody but your own provider's staff sees it before then."""
    prices = service.BidPrices(body.monthly_fee, body.hourly_rate, body.outcome_bonus, body.vat_rate)
    bid = service.submit_bid(db.session, actor(), viewer(), tender_id, lot_id, prices, now())
    db.session.commit()
    return BidOut.of(bid)


@operation(
    "GET", "/tenders/<int:tender_id>/bids", summary="List a tender's bids", roles=READERS, tag="tenders",
    response=BidOut, many=True, response_description="The bids you may see",
)
def list_bids(tender_id: int):
    """A provider user sees its own provider's bids; staff see every bid once the deadline has passed,
    none before it."""
    tender = service.get_tender(db.session, viewer(), tender_id)
    return [BidOut.of(b) for b in service.visible_bids(db.session, viewer(), tender, now())]


@operation(
    "GET", "/tenders/<int:tender_id>/evaluation", summary="The evaluation table", roles=STAFF,
    tag="tenders", response=EvaluationOut, response_description="Every lot's bids, ranked, with the arithmetic",
    conflicts="The bids are sealed until the deadline.",
)
def get_evaluation(tender_id: int):
    """Evaluation price, price points, quality points and total of every bid, best first."""
    return _evaluation_out(service.get_tender(db.session, viewer(), tender_id))


@operation(
    "POST", "/tenders/<int:tender_id>/evaluation", summary="Enter the quality points",
    roles=("procurement",), tag="tenders", body=EvaluationIn, response=EvaluationOut,
    response_description="The ranked table", conflicts="Before the deadline, or after the award.",
)
def evaluate_tender(tender_id: int, body: EvaluationIn):
    """Quality points 0–10 for every bid; may be redone until the award."""
    points = {item.bid_id: item.points for item in body.quality_points}
    service.evaluate(db.session, actor(), viewer(), tender_id, points, now())
    db.session.commit()
    db.session.expire_all()
    return _evaluation_out(service.get_tender(db.session, viewer(), tender_id))


@operation(
    "POST", "/tenders/<int:tender_id>/conclude", summary="Conclude the contracts", roles=("procurement",),
    tag="tenders", response=ConcludedOut, response_description="The contracts created from the awarded bids",
    conflicts="The tender is not awarded, or the standstill has not ended.",
)
def conclude_tender(tender_id: int):
    """One contract per awarded bid with its price terms, linked to the lot, the bid and the contract
    it continues."""
    concluded = service.conclude(db.session, actor(), viewer(), tender_id, now())
    db.session.commit()
    ids = [c.id for c in concluded.contracts]
    tender = _fresh(tender_id)
    contracts = [ContractOut.of(register.get_contract(db.session, viewer(), i)) for i in ids]
    return ConcludedOut(tender=tender, contracts=contracts, warnings=[w.message for w in concluded.warnings])

