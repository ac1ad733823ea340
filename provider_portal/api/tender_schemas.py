"""The shapes of the tender API calls: the pydantic models that validate what comes in and
write what goes out, and from which the OpenAPI document takes its schemas.

Deadlines are read as Copenhagen wall-clock time unless they carry an offset, and written
back in Copenhagen time with the offset (RFC 3339).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from contracts.models import Lot, Tender
from contracts.rules import tendering as rules
from contracts.rules.milestones import MOST_CLAWBACK_DAYS
from contracts.services import tenders as service

from ..clock import now
from ..security import viewer
from .contracts import ContractOut
from .types import Id, IsoDate, Model, Money, ProgrammeCode, Rate, format_money

STAFF = ("procurement", "finance")
READERS = ("procurement", "finance", "provider")
Procedure = Literal["open", "restricted", "competitive_negotiation", "light_regime"]
ContractKind = Literal["special_effort", "framework"]
Status = Literal["draft", "published", "closed", "evaluated", "awarded", "concluded", "cancelled"]
DECIMAL_TEXT = re.compile(r"^\d{1,5}(\.\d{1,2})?$", re.ASCII)


def _two_decimals(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str) or not DECIMAL_TEXT.match(value.strip()):
        raise ValueError('must be a decimal string with at most two decimals, such as "80.00"')
    try:
        return Decimal(value.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{value!r} is not a number") from None


# A deadline as people and systems write one: to the minute or second, with or without an offset.
# Years from 1900 on: before 1894 Copenhagen kept local mean time, an offset of +00:50:20 that
# RFC 3339 cannot write back.
MOMENT_PATTERN = (
    r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-](0[0-9]|1[0-7]):[0-5][0-9])?$"
)
MOMENT_TEXT = re.compile(MOMENT_PATTERN)


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not MOMENT_TEXT.match(value.strip()):
        raise ValueError("must be a date and time such as 2019-03-15T12:00 (Copenhagen time)")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time such as 2019-03-15T12:00") from None
    return rules.copenhagen_time(moment)


def _write_moment(moment: datetime) -> str:
    return rules.copenhagen_time(moment).isoformat()


Decimal2 = Annotated[
    Decimal,
    BeforeValidator(_two_decimals),
    PlainSerializer(format_money, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,5}(\.\d{1,2})?$", "examples": ["80.00"]}),
]
Moment = Annotated[
    datetime,
    BeforeValidator(_moment),
    PlainSerializer(_write_moment, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MOMENT_PATTERN,
            "examples": ["2019-03-15T12:00", "2019-03-15T12:00:00+01:00"],
            "description": "Copenhagen time when no offset is given",
        },
        mode="validation",
    ),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "examples": ["2019-03-15T12:00:00+01:00"],
            "description": "Copenhagen time, with its offset",
        },
        mode="serialization",
    ),
]


# A lot that asks for milestone prices (DESIGN.md §15) gives both later shares.
WEEK13_SHARE = Field(
    default=None,
    description=(
        "Asks for milestone prices: the share of participants expected to still be in the job "
        "or education 13 weeks after it started (at most the expected outcome rate, the start "
        "milestone's share). Given with expected_week26_rate, or neither"
    ),
)
WEEK26_SHARE = Field(
    default=None,
    description="The share expected to reach 26 weeks (at most expected_week13_rate)",
)
LOT_CLAWBACK_DAYS = Field(
    default=None,
    ge=0,
    le=MOST_CLAWBACK_DAYS,
    description=(
        "A lot with milestone prices: its contracts take back a paid milestone when the "
        "participant is back on benefit within this many days; null: never"
    ),
)


class LotIn(Model):
    """A lot: one programme, the expected values that price the bids, the award weights."""

    programme: ProgrammeCode = Field(examples=["adult-employment"])
    title: str = Field(default="", max_length=300)
    estimated_value: Money | None = Field(
        default=None, description="Becomes the contracts' ceiling"
    )
    expected_hours: Decimal2 = Field(
        default=service.DEFAULT_EXPECTED_HOURS,
        description="Hours a participant is expected to get a month",
    )
    expected_outcome_rate: Rate = service.DEFAULT_OUTCOME_RATE
    w_price: Rate = service.DEFAULT_W_PRICE
    w_quality: Rate = service.DEFAULT_W_QUALITY
    max_awards: int = Field(
        default=1, ge=1, le=20, description="Providers awarded (framework: several)"
    )
    expected_week13_rate: Rate | None = WEEK13_SHARE
    expected_week26_rate: Rate | None = WEEK26_SHARE
    clawback_days: int | None = LOT_CLAWBACK_DAYS


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
    """Changes to a draft; fields left out stay as they are (null clears the deadline and the
    contract dates; the title, procedure and kind take no null)."""

    # Left out, a field keeps its value (the defaults are never stored); sent, it must be one.
    title: str = Field(default=None, min_length=1, max_length=300)
    procedure: Procedure = None
    contract_kind: ContractKind = None
    deadline: Moment | None = None
    contract_start_date: IsoDate | None = None
    contract_end_date: IsoDate | None = None
    contract_max_end_date: IsoDate | None = None


class LotChange(Model):
    """Changes to a draft's lot; fields left out stay as they are (null removes the estimated
    value, and null for both expected milestone shares and the clawback days stops asking for
    milestone prices; the other fields take no null)."""

    # Left out, a field keeps its value (the defaults are never stored); sent, it must be one.
    title: str = Field(default=None, min_length=1, max_length=300)
    estimated_value: Money | None = None
    expected_hours: Decimal2 = None
    expected_outcome_rate: Rate = None
    w_price: Rate = None
    w_quality: Rate = None
    max_awards: int = Field(default=None, ge=1, le=20)
    expected_week13_rate: Rate | None = WEEK13_SHARE
    expected_week26_rate: Rate | None = WEEK26_SHARE
    clawback_days: int | None = LOT_CLAWBACK_DAYS


class RetenderIn(Model):
    """The contracts to re-tender (one lot per programme), and optionally a title and deadline."""

    contract_ids: list[Id] = Field(min_length=1, max_length=50)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    deadline: Moment | None = None


class CancelIn(Model):
    reason: str = Field(min_length=1, max_length=2000)


class TenderFilter(Model):
    status: Status | None = Field(default=None, description="The status now")


class LotOut(BaseModel):
    id: int
    number: int
    programme: ProgrammeCode
    title: str
    estimated_value: Money | None
    expected_hours: Decimal2
    expected_outcome_rate: Rate
    w_price: Rate
    w_quality: Rate
    max_awards: int
    milestone_prices: bool = Field(description="Bids price the week13 and week26 milestones too")
    expected_week13_rate: Rate | None
    expected_week26_rate: Rate | None
    clawback_days: int | None

    @classmethod
    def of(cls, lot: Lot) -> LotOut:
        return cls(
            id=lot.id,
            number=lot.number,
            programme=lot.programme.code,
            title=lot.title,
            estimated_value=lot.estimated_value,
            expected_hours=lot.expected_hours,
            expected_outcome_rate=lot.expected_outcome_rate,
            w_price=lot.w_price,
            w_quality=lot.w_quality,
            max_awards=lot.max_awards,
            milestone_prices=lot.milestone_prices,
            expected_week13_rate=lot.expected_week13_rate,
            expected_week26_rate=lot.expected_week26_rate,
            clawback_days=lot.clawback_days,
        )


class TenderOut(BaseModel):
    """A tender with its lots; the replaced contracts and warnings only for staff."""

    id: int
    reference: str
    title: str
    procedure: Procedure
    contract_kind: ContractKind
    status: Status = Field(
        description="The status now: a published tender is closed from its deadline"
    )
    deadline: Moment | None
    question_deadline: Moment | None = Field(
        description="The last moment to ask a question: as set, else six days before the deadline"
    )
    contract_start_date: IsoDate | None
    contract_end_date: IsoDate | None
    contract_max_end_date: IsoDate | None
    published_at: Moment | None
    awarded_at: Moment | None
    standstill_ends_on: IsoDate | None = Field(description="The last day of the standstill")
    concluded_at: Moment | None
    cancelled_reason: str | None
    lots: list[LotOut]
    predecessor_ids: list[int] | None = Field(
        description="The contracts a re-tender replaces (staff only)"
    )
    warnings: list[str] | None = Field(
        description="A gap or overlap with a replaced contract (staff only)"
    )

    @classmethod
    def of(cls, tender: Tender) -> TenderOut:
        v, moment = viewer(), now()
        staff = v.role in STAFF
        return cls(
            id=tender.id,
            reference=tender.reference,
            title=tender.title,
            procedure=tender.procedure,
            contract_kind=tender.contract_kind,
            status=service.status_now(tender, moment),
            deadline=tender.deadline_at,
            question_deadline=service.question_deadline(tender),
            contract_start_date=tender.contract_start_on,
            contract_end_date=tender.contract_end_on,
            contract_max_end_date=tender.contract_max_end_on,
            published_at=tender.published_at,
            awarded_at=tender.awarded_at,
            standstill_ends_on=tender.standstill_ends_on,
            concluded_at=tender.concluded_at,
            cancelled_reason=tender.cancelled_reason,
            lots=[LotOut.of(lot) for lot in tender.lots],
            predecessor_ids=[c.id for c in tender.replaces] if staff else None,
            warnings=[w.message for w in service.succession_warnings(tender)] if staff else None,
        )


class BidderRef(BaseModel):
    id: int
    name: str


class ConcludedOut(BaseModel):
    """The concluded tender, the contracts created, and warnings worth a second look."""

    tender: TenderOut
    contracts: list[ContractOut]
    warnings: list[str]
