"""API calls that start a month's aggregation and watch a job, and read the scores."""

from __future__ import annotations

from typing import Literal

from flask import abort
from pydantic import BaseModel, Field

from contracts.rules.problems import N_
from contracts.services import DomainError, score_tables

from ..extensions import db
from ..jobs import aggregation
from ..security import current, viewer
from .declare import operation
from .figures import ShareInterval, Sustained13, Sustained26
from .types import MAX_ID, Model, Month, MonthText


class AggregationIn(Model):
    """The month to aggregate."""

    month: Month


class JobStarted(BaseModel):
    job_id: str


class Progress(BaseModel):
    done: int
    total: int


class JobOut(BaseModel):
    """A job's state: queued, started, finished or failed, or stalled when live workers run but
    nothing will finish it (start the month again); with its progress, any error, and a notice
    when a worker died holding one of its jobs."""

    id: str
    status: Literal["queued", "started", "finished", "failed", "stalled"]
    progress: Progress
    error: str | None = None
    notice: str | None = None
    month: MonthText | None = None


@operation(
    "POST",
    "/aggregations",
    summary="Aggregate a month: invoices and scores",
    status=202,
    roles=("procurement", "finance"),
    tag="jobs",
    body=AggregationIn,
    response=JobStarted,
    response_description="The month's job, finished when every invoice and score is written",
    conflicts="The month is already being aggregated by a live worker",
)
def start_aggregation(body: AggregationIn):
    """One job for the whole month: one job per contract on the workers, then the scores."""
    try:
        job_id = aggregation.start(body.month, started_by=current().id)
    except aggregation.AlreadyRunning:
        raise DomainError(
            N_("%(month)s is already being aggregated: follow its job."),
            status=409,
            month=body.month,
        ) from None
    return JobStarted(job_id=job_id)


@operation(
    "GET",
    "/jobs/<job:job_id>",
    summary="A job's status and progress",
    roles=("procurement", "finance"),
    tag="jobs",
    response=JobOut,
    response_description="The job",
)
def get_job(job_id: str):
    """Only the user who started a job sees it (a scheduled job: every procurement and finance user)."""
    answer = aggregation.status(job_id)
    if answer is None or answer["started_by"] not in (None, current().id):
        abort(404)
    return JobOut(
        **{k: answer.get(k) for k in ("id", "status", "progress", "error", "notice", "month")}
    )


class ScoreQuery(Model):
    """Which figures: a scope (and its id), a month, and whether cumulated from the start."""

    scope: Literal["all", "programme", "provider", "contract"] = "all"
    id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The programme, provider or contract"
    )
    month: Month
    cumulative: Literal["true", "false"] = "false"


class ScoreOut(BaseModel):
    """The §7 figures; rates as fractions from 0 to 1 (decimal strings), null where undefined."""

    scope: str
    id: int | None
    month: MonthText
    cumulative: bool
    participants: int
    active_end: int
    exits: int
    positive: int
    benefit_stopped: int
    other: int
    outcome_rate: str | None
    outcome_rate_ci: list[float] | None
    placement_rate: str | None
    delivery_rate: str | None
    absence_rate: str | None
    score: str | None = Field(description='null with fewer than 5 exits: "too few exits to score"')
    sustained_13: Sustained13
    sustained_13_ci: ShareInterval
    sustained_26: Sustained26
    sustained_26_ci: ShareInterval


def _visible_scope_id(query: ScoreQuery) -> int:
    """The scope's id if the viewer may see it; providers see their own provider and contracts."""
    v = viewer()
    if v.is_provider and query.scope in ("all", "programme"):
        raise DomainError(
            N_("Providers see the scores of their own provider and contracts."), "scope", status=403
        )
    if query.scope == "all":
        return 0
    if query.id is None:
        raise DomainError(N_("The scope %(scope)s needs an id."), "id", scope=query.scope)
    if query.scope == "programme":
        return query.id
    if score_tables.visible_scope(db.session, v, query.scope, query.id) is None:
        abort(404)
    return query.id


@operation(
    "GET",
    "/scores",
    summary="Outcome figures for a scope and month",
    roles=("procurement", "finance", "provider"),
    tag="scores",
    query=ScoreQuery,
    response=ScoreOut,
    response_description="The figures of DESIGN §7",
    extra_errors=(404,),
)
def get_scores(query: ScoreQuery):
    """Written by the month's aggregation; 404 until it has run for that month."""
    scope_id = _visible_scope_id(query)
    figures = score_tables.figures(
        db.session, query.scope, scope_id, query.month, query.cumulative == "true"
    )
    if figures is None:
        raise DomainError(
            N_("There are no scores for %(month)s yet: aggregate the month first."),
            status=404,
            month=query.month,
        )
    return ScoreOut(
        scope=query.scope,
        id=None if query.scope == "all" else scope_id,
        month=query.month,
        cumulative=query.cumulative == "true",
        **figures.as_json(),
    )
