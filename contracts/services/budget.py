"""The annual budget statement's figures: one set-based query, grouped by programme and month.

What counts is decided in `contracts.documents.budget` (net, approved invoices less approved
credit notes, by the invoice's month); the database does the adding, never a loop over invoices.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..documents.budget import BudgetStatement, programme_spend
from ..documents.data import Municipality
from ..models import Contract, Invoice, Programme
from ..rules.money import round_money
from ..rules.problems import N_
from . import DomainError, scope
from .scope import Viewer
from .sql import decimal_from_hundredths, sum_hundredths

READERS = ("finance", "procurement")


def _year(year: int) -> sa.ColumnElement[bool]:
    return Invoice.month.like(f"{year:04d}-%")


def budget_statement(
    session: Session, viewer: Viewer, year: int, budget: Decimal, buyer: Municipality, today: date
) -> BudgetStatement:
    """The year's budget against the approved net amounts per programme and month, as of `today`.

    Raises DomainError 403 for anyone but finance and procurement, 422 for a year outside 2000–2100.
    """
    if not viewer.may(*READERS):
        raise DomainError(N_("Only finance and procurement read the budget statement."), status=403)
    if not 2000 <= year <= 2100:
        raise DomainError(N_("Give a year between 2000 and 2100."), field="year")
    spent = session.execute(
        scope.invoices(
            viewer,
            sa.select(
                Programme.position,
                Programme.code,
                Programme.name_da,
                Invoice.month,
                sum_hundredths(Invoice.signed_net),
            ),
        )
        .join(Contract, Contract.id == Invoice.contract_id)
        .join(Programme, Programme.id == Contract.programme_id)
        .where(_year(year), Invoice.status == "approved")
        .group_by(Programme.position, Programme.code, Programme.name_da, Invoice.month)
    ).all()
    every = session.execute(
        sa.select(Programme.position, Programme.code, Programme.name_da, sa.null(), sa.null())
    ).all()
    waiting = session.scalar(
        scope.invoices(viewer, sa.select(sum_hundredths(Invoice.signed_net))).where(
            _year(year), Invoice.status == "draft"
        )
    )
    return BudgetStatement(
        year=year,
        budget=round_money(Decimal(budget)),
        buyer=buyer,
        as_of=today,
        programmes=programme_spend(
            [
                *every,
                *((p, c, n, month, decimal_from_hundredths(ore)) for p, c, n, month, ore in spent),
            ],
            year,
        ),
        waiting_net=decimal_from_hundredths(waiting),
    )
