"""What a viewer may see: the one place that scopes every query.

Every page, API call and export builds its queries through these functions, so a provider
sees only its own provider's records and nothing tells it that others exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..models import Bid, Contract, Enrolment, Invoice, Lot, MonthlyReport, Provider, Tender


@dataclass(frozen=True)
class Viewer:
    """The role and, for provider users, the provider that every query is scoped to."""

    user_id: int | None
    role: str
    provider_id: int | None = None

    @property
    def is_provider(self) -> bool:
        return self.role == "provider"

    def may(self, *roles: str) -> bool:
        """True when the viewer has one of the roles."""
        return self.role in roles


# Roles that see records of every provider (admin sees no participant or contract data).
STAFF_READERS = ("procurement", "finance")


def _deny(stmt: sa.Select) -> sa.Select:
    return stmt.where(sa.false())


def _scoped(viewer: Viewer, stmt: sa.Select, own: sa.ColumnElement[bool], join=None) -> sa.Select:
    """Staff readers see all; a provider user what `own` admits (after `join`); anyone else nothing."""
    if viewer.role in STAFF_READERS:
        return stmt
    if viewer.is_provider:
        if join is not None:
            stmt = stmt.join(Contract, join)
        return stmt.where(own)
    return _deny(stmt)


def providers(viewer: Viewer, stmt: sa.Select | None = None) -> sa.Select:
    """Providers the viewer may see."""
    return _scoped(
        viewer, sa.select(Provider) if stmt is None else stmt, Provider.id == viewer.provider_id
    )


def contracts(viewer: Viewer, stmt: sa.Select | None = None) -> sa.Select:
    """Contracts the viewer may see."""
    return _scoped(
        viewer,
        sa.select(Contract) if stmt is None else stmt,
        Contract.provider_id == viewer.provider_id,
    )


def reports(viewer: Viewer, stmt: sa.Select | None = None) -> sa.Select:
    """Monthly reports the viewer may see."""
    return _scoped(
        viewer,
        sa.select(MonthlyReport) if stmt is None else stmt,
        Contract.provider_id == viewer.provider_id,
        join=MonthlyReport.contract_id == Contract.id,
    )


def enrolments(viewer: Viewer, stmt: sa.Select | None = None) -> sa.Select:
    """Enrolments (and so participants) the viewer may see: none for admin."""
    return _scoped(
        viewer,
        sa.select(Enrolment) if stmt is None else stmt,
        Contract.provider_id == viewer.provider_id,
        join=Enrolment.contract_id == Contract.id,
    )


def invoices(viewer: Viewer, stmt: sa.Select | None = None) -> sa.Select:
    """Invoices the viewer may see."""
    return _scoped(
        viewer,
        sa.select(Invoice) if stmt is None else stmt,
        Contract.provider_id == viewer.provider_id,
        join=Invoice.contract_id == Contract.id,
    )


def tenders(viewer: Viewer, stmt: sa.Select | None = None) -> sa.Select:
    """Tenders the viewer may see: staff all; a provider only those ever published."""
    stmt = sa.select(Tender) if stmt is None else stmt
    return _scoped(viewer, stmt, Tender.published_at.is_not(None))


def bids(viewer: Viewer, now: datetime, stmt: sa.Select | None = None) -> sa.Select:
    """Bids the viewer may see: a provider its own; staff a bid only once its deadline has passed."""
    stmt = sa.select(Bid) if stmt is None else stmt
    if viewer.is_provider:
        return stmt.where(Bid.provider_id == viewer.provider_id)
    if viewer.role in STAFF_READERS:
        # Sealed: for staff a bid exists only from its tender's deadline on.
        opened = (
            sa.select(Lot.id)
            .join(Tender, Lot.tender_id == Tender.id)
            .where(Tender.deadline_at <= now)
        )
        return stmt.where(Bid.lot_id.in_(opened))
    return _deny(stmt)
