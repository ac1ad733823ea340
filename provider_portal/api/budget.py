"""API call for the annual budget statement as PDF (finance and procurement)."""

from __future__ import annotations

from contracts.rules.problems import N_
from contracts.services import NotFound

from ..jobs import documents as documents_jobs
from .declare import operation
from .documents import BUDGET_READERS, QueuedDocument, queued_pdf


@operation(
    "GET",
    "/budget/<int:year>.pdf",
    summary="The annual budget statement as PDF",
    status=202,
    roles=BUDGET_READERS,
    tag="invoices",
    response=QueuedDocument,
    response_description="The PDF of the year's budget against approved net amounts per programme "
    "and month, with a burn-down chart and the forecast to year end, being made: follow it at "
    "Location until its `file` is ready",
)
def get_budget_pdf(year: int):
    """Approved invoices less approved credit notes, net of VAT, by the month they are for.

    It reads every invoice of the year, so it is made on the queue as on the pages.
    """
    if not 2000 <= year <= 2100:
        raise NotFound(N_("No such year."))
    return queued_pdf(documents_jobs.budget_job_id(year), "render_budget", year)
