"""What a viewer may see: the one place that scopes every query.

Every page, API call and export builds its queries through these functions, so a provider
sees only its own provider's records and nothing tells it that others exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

from ..models import Contract, Enrolment, Invoice, MonthlyReport, Provider


@dataclass(frozen=True)
class Viewer:
    """The role and, for provider users, the provider that every query is scoped to."""

    user_id: Optional[int]
    role: str
    provider_id: Optional[int] = None

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


def providers(viewer: Viewer, stmt: Optional[sa.Select] = None) -> sa.Select:
    """Providers the viewer may see."""
    stmt = sa.select(Provider) if stmt is None else stmt
    if viewer.role in STAFF_READERS:
        return stmt
    if viewer.is_provider:
        return stmt.where(Provider.id == viewer.provider_id)
    return _deny(stmt)


def contracts(viewer: Viewer, stmt: Optional[sa.Select] = None) -> sa.Select:
    """Contracts the viewer may see."""
    stmt = sa.select(Contract) if stmt is None else stmt
    if viewer.role in STAFF_READERS:
        return stmt
    if viewer.is_provider:
        return stmt.where(Contract.provider_id == viewer.provider_id)
    return _deny(stmt)


def reports(viewer: Viewer, stmt: Optional[sa.Select] = None) -> sa.Select:
    """Monthly reports the viewer may see."""
    stmt = sa.select(MonthlyReport) if stmt is None else stmt
    if viewer.role in STAFF_READERS:
        return stmt
    if viewer.is_provider:
        return stmt.join(Contract, MonthlyReport.contract_id == Contract.id).where(
            Contract.provider_id == viewer.provider_id
        )
    return _deny(stmt)


def enrolments(viewer: Viewer, stmt: Optional[sa.Select] = None) -> sa.Select:
    """Enrolments (and so participants) the viewer may see: none for admin."""
    stmt = sa.select(Enrolment) if stmt is None else stmt
    if viewer.role in STAFF_READERS:
        return stmt
    if viewer.is_provider:
        return stmt.join(Contract, Enrolment.contract_id == Contract.id).where(
            Contract.provider_id == viewer.provider_id
        )
    return _deny(stmt)


def invoices(viewer: Viewer, stmt: Optional[sa.Select] = None) -> sa.Select:
    """Invoices the viewer may see."""
    stmt = sa.select(Invoice) if stmt is None else stmt
    if viewer.role in STAFF_READERS:
        return stmt
    if viewer.is_provider:
        return stmt.join(Contract, Invoice.contract_id == Contract.id).where(
            Contract.provider_id == viewer.provider_id
        )
    return _deny(stmt)
