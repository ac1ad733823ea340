"""The annual budget statement's figures: set-based queries, grouped by programme and month, by
contract and month for the run rates, and by contract for the open enrolments.

What counts and how the forecast and the committed spend are made is decided in
`contracts.documents.budget`; the database does the adding, never a loop over invoices.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..documents.budget import BudgetStatement, Commitment, ContractRate, programme_spend
from ..documents.data import Municipality
from ..models import Contract, Enrolment, Invoice, Programme
from ..rules.money import round_money
from ..rules.problems import N_
from . import DomainError, scope
from .scope import Viewer
from .sql import decimal_from_hundredths, sum_hundredths

READERS = ("finance", "procurement")
RATE_MONTHS = 3  # DESIGN.md §6: the forecast runs on the last three months invoiced


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
            _year(year), Invoice.status != "approved"
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
        rates=_rates(session, viewer, year),
        commitments=_commitments(session, viewer, today),
    )


def _rates(session: Session, viewer: Viewer, year: int) -> tuple[ContractRate, ...]:
    """Each running contract's last three months with approved net amounts up to the year's end."""
    net = sum_hundredths(Invoice.signed_net)
    per_month = (
        scope.invoices(viewer, sa.select(Invoice.contract_id, Invoice.month, net.label("ore")))
        .where(Invoice.status == "approved", Invoice.month <= f"{year:04d}-12")
        .group_by(Invoice.contract_id, Invoice.month)
        .having(net != 0)
        .subquery()
    )
    ranked = sa.select(
        per_month,
        sa.func.row_number()
        .over(partition_by=per_month.c.contract_id, order_by=per_month.c.month.desc())
        .label("recent"),
    ).subquery()
    rows = session.execute(
        sa.select(Contract.reference, ranked.c.month, ranked.c.ore)
        .join(Contract, Contract.id == ranked.c.contract_id)
        .where(ranked.c.recent <= RATE_MONTHS, Contract.status == "active")
        .order_by(Contract.reference, ranked.c.month)
    ).all()
    months: dict[str, list[tuple[str, Decimal]]] = {}
    for reference, month, ore in rows:
        months.setdefault(reference, []).append((month, decimal_from_hundredths(ore)))
    return tuple(ContractRate(ref, tuple(found)) for ref, found in months.items())


def _commitments(session: Session, viewer: Viewer, today: date) -> tuple[Commitment, ...]:
    """The running contracts' open enrolments today, with each contract's fee and end date."""
    rows = session.execute(
        scope.contracts(
            viewer,
            sa.select(
                Contract.reference,
                sa.func.count(Enrolment.id),
                Contract.monthly_fee,
                Contract.end_on,
            ),
        )
        .join(Enrolment, Enrolment.contract_id == Contract.id)
        .where(Contract.status == "active", Enrolment.end_on.is_(None), Enrolment.start_on <= today)
        .group_by(Contract.reference, Contract.monthly_fee, Contract.end_on)
        .order_by(Contract.reference)
    ).all()
    return tuple(
        Commitment(reference, int(count), round_money(Decimal(fee)), end_on)
        for reference, count, fee, end_on in rows
    )
