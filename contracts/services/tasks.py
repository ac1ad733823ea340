"""What waits for a person now ("Opgaver", DESIGN.md §14): for each kind of task, how many and,
where each one is its own page, which. Scoped to the viewer like every other read, so a
provider's user sees its own provider's tasks only; an empty kind is left out.

- provider: reports rejected (to send again), reports overdue (due date passed), reports due
  (an ended month not sent yet, before its due date), invoices to issue (provider-issued drafts);
- procurement: reports to review, exit notices to decide, invoices to attest (returned ones
  included), contracts ending within 90 days without a successor, staff accounts to approve
  (not those the viewer invited: someone else approves them);
- finance: invoices to approve.

The edges add what the domain does not hold (an administrator's failed jobs live in Redis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import Contract, Invoice, MonthlyReport, Notice, User
from ..rules.periods import Month, report_due_on
from ..rules.report_calendar import DONE_STATUSES, FIRST_REPORT_MONTH
from ..rules.succession import EXPIRING_WITHIN_DAYS
from . import scope
from .invoice_search import stage_condition
from .scope import Viewer

# A kind lists at most this many of its records; its count says how many there are in all.
MAX_ITEMS = 50


@dataclass(frozen=True)
class Item:
    """One record a task is about: a contract, and the month for a report."""

    contract_id: int
    contract: str
    month: str | None = None
    on: date | None = None  # a report's due date, a contract's last day


@dataclass(frozen=True)
class Task:
    kind: str
    count: int
    items: tuple[Item, ...] = field(default=())


def tasks_for(session: Session, viewer: Viewer, today: date) -> list[Task]:
    """The viewer's tasks on `today`, in the order a page shows them; none of an empty kind."""
    found = {
        "provider": _provider_tasks,
        "procurement": _procurement_tasks,
        "finance": _finance_tasks,
    }.get(viewer.role)
    tasks = found(session, viewer, today) if found else []
    return [task for task in tasks if task.count]


# Months as whole numbers (year × 12 + month − 1), so SQL on both databases can count them.


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:]) - 1


def _month(index: int) -> Month:
    return Month(f"{index // 12:04d}-{index % 12 + 1:02d}")


def _date_index(day) -> sa.ColumnElement:
    return sa.cast(sa.extract("year", day), sa.Integer) * 12 + sa.cast(
        sa.extract("month", day), sa.Integer
    ) - 1  # fmt: skip


def _text_index(month) -> sa.ColumnElement:
    return sa.cast(sa.func.substr(month, 1, 4), sa.Integer) * 12 + sa.cast(
        sa.func.substr(month, 6, 2), sa.Integer
    ) - 1  # fmt: skip


def _months_unsent(session: Session, viewer: Viewer, today: date) -> list[sa.Row]:
    """Each (contract, ended month) whose newest report is not sent in: (contract id,
    reference, month number, newest status or None), in one statement."""
    last = _index(Month.of(today).previous())
    return list(session.execute(_unsent_statement(viewer), {"last": last}))


# Built once for a viewer, as the provider's home page shows the tasks every time: building the
# statement costs more than running it. The last month is a parameter.
@lru_cache(maxsize=256)
def _unsent_statement(viewer: Viewer) -> sa.Select:
    last = sa.bindparam("last", type_=sa.Integer)
    months = sa.select(sa.cast(sa.literal(_index(FIRST_REPORT_MONTH)), sa.Integer).label("n"))
    months = months.cte("months", recursive=True)
    months = months.union_all(sa.select(months.c.n + 1).where(months.c.n < last))
    newest = (
        sa.select(
            MonthlyReport.contract_id,
            MonthlyReport.month,
            sa.func.max(MonthlyReport.version).label("version"),
        )
        .group_by(MonthlyReport.contract_id, MonthlyReport.month)
        .subquery()
    )
    latest = (
        sa.select(
            MonthlyReport.contract_id,
            _text_index(MonthlyReport.month).label("n"),
            MonthlyReport.status,
        )
        .join(
            newest,
            sa.and_(
                newest.c.contract_id == MonthlyReport.contract_id,
                newest.c.month == MonthlyReport.month,
                newest.c.version == MonthlyReport.version,
            ),
        )
        .subquery()
    )
    return (
        scope.contracts(
            viewer, sa.select(Contract.id, Contract.reference, months.c.n, latest.c.status)
        )
        .join(
            months, months.c.n.between(_date_index(Contract.start_on), _date_index(Contract.end_on))
        )
        .outerjoin(latest, sa.and_(latest.c.contract_id == Contract.id, latest.c.n == months.c.n))
        .where(sa.or_(latest.c.status.is_(None), latest.c.status.not_in(DONE_STATUSES)))
        .order_by(months.c.n, Contract.reference)
    )


def _task(kind: str, items: list[Item]) -> Task:
    return Task(kind, len(items), tuple(items[:MAX_ITEMS]))


def _provider_tasks(session: Session, viewer: Viewer, today: date) -> list[Task]:
    kinds: dict[str, list[Item]] = {
        "reports_rejected": [],
        "reports_overdue": [],
        "reports_due": [],
    }
    for contract_id, reference, number, status in _months_unsent(session, viewer, today):
        month = _month(number)
        due_on = report_due_on(month)
        if status == "rejected":
            kind = "reports_rejected"
        else:
            kind = "reports_overdue" if due_on < today else "reports_due"
        kinds[kind].append(Item(contract_id, reference, month, due_on))
    to_issue = session.scalar(_to_issue_statement(viewer))
    return [
        *(_task(kind, items) for kind, items in kinds.items()),
        Task("invoices_to_issue", int(to_issue or 0)),
    ]


@lru_cache(maxsize=256)
def _to_issue_statement(viewer: Viewer) -> sa.Select:
    return scope.invoices(viewer, sa.select(sa.func.count(Invoice.id))).where(
        stage_condition("awaiting_provider")
    )


def _procurement_tasks(session: Session, viewer: Viewer, today: date) -> list[Task]:
    def count(statement: sa.Select) -> sa.ScalarSelect:
        return statement.with_only_columns(sa.func.count()).scalar_subquery()

    reports, exits, invoices, staff = session.execute(
        sa.select(
            count(scope.reports(viewer).where(MonthlyReport.status == "submitted")),
            count(sa.select(Notice).where(Notice.kind == "exit", Notice.status == "received")),
            count(scope.invoices(viewer).where(stage_condition("with_procurement"))),
            count(
                sa.select(User).where(
                    User.awaiting_approval,
                    sa.or_(User.invited_by_id.is_(None), User.invited_by_id != viewer.user_id),
                )
            ),
        )
    ).one()
    successor = aliased(Contract)
    ending = session.execute(
        scope.contracts(viewer, sa.select(Contract.id, Contract.reference, Contract.end_on))
        .where(
            Contract.status != "terminated",
            Contract.end_on.between(today, today + timedelta(days=EXPIRING_WITHIN_DAYS)),
            ~sa.exists().where(successor.predecessor_id == Contract.id),
        )
        .order_by(Contract.end_on, Contract.reference)
    )
    return [
        Task("reports_to_review", reports),
        Task("exits_to_decide", exits),
        Task("invoices_to_attest", invoices),
        _task("contracts_ending", [Item(i, ref, on=end_on) for i, ref, end_on in ending]),
        Task("staff_to_approve", staff),
    ]


def _finance_tasks(session: Session, viewer: Viewer, today: date) -> list[Task]:
    to_approve = session.scalar(
        scope.invoices(viewer, sa.select(sa.func.count(Invoice.id))).where(
            Invoice.status == "attested"
        )
    )
    return [Task("invoices_to_approve", int(to_approve or 0))]
