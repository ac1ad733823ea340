"""Long PDFs on the API (issue 16): made on the documents queue, as the pages make them, and
collected when ready, instead of rendered in the answer however long they are.

The call that asks for such a PDF (a budget statement, an invoice of more than
`INLINE_INVOICE_LINES` lines) answers 202 with the document's state and its `Location`; the
caller reads that state until it is `ready` and then fetches `file`. A PDF is kept an hour
(`DOCUMENT_TTL`); after that the state is `expired` and asking for the PDF again makes a fresh
one from the data as it is then. Asking while the same PDF is being made joins that render.
Who may follow a document is who may ask for it (`downloads.readable_document`).
"""

from __future__ import annotations

from typing import Literal

from flask import Response, jsonify, url_for
from pydantic import BaseModel, Field

from contracts.rules.problems import N_
from contracts.services import DomainError, NotFound

from .. import downloads
from ..jobs import documents as documents_jobs
from .declare import operation

# What a caller following a document is told to wait between readings, in seconds.
POLL_SECONDS = 2
# The budget's readers on the API (the pages keep it finance's).
BUDGET_READERS = ("finance", "procurement")


class QueuedDocument(BaseModel):
    """A PDF made on the queue: queued or started (being made), ready (fetch `file`), failed
    (with the worker's error), stalled (no worker will make it: ask for the PDF again), or
    expired (made more than an hour ago: ask again)."""

    job_id: str
    status: Literal["queued", "started", "ready", "failed", "stalled", "expired"]
    file: str | None = Field(description="Where the PDF is, once ready")
    filename: str | None
    error: str | None
    retry_after: int | None = Field(description="Seconds to wait before reading again")


def _out(state: documents_jobs.DocumentState) -> QueuedDocument:
    waiting = state.status in ("queued", "started")
    return QueuedDocument(
        job_id=state.job_id,
        status=state.status,
        file=url_for("api.get_document_pdf", job_id=state.job_id)
        if state.status == "ready"
        else None,
        filename=state.filename,
        error=state.error,
        retry_after=POLL_SECONDS if waiting else None,
    )


def queued_pdf(job_id: str, function: str, *args: object) -> Response:
    """Start (or join) the render and answer 202 with the document to follow."""
    documents_jobs.start(job_id, function, *args)
    found = documents_jobs.state(job_id) or documents_jobs.DocumentState(job_id, "queued")
    response = jsonify(_out(found).model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_document", job_id=job_id)
    response.headers["Retry-After"] = str(POLL_SECONDS)
    return response


def _state(job_id: str) -> documents_jobs.DocumentState:
    found = documents_jobs.state(downloads.readable_document(job_id, BUDGET_READERS))
    if found is None:
        raise NotFound(N_("No such document; it may have expired. Ask for it again."))
    return found


@operation(
    "GET",
    "/documents/<job:job_id>",
    summary="A PDF being made on the queue",
    roles=("finance", "procurement", "provider"),
    tag="invoices",
    response=QueuedDocument,
    response_description="Where the document stands; `file` once it is ready",
)
def get_document(job_id: str):
    """Read it every `retry_after` seconds until it is ready, failed, stalled or expired."""
    return _out(_state(job_id))


@operation(
    "GET",
    "/documents/<job:job_id>.pdf",
    summary="A PDF made on the queue",
    roles=("finance", "procurement", "provider"),
    tag="invoices",
    response=None,
    media_type="application/pdf",
    response_description="The PDF, as the call that asked for it would have answered it",
    conflicts="The document is not made yet (or failed): read its state.",
)
def get_document_pdf(job_id: str):
    """Kept an hour after it is made; then 404, and asking for the PDF again makes a fresh one."""
    found = _state(job_id)
    if found.status == "ready":
        made = downloads.made_document(job_id)
        if made is not None:
            return made
    if found.status in ("ready", "expired"):  # gone between the two readings, or long ago
        raise NotFound(N_("No such document; it may have expired. Ask for it again."))
    raise DomainError(
        N_("The document is not ready (%(state)s): read its state at %(url)s."),
        status=409,
        state=found.status,
        url=url_for("api.get_document", job_id=job_id),
    )
