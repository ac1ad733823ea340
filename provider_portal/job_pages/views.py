"""Pages to start a month's aggregation, watch its job, and see the jobs that failed.

The job page polls `/jobs/<id>/status` (static/js/job.js) and works without script through a
refresh link. A job is shown only to the user who started it; a scheduled job (started by
nobody) to every procurement and finance user; anyone else gets 404, as for an unknown job.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from contracts.rules.periods import Month
from contracts.services import DomainError

from .. import clock, transaction
from ..formatting import month as month_name
from ..i18n import say
from ..jobs import aggregation
from ..jobs.queues import QUEUES, AppContextJob, error_line, queue, redis_connection
from ..security import allow, current
from .forms import StartAggregationForm

bp = Blueprint("job_pages", __name__, url_prefix="/jobs")

# What a person reads for each state of a job.
STATUS_LABELS = {
    "queued": _l("Waiting for a worker"),
    "started": _l("Running"),
    "finished": _l("Finished"),
    "failed": _l("Failed"),
    "stalled": _l("Stalled"),
}
# The month's own sentences (aggregation.py), said in the page's language; RQ's errors are not.
OWN_MESSAGES = (aggregation.RERUN_NOTICE, aggregation.WAITING_NOTICE, aggregation.STALLED_ERROR)
# Roles that start aggregations and see scheduled (unowned) jobs.
STARTERS = ("procurement", "finance")
# The finance invoice desk, linked with ?month= when the portal has it.
INVOICE_DESK = "/finance/invoices"


def _default_month() -> str:
    """The previous month: the one whose reports are due by the 10th, as the schedule picks."""
    return Month.of(clock.today()).previous()


def _start_page(
    form: StartAggregationForm,
    running: dict | None = None,
    problem: str | None = None,
    status: int = 200,
):
    return render_template("jobs/start.html", form=form, running=running, problem=problem), status


@bp.route("/")
@allow(*STARTERS)
def index():
    """The form that starts a month's aggregation."""
    form = StartAggregationForm(formdata=None, month=_default_month())
    return _start_page(form)


@bp.route("/", methods=["POST"])
@allow(*STARTERS)
def start():
    """Enqueue the month (nothing here needs committing first) and go to its job page."""
    form = StartAggregationForm()
    if not form.validate_on_submit():
        return _start_page(form, status=422)
    month = form.month.data
    try:
        job_id = aggregation.start(month, started_by=current().id)
    except aggregation.AlreadyRunning:
        job_id = aggregation.month_job_id(month)
        answer = aggregation.status(job_id)
        running = {
            "month": month,
            "job_id": job_id,
            "visible": answer is not None and _may_see(answer),
        }
        return _start_page(form, running=running, status=409)
    except DomainError as error:  # the month has not ended yet: nothing is enqueued
        transaction.rollback()
        said = say(error)
        return _start_page(form, problem=said[:1].upper() + said[1:], status=error.status)
    except RedisError:
        current_app.logger.exception("could not enqueue the aggregation of %s", month)
        return _start_page(
            form,
            problem=_("The job queue cannot be reached just now. Try again in a minute."),
            status=503,
        )
    return redirect(url_for(".job", job_id=job_id))


def _may_see(answer: dict[str, Any]) -> bool:
    user = current()
    if answer.get("started_by") is None:
        return user.role in STARTERS
    return answer["started_by"] == user.id


def _visible_status(job_id: str) -> dict[str, Any]:
    """The job's status if this user may see it; 404 otherwise, as for a job that does not exist."""
    answer = aggregation.status(job_id)
    if answer is None or not _may_see(answer):
        abort(404)
    return answer


def _invoice_desk_url(month: str) -> str | None:
    """The finance invoice list for the month, if the portal has that page and the user may use it."""
    adapter = current_app.url_map.bind("localhost")
    path = INVOICE_DESK
    try:
        endpoint, _args = adapter.match(path, method="GET")
    except RequestRedirect as moved:  # the page lives at a slash-terminated URL
        path = moved.new_url.split("localhost", 1)[-1]
        try:
            endpoint, _args = adapter.match(path, method="GET")
        except HTTPException:
            return None
    except HTTPException:
        return None
    roles = getattr(current_app.view_functions.get(endpoint), "allowed_roles", ())
    if current().role not in roles:
        return None
    return f"{request.script_root}{path}?{urlencode({'month': month})}"


def _links(answer: dict[str, Any]) -> dict[str, str | None]:
    month = answer.get("month")
    if not month:
        return {"scores": None, "invoices": None}
    return {
        "scores": url_for("scores.index", month=month, view="monthly"),
        "invoices": _invoice_desk_url(month),
    }


def _public(answer: dict[str, Any]) -> dict[str, Any]:
    """What the page and its script show: no user ids, the error's one line, the result's links."""
    return {
        "id": answer["id"],
        "month": answer.get("month"),
        "status": answer["status"],
        "label": str(STATUS_LABELS.get(answer["status"], answer["status"])),
        "progress": answer["progress"],
        "error": _said(answer.get("error")),
        "notice": _said(answer.get("notice")),
        # Offered where starting again is what helps: the month failed, stalled, or waits for
        # a worker after one died (aggregation.start refuses a month that is running).
        "may_start_again": answer["status"] in ("failed", "stalled")
        or answer.get("notice") == aggregation.WAITING_NOTICE,
        "links": _links(answer)
        if answer["status"] == "finished"
        else {"scores": None, "invoices": None},
    }


def _said(message: str | None) -> str | None:
    return _(message) if message in OWN_MESSAGES else message


@bp.route("/<job:job_id>")
@allow(*STARTERS)
def job(job_id: str):
    """The job page: a progress bar kept up to date by job.js, ending in the result or the error."""
    job = _public(_visible_status(job_id))
    return render_template("jobs/job.html", job=job, month_label=_month_label(job["month"]))


def _month_label(month: str | None) -> str:
    """The month as the locale names it; as written if it is not a month (a job's bad argument)."""
    try:
        return month_name(month)
    except ValueError:
        return month or ""


@bp.route("/<job:job_id>/status")
@allow(*STARTERS)
def job_status(job_id: str):
    """The job's state as JSON for the page's script (session-authenticated, read-only)."""
    response = jsonify(_public(_visible_status(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _failed_jobs() -> list[dict[str, Any]]:
    connection = redis_connection()
    rows = []
    for name in QUEUES:
        registry = queue(name, connection).failed_job_registry
        ids = registry.get_job_ids()
        for found in AppContextJob.fetch_many(ids, connection=connection):
            if found is None:
                continue
            result = found.latest_result()
            rows.append(
                {
                    "id": found.id,
                    "queue": name,
                    "function": found.func_name.rsplit(".", 1)[-1],
                    "failed_at": found.ended_at or (result.created_at if result else None),
                    "error": error_line(found) or _("The job failed without an error message."),
                }
            )
    rows.sort(
        key=lambda row: row["failed_at"].timestamp() if row["failed_at"] else 0.0, reverse=True
    )
    return rows


@bp.route("/failed")
@allow("procurement", "finance", "admin")
def failed():
    """Jobs that failed on any queue, newest first, with the error each ended in."""
    try:
        rows, problem = _failed_jobs(), None
    except RedisError:
        current_app.logger.exception("could not read the failed-job registries")
        rows, problem = [], _("The job queue cannot be reached just now. Try again in a minute.")
    return render_template(
        "jobs/failed.html", jobs=rows, problem=problem, may_restart=current().role in STARTERS
    )
