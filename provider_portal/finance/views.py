"""The finance pages: invoices waiting for approval, and the year's budget against what is invoiced.

Every query goes through contracts.services.scope with the request's viewer.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from sqlalchemy.orm import selectinload

from contracts.models import Contract, Invoice
from contracts.services import scope
from contracts.services.sql import decimal_from_hundredths, sum_hundredths

from .. import clock
from ..extensions import db
from ..security import allow, viewer

bp = Blueprint("finance", __name__, url_prefix="/finance")

ZERO = Decimal("0.00")


def invoiced_net(year: int) -> Decimal:
    """Net amount invoiced for the year's months: approved invoices less approved credit notes.

    Net, because the municipality recovers the VAT it pays, so VAT is not spent of the budget.
    An invoice that was later credited still counts; its credit note takes it off again.
    """
    stmt = scope.invoices(viewer(), sa.select(sum_hundredths(Invoice.signed_net))).where(
        Invoice.month.like(f"{year:04d}-%"),
        Invoice.status == "approved",
    )
    return decimal_from_hundredths(db.session.scalar(stmt))


@bp.route("/")
@allow("finance")
def home():
    """Invoices waiting for approval with totals, and the budget against what is invoiced."""
    today = clock.today()
    waiting = list(
        db.session.scalars(
            scope.invoices(viewer())
            .where(Invoice.status == "draft")
            .options(selectinload(Invoice.contract).selectinload(Contract.provider))
            .order_by(Invoice.month, Invoice.id)
        )
    )
    budget = Decimal(current_app.config["MUNICIPALITY_BUDGET"]).quantize(ZERO)
    invoiced = invoiced_net(today.year)
    return render_template(
        "finance/home.html",
        today=today,
        waiting=waiting,
        waiting_net=sum((i.net for i in waiting), ZERO),
        waiting_vat=sum((i.vat for i in waiting), ZERO),
        waiting_total=sum((i.total for i in waiting), ZERO),
        budget=budget,
        invoiced=invoiced,
        remaining=budget - invoiced,
        used_share=(invoiced / budget) if budget else None,
    )
