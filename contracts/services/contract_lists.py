"""The contracts a viewer may see, listed by reference, as the score tables and the invoice desk's
choices show them."""

from __future__ import annotations

from sqlalchemy.orm import Session, selectinload

from ..models import Contract
from . import scope
from .scope import Viewer


def contracts_by_reference(
    session: Session, viewer: Viewer, provider_id: int | None = None
) -> list[Contract]:
    """The contracts the viewer may see (of one provider, if given) by reference, with their
    provider and programme loaded: three statements however many there are."""
    stmt = scope.contracts(viewer)
    if provider_id is not None:
        stmt = stmt.where(Contract.provider_id == provider_id)
    return list(
        session.scalars(
            stmt.options(
                selectinload(Contract.provider), selectinload(Contract.programme)
            ).order_by(Contract.reference)
        )
    )
