"""API call for the annual budget statement as PDF (finance and procurement)."""

from __future__ import annotations

from flask import current_app

from contracts.documents.budget import budget_statement_pdf
from contracts.rules.problems import N_
from contracts.services import NotFound
from contracts.services.budget import budget_statement

from .. import downloads as documents
from ..clock import today
from ..extensions import db
from ..security import viewer
from .declare import operation


@operation(
    "GET",
    "/budget/<int:year>.pdf",
    summary="The annual budget statement as PDF",
    roles=("finance", "procurement"),
    tag="invoices",
    response=None,
    media_type="application/pdf",
    response_description="The year's budget against approved net amounts per programme and month, "
    "with a burn-down chart and the forecast to year end",
)
def get_budget_pdf(year: int):
    """Approved invoices less approved credit notes, net of VAT, by the month they are for.

    Rendered in the answer (the pages make it on the documents queue instead).
    """
    if not 2000 <= year <= 2100:
        raise NotFound(N_("No such year."))
    statement = budget_statement(
        db.session,
        viewer(),
        year,
        current_app.config["MUNICIPALITY_BUDGET"],
        documents.municipality(),
        today(),
    )
    return documents.attachment(
        budget_statement_pdf(documents.pdf_renderer(), statement),
        "application/pdf",
        f"budgetopfoelgning-{year}.pdf",
    )
