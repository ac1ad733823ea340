"""The finance pages: invoices waiting for approval, and the year's budget against what is invoiced.

The figures come from contracts.services.finance_overview, scoped to the request's viewer.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from contracts.services.finance_overview import finance_overview

from .. import clock
from ..extensions import db
from ..security import allow, viewer

bp = Blueprint("finance", __name__, url_prefix="/finance")


@bp.route("/")
@allow("finance")
def home():
    """Invoices waiting for approval with totals, and the budget against what is invoiced."""
    today = clock.today()
    overview = finance_overview(
        db.session, viewer(), today.year, current_app.config["MUNICIPALITY_BUDGET"]
    )
    return render_template("finance/home.html", today=today, overview=overview)
