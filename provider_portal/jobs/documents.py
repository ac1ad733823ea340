"""PDFs rendered on the `documents` queue, kept in Redis for a while for the web to hand out.

Which PDFs go through the queue (decided here, DESIGN.md §11 leaves it open):
- the monthly **provider statement** and the annual **budget statement**, always: they read
  every contract (or every invoice of a year) and are what finance opens at month's end, when
  a web thread should not wait on WeasyPrint;
- a single **invoice** only when it has more than `INLINE_INVOICE_LINES` lines: up to that it
  renders in well under a second (the 1,000-line benchmark takes a few seconds), which is
  quicker than a round trip through a "being made" page.
The API answers every PDF inline: a system calling it wants the file in its answer, not a
page to poll.

Each job takes ids only, loads plain data inside the worker's app context (the Job class of
`queues.py`) and stores the PDF under `documents:<job id>` with a TTL. Job ids are built from
domain keys (`pdf-statement-<provider>-<YYYY-MM>`, `pdf-budget-<YYYY>`, `pdf-invoice-<id>`),
so two people asking for the same document at once share one render, and running a job
twice just stores the same document twice. The stored file's name is made here from the
same keys; nothing a user typed ever names a key or a file.
The job renders as the system with finance's view: the page that enqueued it has already
checked that its user may see the document.

A job is shared only while it can still finish. A render whose worker died is handed back and
made again by a live worker (`liveness.reap_abandoned`, run before a job is judged); with no live
worker at all, a job handed back so, or one waiting longer than `liveness.HEARTBEAT_GRACE`, is
"stalled". The page says so instead of waiting forever, and asking again replaces the job
under the same id. The grace on waiting spares a job enqueued while the workers restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from redis import Redis
from rq.job import Job, JobStatus

from contracts.documents import pdf
from contracts.documents.budget import budget_statement_pdf
from contracts.documents.data import Municipality
from contracts.models import InvoiceLine, Provider
from contracts.services.budget import budget_statement
from contracts.services.invoice_documents import invoice_document
from contracts.services.provider_statements import provider_statement
from contracts.services.scope import Viewer

from ..clock import today
from ..extensions import db
from ..transaction import after_writes
from . import liveness
from .liveness import held_by_live_worker, reap_abandoned
from .queues import RETRY, error_line, fetch, queue, redis_connection, status_as_fetched

QUEUE = "documents"
# More lines than this and an invoice's PDF is made on the queue (see the module docstring).
INLINE_INVOICE_LINES = 300
JOB_TIMEOUT = 300
RESULT_TTL = 3600
FAILURE_TTL = 7 * 24 * 3600
# How long a made PDF can be downloaded; asking again makes a fresh one from current data.
DOCUMENT_TTL = 3600
JOB_ID = re.compile(r"^pdf-(statement-\d{1,9}-\d{4}-(0[1-9]|1[0-2])|budget-\d{4}|invoice-\d{1,9})$")
SYSTEM_FINANCE = Viewer(user_id=None, role="finance")
WAITING = (
    JobStatus.QUEUED,
    JobStatus.STARTED,
    JobStatus.DEFERRED,
    JobStatus.SCHEDULED,
    JobStatus.READY_TO_ENQUEUE,
)


def statement_job_id(provider_id: int, month: str) -> str:
    return f"pdf-statement-{provider_id}-{month}"


def budget_job_id(year: int) -> str:
    return f"pdf-budget-{year:04d}"


def invoice_job_id(invoice_id: int) -> str:
    return f"pdf-invoice-{invoice_id}"


def invoice_of(job_id: str) -> int | None:
    """The invoice a document job renders; None for a statement or a budget."""
    kind, _, key = job_id.removeprefix("pdf-").partition("-")
    return int(key) if kind == "invoice" else None


def document_key(job_id: str) -> str:
    """The Redis key a job's PDF is kept under."""
    return f"documents:{job_id}"


def invoice_goes_to_queue(invoice_id: int) -> bool:
    """True when the invoice has more lines than are rendered inline."""
    from sqlalchemy import func, select

    lines = db.session.scalar(select(func.count()).where(InvoiceLine.invoice_id == invoice_id))
    return lines > INLINE_INVOICE_LINES


# The jobs: ids in, plain data loaded in the worker, the PDF stored under the job's key.


def _buyer() -> Municipality:
    return Municipality.from_config(current_app.config)


def pdf_renderer() -> pdf.PdfRenderer:
    """The app's PDF renderer: its templates, and its static folder as all a PDF may use."""
    app = current_app
    return pdf.renderer_for(Path(app.root_path, app.template_folder), Path(app.static_folder))


def _store(job_id: str, data: bytes, filename: str) -> dict:
    connection = redis_connection()
    key = document_key(job_id)
    with connection.pipeline() as pipe:
        pipe.hset(key, mapping={"pdf": data, "filename": filename})
        pipe.expire(key, DOCUMENT_TTL)
        pipe.execute()
    return {"filename": filename, "bytes": len(data)}


def render_statement(provider_id: int, month: str) -> dict:
    """Render a provider's monthly statement and keep it for download."""
    provider = db.session.get(Provider, provider_id)
    statement = provider_statement(db.session, provider_id, month, _buyer())
    return _store(
        statement_job_id(provider_id, month),
        pdf.provider_statement_pdf(pdf_renderer(), statement),
        f"maanedsopgoerelse-{provider.cvr}-{month}.pdf",
    )


def render_budget(year: int) -> dict:
    """Render the annual budget statement as of the portal's today and keep it for download."""
    statement = budget_statement(
        db.session,
        SYSTEM_FINANCE,
        year,
        current_app.config["MUNICIPALITY_BUDGET"],
        _buyer(),
        today(),
    )
    return _store(
        budget_job_id(year),
        budget_statement_pdf(pdf_renderer(), statement),
        f"budgetopfoelgning-{year}.pdf",
    )


def render_invoice(invoice_id: int) -> dict:
    """Render a long invoice or credit note and keep it for download."""
    doc = invoice_document(db.session, invoice_id, _buyer())
    kind = "kreditnota" if doc.is_credit_note else "faktura"
    return _store(
        invoice_job_id(invoice_id),
        pdf.invoice_pdf(pdf_renderer(), doc),
        f"{kind}-{doc.number or f'kladde-{doc.id}'}.pdf",
    )


# Starting, watching, handing out.


def _stalled(job: Job, status: JobStatus, connection: Redis) -> bool:
    """True when a job in one of the WAITING states will not get done (see the module docstring)."""
    if held_by_live_worker(job, connection):
        return False
    return (
        status == JobStatus.STARTED
        or liveness.times_abandoned([job]) > 0
        or liveness.age(job.enqueued_at) >= liveness.HEARTBEAT_GRACE
    )


def start(job_id: str, function: str, *args, connection: Redis | None = None) -> str:
    """Enqueue a render unless the same document is being made already; returns the job id.

    A finished, failed or stalled job of the same id is replaced, and its stored PDF dropped,
    so the new file shows the data as it is now (an invoice approved since, say).
    """
    if not JOB_ID.match(job_id):
        raise ValueError(f"not a document job id: {job_id!r}")
    connection = connection or redis_connection()
    reap_abandoned(connection)
    existing = fetch(job_id, connection)
    if existing is not None:
        status = status_as_fetched(existing)
        if status in WAITING and not _stalled(existing, status, connection):
            return job_id
        liveness.delete(existing)
    connection.delete(document_key(job_id))
    # Once what the render reads is committed (at once when this transaction wrote nothing).
    after_writes(
        queue(QUEUE, connection).enqueue,
        f"provider_portal.jobs.documents.{function}",
        *args,
        job_id=job_id,
        job_timeout=JOB_TIMEOUT,
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        ttl=JOB_TIMEOUT,
        retry=RETRY,
    )
    return job_id


@dataclass(frozen=True)
class DocumentState:
    """Where a document stands: queued or started (being made), ready (with its file name),
    failed (with RQ's error), stalled (no live worker will make it), or expired."""

    job_id: str
    status: str
    filename: str | None = None
    error: str | None = None


def state(job_id: str, connection: Redis | None = None) -> DocumentState | None:
    """The document's state; None when neither a job nor a stored PDF of that id exists."""
    connection = connection or redis_connection()
    filename = connection.hget(document_key(job_id), "filename")
    if filename is not None:
        return DocumentState(job_id, "ready", filename.decode("utf-8"))
    reap_abandoned(connection)
    job = fetch(job_id, connection)
    if job is None:
        return None
    status = status_as_fetched(job)
    if status == JobStatus.FAILED:
        return DocumentState(job_id, "failed", error=error_line(job) or "The job failed.")
    if status == JobStatus.FINISHED:
        return DocumentState(job_id, "expired")
    if status in WAITING and _stalled(job, status, connection):
        return DocumentState(job_id, "stalled")
    return DocumentState(job_id, "queued" if status != JobStatus.STARTED else "started")


def stored(job_id: str, connection: Redis | None = None) -> tuple[bytes, str] | None:
    """The stored PDF and its file name, or None when it is not (or no longer) there."""
    connection = connection or redis_connection()
    data, filename = connection.hmget(document_key(job_id), ["pdf", "filename"])
    if data is None or filename is None:
        return None
    return data, filename.decode("utf-8")
