"""GET /api/v1/tasks: what waits for the caller now, as the top of its home page shows it
("Opgaver", DESIGN.md §14), for the providers' own systems (and staff's)."""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale
from pydantic import BaseModel, Field

from contracts.services.tasks import MAX_ITEMS

from .. import clock, tasks
from .blueprint import bp
from .declare import operation


class TaskItemOut(BaseModel):
    """A record the task is about, where it has a page of its own."""

    contract_id: int
    contract: str = Field(description="The contract's reference")
    month: str | None = Field(description="A report's month (YYYY-MM); null for a contract")
    date: dt.date | None = Field(description="A report's due date, or a contract's last day")
    url: str | None = Field(description="The page where it is done")

    @classmethod
    def of(cls, linked: tasks.Linked) -> TaskItemOut:
        item = linked.item
        return cls(
            contract_id=item.contract_id, contract=item.contract, month=item.month,
            date=item.on, url=linked.url,
        )  # fmt: skip


class TaskOut(BaseModel):
    """One kind of task, how many there are and where they are done."""

    kind: str = Field(
        description=(
            "provider: reports_rejected, reports_overdue, reports_due, invoices_to_issue; "
            "procurement: reports_to_review, exits_to_decide, invoices_to_attest, "
            "contracts_ending, staff_to_approve; finance: invoices_to_approve; "
            "admin: failed_jobs"
        )
    )
    count: int = Field(ge=1)
    title: str = Field(examples=["2 reports are overdue"])
    url: str = Field(description="The page where they are done")
    items: list[TaskItemOut] = Field(
        description=(
            f"The reports or contracts it is about, at most {MAX_ITEMS} (count says how "
            "many in all); empty for a kind counted only"
        )
    )

    @classmethod
    def of(cls, task: tasks.Shown) -> TaskOut:
        items = [TaskItemOut.of(linked) for linked in task.items]
        return cls(kind=task.kind, count=task.count, title=task.title, url=task.url, items=items)


class TasksOut(BaseModel):
    """What waits for the caller on the portal's today; a kind with nothing waiting is left out."""

    today: dt.date
    tasks: list[TaskOut]


@operation(
    "GET",
    "/tasks",
    summary="What waits for you now",
    roles=("provider", "procurement", "finance", "admin"),
    tag="tasks",
    response=TasksOut,
    response_description="The caller's tasks, each kind with its count, page and records",
)
def list_tasks():
    """The same as the top of the caller's home page: a provider's own reports to send, send
    again or that are overdue and its invoices to issue; procurement's reports to review,
    notices to decide, invoices to attest, contracts ending without a successor and staff to
    approve; finance's invoices to approve; an administrator's failed jobs. Not paged: one
    entry per kind at most."""
    with force_locale("en"):
        shown = tasks.waiting()
    return TasksOut(today=clock.today(), tasks=[TaskOut.of(task) for task in shown])


__all__ = ["bp", "list_tasks"]
