"""A tender as a viewer may see it: found under the viewer's scope, its status now, the
contracts a re-tender replaces, and its history.

"closed" is not written by a job: a published tender is closed from the minute of its
deadline (`rules.tendering.phase`); evaluation writes the next status.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ...models import AuditEvent, Bid, Contract, Lot, Tender, tender_predecessor
from ...rules import tendering as rules
from ...rules.problems import N_, Problem
from ...rules.succession import succession_warning
from .. import NotFound, scope
from ..paging import Page, page_of
from ..scope import Viewer


def get_tender(session: Session, viewer: Viewer, tender_id: int) -> Tender:
    """One tender the viewer may see; NotFound also when it exists but is not for their eyes."""
    tender = session.scalar(
        scope.tenders(viewer)
        .where(Tender.id == tender_id)
        .options(selectinload(Tender.lots).selectinload(Lot.programme))
    )
    if tender is None:
        raise NotFound(N_("no such tender"), "tender_id")
    return tender


def _newest_first(viewer: Viewer, now: datetime, status: str | None) -> sa.Select:
    stmt = scope.tenders(viewer)
    if status is not None:
        stmt = stmt.where(status_clause(status, now))
    return stmt.options(selectinload(Tender.lots).selectinload(Lot.programme)).order_by(
        Tender.created_at.desc(), Tender.id.desc()
    )


def list_tenders(
    session: Session, viewer: Viewer, now: datetime, status: str | None = None
) -> list[Tender]:
    """The tenders the viewer may see, newest first, optionally only those in a status now."""
    return list(session.scalars(_newest_first(viewer, now, status)))


def tender_page(
    session: Session, viewer: Viewer, now: datetime, status: str | None, page: int, per_page: int
) -> Page[Tender]:
    """One page (from 1) of `list_tenders`, and how many there are in all."""
    return page_of(session, with_answer(_newest_first(viewer, now, status)), page, per_page)


def with_answer(stmt: sa.Select) -> sa.Select:
    """What a tender's answer shows, loaded alongside: its lots with their programmes and the
    contracts it replaces, one statement each however many tenders."""
    return stmt.options(
        selectinload(Tender.lots).selectinload(Lot.programme),
        selectinload(Tender.replaces).selectinload(Contract.provider),
    )


def status_now(tender: Tender, now: datetime) -> str:
    """The tender's status at a moment (published turns closed at the deadline)."""
    return rules.phase(tender.status, tender.deadline_at, now)


def status_clause(status: str, now: datetime) -> sa.ColumnElement[bool]:
    """The SQL condition for `status_now(tender, now) == status` (`rules.tendering.phase`)."""
    past_deadline = sa.and_(Tender.deadline_at.is_not(None), Tender.deadline_at <= now)
    if status == "closed":
        return sa.or_(
            Tender.status == "closed", sa.and_(Tender.status == "published", past_deadline)
        )
    if status == "published":
        return sa.and_(Tender.status == "published", sa.not_(past_deadline))
    return Tender.status == status


def predecessors(session: Session, tender: Tender) -> list[Contract]:
    """The contracts a re-tender replaces, by end date, with their provider, programme and
    successor (a list of many tenders reads `Tender.replaces`, loaded by `with_answer`)."""
    return list(
        session.scalars(
            sa.select(Contract)
            .join(tender_predecessor, tender_predecessor.c.contract_id == Contract.id)
            .where(tender_predecessor.c.tender_id == tender.id)
            .options(
                selectinload(Contract.provider),
                selectinload(Contract.programme),
                selectinload(Contract.successor),
            )
            .order_by(Contract.end_on, Contract.id)
        )
    )


def succession_warnings(tender: Tender) -> list[Problem]:
    """A gap or an overlap between each replaced contract and the tender's contract start."""
    if tender.contract_start_on is None:
        return []
    found = []
    for old in tender.replaces:
        warning = succession_warning(old.reference, old.end_on, tender.contract_start_on)
        if warning:
            found.append(warning)
    return found


def history(session: Session, viewer: Viewer, tender: Tender, now: datetime) -> list[AuditEvent]:
    """The tender's audit events a viewer may see; bid events only once the bids are open."""
    if viewer.role not in ("procurement", "finance"):
        return []
    condition = sa.and_(AuditEvent.record_type == "tender", AuditEvent.record_id == tender.id)
    if not rules.bids_sealed(tender.deadline_at, now):
        bid_ids = (
            sa.select(Bid.id).join(Lot, Bid.lot_id == Lot.id).where(Lot.tender_id == tender.id)
        )
        condition = sa.or_(
            condition, sa.and_(AuditEvent.record_type == "bid", AuditEvent.record_id.in_(bid_ids))
        )
    return list(
        session.scalars(
            sa.select(AuditEvent).where(condition).order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )
