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
        "awardCriteriaDetails": (
            "total = w_price × price points + w_quality × quality points; price points = "
            "10 × lowest evaluation price / evaluation price"
        ),
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
