"""The contracts a viewer may see, listed: the one home of the lists of contracts.

Every list starts from `visible` (the viewer's scope, `scope.contracts`, and at most one
provider's), so who sees which contract is said in one place: by reference, as the score
tables, the invoice desk's choices and procurement's overview show them; and filtered and paged,
as the API lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Contract, Programme
from ..rules.problems import N_
from . import DomainError, scope
from .paging import Page, page_of
from .scope import Viewer

# The statuses a contract has on a day (`Contract.status_on`), as lists filter by them.
READ_STATUSES = ("draft", "active", "ended", "terminated")


def status_clause(status: str, today: date) -> sa.ColumnElement[bool]:
    """The SQL condition for `contract.status_on(today) == status`, to filter lists in the database."""
    running = Contract.status != "terminated"
    return {
        "terminated": Contract.status == "terminated",
        "draft": sa.and_(running, Contract.start_on > today),
        "active": sa.and_(running, Contract.start_on <= today, Contract.end_on >= today),
        "ended": sa.and_(running, Contract.end_on < today),
    }[status]


def with_details(stmt: sa.Select) -> sa.Select:
    """What a contract's page and answer show, loaded alongside: one statement each however many."""
    return stmt.options(
        selectinload(Contract.provider),
        selectinload(Contract.programme),
        selectinload(Contract.successor),
        selectinload(Contract.amendments),
        selectinload(Contract.milestones),
    )


def visible(viewer: Viewer, provider_id: int | None = None) -> sa.Select:
    """The contracts the viewer may see, only the provider's when one is given."""
    stmt = scope.contracts(viewer)
    if provider_id is not None:
        stmt = stmt.where(Contract.provider_id == provider_id)
    return stmt


def contracts_by_reference(
    session: Session, viewer: Viewer, provider_id: int | None = None, *, successors: bool = False
) -> list[Contract]:
    """The contracts the viewer may see (of one provider, if given) by reference, with their
    provider and programme loaded (and their successor, when asked): three statements (four)
    however many there are."""
    loads = [selectinload(Contract.provider), selectinload(Contract.programme)]
    if successors:
        loads.append(selectinload(Contract.successor))
    return list(
        session.scalars(visible(viewer, provider_id).options(*loads).order_by(Contract.reference))
    )


def contracts_by_start(
    session: Session, viewer: Viewer, provider_id: int | None = None
) -> list[Contract]:
    """The contracts the viewer may see (of one provider, if given) by start date, with their
    details loaded."""
    stmt = with_details(visible(viewer, provider_id)).order_by(Contract.start_on, Contract.id)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class ContractFilter:
    """The API's optional filters of the contract list; None is no filter."""

    provider_id: int | None = None
    programme: str | None = None  # a programme code
    status: str | None = None  # the status on the day asked
    kind: str | None = None


def filtered(session: Session, viewer: Viewer, today: date, found: ContractFilter) -> sa.Select:
    """The contracts the viewer may see that the filter finds; an unknown programme code or
    status is refused (DomainError)."""
    stmt = visible(viewer, found.provider_id)
    if found.programme is not None:
        programme_id = session.scalar(
            sa.select(Programme.id).where(Programme.code == found.programme)
        )
        if programme_id is None:
            raise DomainError(
                N_("there is no programme '%(code)s'"), "programme", code=found.programme
            )
        stmt = stmt.where(Contract.programme_id == programme_id)
    if found.status is not None:
        if found.status not in READ_STATUSES:
            raise DomainError(
                N_("the status must be one of %(states)s"),
                "status",
                states=", ".join(READ_STATUSES),
            )
        stmt = stmt.where(status_clause(found.status, today))
    if found.kind is not None:
        stmt = stmt.where(Contract.kind == found.kind)
    return stmt


def contract_page(
    session: Session, viewer: Viewer, today: date, found: ContractFilter, page: int, per_page: int
) -> Page[Contract]:
    """One page (from 1) of what the filter finds, by start date, with what a contract's answer
    shows loaded (provider, programme, successor, amendments), and how many in all: the same
    statements whatever the page's size."""
    stmt = with_details(filtered(session, viewer, today, found)).order_by(
        Contract.start_on, Contract.id
    )
    return page_of(session, stmt, page, per_page)
