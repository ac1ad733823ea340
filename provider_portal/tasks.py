"""What waits for the viewer now ("Opgaver", DESIGN.md §14), for the top of each role's home page
and for GET /api/v1/tasks: the domain's tasks (contracts.services.tasks) and an administrator's
failed jobs (in Redis, not the database), each with its words and the page where it is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, url_for
from flask_babel import ngettext
from redis.exceptions import RedisError

from contracts.services.tasks import Item, Task, tasks_for

from . import clock
from .extensions import db
from .jobs.queues import QUEUES, queue, redis_connection
from .security import viewer

# Each kind's words, with its count.
TITLES: dict[str, Callable[[int], str]] = {
    "reports_rejected": lambda n: ngettext(
        "%(num)d report rejected: correct it and send it again",
        "%(num)d reports rejected: correct them and send them again",
        n,
    ),
    "reports_overdue": lambda n: ngettext(
        "%(num)d report is overdue", "%(num)d reports are overdue", n
    ),
    "reports_due": lambda n: ngettext(
        "%(num)d report to send this month", "%(num)d reports to send this month", n
    ),
    "invoices_to_issue": lambda n: ngettext(
        "%(num)d invoice to issue", "%(num)d invoices to issue", n
    ),
    "reports_to_review": lambda n: ngettext(
        "%(num)d report to review", "%(num)d reports to review", n
    ),
    "exits_to_decide": lambda n: ngettext(
        "%(num)d exit notice to decide", "%(num)d exit notices to decide", n
    ),
    "invoices_to_attest": lambda n: ngettext(
        "%(num)d invoice or credit note to attest",
        "%(num)d invoices and credit notes to attest",
        n,
    ),
    "contracts_ending": lambda n: ngettext(
        "%(num)d contract ends within 90 days without a successor",
        "%(num)d contracts end within 90 days without a successor",
        n,
    ),
    "staff_to_approve": lambda n: ngettext(
        "%(num)d staff account awaits your approval",
        "%(num)d staff accounts await your approval",
        n,
    ),
    "invoices_to_approve": lambda n: ngettext(
        "%(num)d invoice or credit note to approve",
        "%(num)d invoices and credit notes to approve",
        n,
    ),
    "failed_jobs": lambda n: ngettext("%(num)d failed job", "%(num)d failed jobs", n),
}

# Where each kind is done: the page of the whole kind, and of one item (None: no page of its own).
PAGES: dict[str, tuple[Callable[[], str], Callable[[Item], str] | None]] = {
    **{
        kind: (
            lambda: url_for("provider.home"),
            lambda item: url_for("provider.report", contract_id=item.contract_id, month=item.month),
        )
        for kind in ("reports_rejected", "reports_overdue", "reports_due")
    },
    "invoices_to_issue": (lambda: url_for("provider.invoices"), None),
    "reports_to_review": (lambda: url_for("procurement.home", _anchor="review-heading"), None),
    "exits_to_decide": (lambda: url_for("procurement.notices_queue"), None),
    "invoices_to_attest": (lambda: url_for("procurement.attestation"), None),
    "contracts_ending": (
        lambda: url_for("procurement.contracts"),
        lambda item: url_for("procurement.contract", contract_id=item.contract_id),
    ),
    "staff_to_approve": (lambda: url_for("procurement.users"), None),
    "invoices_to_approve": (lambda: url_for("finance.invoices", status="attested"), None),
    "failed_jobs": (lambda: url_for("job_pages.failed"), None),
}


@dataclass(frozen=True)
class Linked:
    """One item of a task and its page."""

    item: Item
    url: str | None


@dataclass(frozen=True)
class Shown:
    """A task as a page and the API show it: its words, count, page and items."""

    kind: str
    count: int
    title: str
    url: str
    items: list[Linked]


def failed_jobs() -> int | None:
    """How many jobs lie failed on every queue; None when Redis cannot be reached."""
    try:
        connection = redis_connection()
        return sum(queue(name, connection).failed_job_registry.count for name in QUEUES)
    except RedisError:
        current_app.logger.warning("could not count the failed jobs", exc_info=True)
        return None


def waiting() -> list[Shown]:
    """The request's viewer's tasks now, in the language of the request."""
    v = viewer()
    tasks = tasks_for(db.session, v, clock.today())
    if v.role == "admin":
        tasks.append(Task("failed_jobs", failed_jobs() or 0))
    return [_shown(task) for task in tasks if task.count]


def _shown(task: Task) -> Shown:
    page, item_page = PAGES[task.kind]
    return Shown(
        kind=task.kind,
        count=task.count,
        title=TITLES[task.kind](task.count),
        url=page(),
        items=[Linked(item, item_page(item) if item_page else None) for item in task.items],
    )


def init_app(app: Flask) -> None:
    """The home pages read them with `waiting_tasks()` (templates/macros/tasks.html)."""
    app.add_template_global(waiting, "waiting_tasks")
