"""A tender in the OCDS export: the `tender` object of its releases, with its lots (the Lots
extension), its periods, its value when every lot has one, and its material
(`tender.documents`, ocds_tender_documents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .ocds_formats import money, period, rfc3339
from .ocds_tender_documents import TenderDocumentData, tender_document

METHODS = {
    "open": "open",
    "restricted": "selective",
    "competitive_negotiation": "selective",
    "light_regime": "limited",
}
TENDER_STATUS = {
    "draft": "planning",
    "published": "active",
    "closed": "active",
    "evaluated": "active",
    "awarded": "active",
    "concluded": "complete",
    "cancelled": "cancelled",
}


@dataclass(frozen=True)
class LotData:
    number: int
    title: str
    programme: str
    value: Decimal | None
    # The evaluation price's terms (rules.tendering.evaluation_price): hours and the outcome
    # rate, and for a lot asking for milestone prices the shares expected at 13 and 26 weeks.
    expected_hours: Decimal | None = None
    expected_outcome_rate: Decimal | None = None
    later_shares: tuple[Decimal, Decimal] | None = None
    clawback_days: int | None = None


AWARD_CRITERIA = (
    "total = w_price × price points + w_quality × quality points; price points = "
    "10 × lowest evaluation price / evaluation price; evaluation price = monthly fee + "
    "expected hours × hourly rate + expected outcome rate × outcome bonus (+ each later "
    "milestone's expected share × its amount, where a lot asks for milestone prices)"
)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _lot_terms(lot: LotData) -> str | None:
    """A lot's evaluation terms in words, or None when they are not given."""
    if lot.expected_hours is None or lot.expected_outcome_rate is None:
        return None
    terms = (
        f"lot {lot.number}: expected hours {_plain(lot.expected_hours)}, expected outcome rate "
        f"{_plain(lot.expected_outcome_rate)}"
    )
    if lot.later_shares is not None:
        week13, week26 = lot.later_shares
        terms += (
            f", milestone prices: expected share {_plain(week13)} still in a job or education "
            f"at 13 weeks and {_plain(week26)} at 26 weeks"
        )
        if lot.clawback_days is not None:
            terms += (
                "; a milestone paid is paid back when the participant returns within "
                f"{lot.clawback_days} days"
            )
    return terms


def award_criteria(lots: list[LotData]) -> str:
    """The award criteria, with each lot's evaluation terms."""
    terms = [t for t in (_lot_terms(lot) for lot in lots) if t]
    return AWARD_CRITERIA + ("; " + "; ".join(terms) if terms else "")


@dataclass(frozen=True)
class TenderData:
    id: int
    reference: str
    title: str
    status: str
    procedure: str
    published_at: datetime
    deadline_at: datetime | None
    contract_start_on: date | None
    contract_end_on: date | None
    contract_max_end_on: date | None
    lots: list[LotData]
    cancelled_at: datetime | None = None
    cancelled_reason: str | None = None
    documents: list[TenderDocumentData] = field(default_factory=list)


def tender_object(tender: TenderData, status: str | None = None) -> dict:
    out = {
        "id": tender.reference,
        "title": tender.title,
        "status": status or TENDER_STATUS[tender.status],
        "procuringEntity": None,
        "procurementMethod": METHODS.get(tender.procedure, "open"),
        "procurementMethodDetails": tender.procedure,
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": award_criteria(tender.lots),
        "submissionMethod": ["electronicSubmission"],
        "lots": [
            {
                "id": str(lot.number),
                "title": lot.title,
                "description": lot.programme,
                "status": TENDER_STATUS[tender.status] if tender.status != "draft" else "planning",
                **({"value": money(lot.value)} if lot.value is not None else {}),
                **(
                    {
                        "contractPeriod": period(
                            tender.contract_start_on,
                            tender.contract_end_on,
                            tender.contract_max_end_on,
                        )
                    }
                    if tender.contract_start_on
                    else {}
                ),
            }
            for lot in tender.lots
        ],
    }
    del out["procuringEntity"]
    if tender.deadline_at:
        out["tenderPeriod"] = {
            "startDate": rfc3339(tender.published_at),
            "endDate": rfc3339(tender.deadline_at),
        }
    if tender.contract_start_on:
        out["contractPeriod"] = period(
            tender.contract_start_on, tender.contract_end_on, tender.contract_max_end_on
        )
    values = [lot.value for lot in tender.lots if lot.value is not None]
    if values and len(values) == len(tender.lots):
        out["value"] = money(sum(values, Decimal(0)))
    if tender.documents:
        out["documents"] = [tender_document(d) for d in tender.documents]
    return out
