"""The tenders and contracts as OCDS processes, for the open-data export.

Drafts are internal and never exported; bids never are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...documents import ocds, ocds_milestones, ocds_tender, ocds_tender_documents
from ...models import (
    AuditEvent,
    Contract,
    ContractDocument,
    Lot,
    Tender,
    TenderDocument,
    TenderDocumentVersion,
    TenderQuestion,
)
from ...rules.milestones import effective_milestones
from ...rules.problems import N_
from .. import DomainError, contract_lists, scope
from ..scope import Viewer
from .awarding import awarded_bids
from .guards import _today
from .reading import predecessors, status_now

CONTRACT_OCDS_STATUS = {
    "draft": "pending",
    "active": "active",
    "ended": "terminated",
    "terminated": "terminated",
}


def _party(provider) -> ocds.Party:
    return ocds.Party(provider.name, provider.cvr)


def _contract_data(contract: Contract, award_id: str, today: date) -> ocds.ContractData:
    extensions = [a for a in contract.amendments if a.field == "end_on"]
    return ocds.ContractData(
        id=contract.id,
        reference=contract.reference,
        award_id=award_id,
        title=contract.title or contract.reference,
        status=CONTRACT_OCDS_STATUS[contract.status_on(today)],
        start_on=contract.start_on,
        end_on=contract.end_on,
        max_end_on=contract.max_end_on,
        ceiling=contract.ceiling,
        signed_at=contract.created_at,
        supplier=_party(contract.provider),
        amendments=[
            ocds.AmendmentData(
                a.id,
                a.created_at,
                a.reason,
                f"{a.field}: {a.old_value} → {a.new_value}",
                date.fromisoformat(a.new_value) if a.field == "end_on" else None,
            )
            for a in contract.amendments
        ],
        original_end_on=date.fromisoformat(extensions[0].old_value)
        if extensions
        else contract.end_on,
        documents=[
            ocds.DocumentData(
                d.id, d.document_type, d.title, d.file.media_type, d.created_at, d.amendment_id
            )
            for d in contract.documents
        ],
        # Only a contract paid by milestones (later ones in its terms) exports them.
        milestones=[
            ocds_milestones.MilestoneData(code, amount)
            for code, amount in effective_milestones(
                contract.outcome_bonus, {m.code: m.amount for m in contract.milestones}
            )
        ]
        if contract.milestones
        else [],
        clawback_days=contract.clawback_days,
    )


def _process_key(contract: Contract, tender_of_lot: dict[int, int]) -> str:
    if contract.lot_id is not None:
        return f"tender-{tender_of_lot[contract.lot_id]}"
    return f"contract-{contract.id}"


@dataclass(frozen=True)
class TenderLinks:
    """Where the portal serves a tender's material: (tender id, document id) -> the current
    version's download, and tender id -> the page with the published answers."""

    document: Callable[[int, int], str]
    answers: Callable[[int], str]


def _tender_documents(
    session: Session, tenders: list[Tender], links: TenderLinks | None
) -> dict[int, list[ocds_tender_documents.TenderDocumentData]]:
    """Each tender's material (current versions) and its answers as one `clarifications`
    document: two statements (and the versions' load) for all tenders."""
    ids = [t.id for t in tenders]
    published = {t.id: t.published_at for t in tenders}
    found: dict[int, list[ocds_tender_documents.TenderDocumentData]] = {i: [] for i in ids}
    if not ids:
        return found
    documents = session.scalars(
        sa.select(TenderDocument)
        .where(TenderDocument.tender_id.in_(ids))
        .options(selectinload(TenderDocument.versions).selectinload(TenderDocumentVersion.file))
        .order_by(TenderDocument.tender_id, TenderDocument.title, TenderDocument.id)
    )
    for document in documents:
        current, tender_id = document.current, document.tender_id
        found[tender_id].append(
            ocds_tender_documents.TenderDocumentData(
                id=f"tender-document-{document.id}",
                document_type=document.document_type,
                title=document.title,
                media_type=current.file.media_type,
                # Public from the publication, or from its upload when that came later.
                published_at=max(document.versions[0].uploaded_at, published[tender_id]),
                modified_at=current.uploaded_at if current.after_publication else None,
                url=links.document(tender_id, document.id) if links else None,
            )
        )
    answered = session.execute(
        sa.select(
            TenderQuestion.tender_id,
            sa.func.min(TenderQuestion.published_at),
            sa.func.max(TenderQuestion.published_at),
        )
        .where(TenderQuestion.tender_id.in_(ids), TenderQuestion.status == "published")
        .group_by(TenderQuestion.tender_id)
    )
    for tender_id, first, last in answered:
        found[tender_id].append(
            ocds_tender_documents.TenderDocumentData(
                id="clarifications",
                document_type="clarifications",
                title="Spørgsmål og svar",
                media_type="text/html",
                published_at=first,
                modified_at=last if last != first else None,
                url=links.answers(tender_id) if links else None,
            )
        )
    return found


def ocds_processes(
    session: Session, viewer: Viewer, now: datetime, links: TenderLinks | None = None
) -> list[ocds.Process]:
    """Every published tender and every contract the viewer may see, as OCDS processes.

    Drafts are internal and never exported; bids never are. `links` gives the material's
    addresses (left out without them).
    """
    if viewer.role not in ("procurement", "finance"):
        raise DomainError(N_("only the job centre's staff export OCDS"), status=403)
    today = _today(now)
    contracts = list(
        session.scalars(
            contract_lists.with_details(sa.select(Contract))
            .options(selectinload(Contract.documents).selectinload(ContractDocument.file))
            .order_by(Contract.start_on, Contract.id)
        )
    )
    tender_of_lot = dict(session.execute(sa.select(Lot.id, Lot.tender_id)).all())
    processes = []
    for contract in contracts:
        if contract.lot_id is None:
            award_id = f"award-{contract.id}"
            processes.append(
                ocds.Process(
                    key=f"contract-{contract.id}",
                    tender=None,
                    awards=[
                        ocds.AwardData(
                            award_id, None, _party(contract.provider), contract.created_at, "active"
                        )
                    ],
                    contracts=[_contract_data(contract, award_id, today)],
                    awarded_at=contract.created_at,
                )
            )
    tenders = session.scalars(
        scope.tenders(viewer)
        .where(Tender.published_at.is_not(None))
        .options(selectinload(Tender.lots).selectinload(Lot.programme))
        .order_by(Tender.published_at, Tender.id)
    ).all()
    material = _tender_documents(session, list(tenders), links)
    for tender in tenders:
        status = status_now(tender, now)
        cancelled_at = None
        if tender.status == "cancelled":
            cancelled_at = (
                session.scalar(
                    sa.select(sa.func.max(AuditEvent.occurred_at)).where(
                        AuditEvent.record_type == "tender",
                        AuditEvent.record_id == tender.id,
                        AuditEvent.action == "tender.cancelled",
                    )
                )
                or now
            )
        data = ocds_tender.TenderData(
            id=tender.id,
            reference=tender.reference,
            title=tender.title,
            status=status,
            procedure=tender.procedure,
            published_at=tender.published_at,
            deadline_at=tender.deadline_at,
            contract_start_on=tender.contract_start_on,
            contract_end_on=tender.contract_end_on,
            contract_max_end_on=tender.contract_max_end_on,
            lots=[
                ocds_tender.LotData(
                    lot.number,
                    lot.title,
                    lot.programme.code,
                    lot.estimated_value,
                    lot.expected_hours,
                    lot.expected_outcome_rate,
                    (lot.expected_week13_rate, lot.expected_week26_rate)
                    if lot.milestone_prices
                    else None,
                    lot.clawback_days,
                )
                for lot in tender.lots
            ],
            cancelled_at=cancelled_at,
            cancelled_reason=tender.cancelled_reason,
            documents=material[tender.id],
        )
        awards, award_of_bid = [], {}
        if tender.awarded_at is not None:
            award_status = {"concluded": "active", "cancelled": "cancelled"}.get(
                tender.status, "pending"
            )
            for bid in awarded_bids(session, tender):
                award_of_bid[bid.id] = f"award-{bid.id}"
                awards.append(
                    ocds.AwardData(
                        award_of_bid[bid.id],
                        bid.lot.number,
                        _party(bid.provider),
                        tender.awarded_at,
                        award_status,
                        bid.award_rank,
                    )
                )
        own = [
            c for c in contracts if c.lot_id is not None and tender_of_lot[c.lot_id] == tender.id
        ]
        prior = [
            (_process_key(c, tender_of_lot), c.reference) for c in predecessors(session, tender)
        ]
        processes.append(
            ocds.Process(
                key=f"tender-{tender.id}",
                tender=data,
                awards=awards,
                contracts=[
                    _contract_data(c, award_of_bid.get(c.bid_id, f"award-{c.bid_id}"), today)
                    for c in own
                ],
                awarded_at=tender.awarded_at,
                prior=prior,
            )
        )
    return processes
