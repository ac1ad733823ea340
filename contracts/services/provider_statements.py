"""A provider's monthly statement read into plain data: every contract, its outcomes and invoices.

Set-based: three statements however many contracts and invoices the provider has (the
provider; its contracts with their programme and month's outcomes; the month's invoices and
credit notes of all of them), never a query per contract.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..documents.data import Municipality, ProviderStatement, Seller, StatementContract
from ..models import Contract, Invoice, Programme, Provider, Score

COUNTS = (
    Score.participants,
    Score.active_end,
    Score.exits,
    Score.positive,
    Score.benefit_stopped,
    Score.other,
)


def provider_statement(
    session: Session, provider_id: int, month: str, buyer: Municipality
) -> ProviderStatement:
    """The monthly statement of a provider (already found visible by the caller).

    A contract with neither an invoice nor outcomes in the month is left out.
    """
    provider = session.get(Provider, provider_id)
    contracts = session.execute(
        sa.select(Contract.id, Contract.reference, Programme.name_da, Score.id, *COUNTS)
        .join(Programme, Programme.id == Contract.programme_id)
        .outerjoin(
            Score,
            sa.and_(
                Score.scope == "contract",
                Score.scope_id == Contract.id,
                Score.month == month,
                Score.cumulative.is_(False),
            ),
        )
        .where(Contract.provider_id == provider_id)
        .order_by(Contract.reference, Contract.id)
    ).all()
    documents = defaultdict(list)
    for i in session.scalars(
        sa.select(Invoice)
        .join(Contract, Contract.id == Invoice.contract_id)
        .where(Contract.provider_id == provider_id, Invoice.month == month)
        .order_by(Invoice.id)
    ):
        documents[i.contract_id].append((i.kind, i.number, i.status, i.net, i.vat, i.total))
    rows = [
        StatementContract(reference, programme_name, *counts, documents=tuple(documents[id_]))
        for id_, reference, programme_name, score_id, *counts in contracts
        if documents[id_] or score_id is not None
    ]
    return ProviderStatement(
        seller=Seller(id=provider.id, name=provider.name, cvr=provider.cvr, gln=provider.gln),
        buyer=buyer,
        month=month,
        contracts=tuple(rows),
    )
