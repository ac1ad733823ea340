"""Which version of a contract's monthly report counts: the one place that says so.

A correction adds a version, so a month can have several. The provider and procurement work on
the newest version (`latest_report`, `newest_report`, `newest_by_month`); figures, scores and
invoices count the newest accepted one, that is accepted or already invoiced
(`newest_counted_version`, `newest_counted_versions`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import MonthlyReport
from ..rules.periods import Month
from ..rules.report_calendar import COUNTED_STATUSES
from . import NotFound, scope
from .contract_register import get_contract
from .scope import Viewer


def _newest_first(statement: sa.Select, counted: bool) -> sa.Select:
    if counted:
        statement = statement.where(MonthlyReport.status.in_(COUNTED_STATUSES))
    return statement.order_by(MonthlyReport.version.desc()).limit(1)


def newest_version(contract_id: Any, month: Any) -> sa.Select:
    """The statement for the newest version of a contract's report for a month (the contract and
    month may be bound parameters)."""
    return _newest_first(
        sa.select(MonthlyReport).where(
            MonthlyReport.contract_id == contract_id, MonthlyReport.month == month
        ),
        counted=False,
    )


def newest_counted_version(contract_id: Any, month: Any) -> sa.Select:
    """The statement for the newest accepted (or invoiced) version of a contract's report for a
    month: the one its invoice is priced from."""
    return _newest_first(
        sa.select(MonthlyReport).where(
            MonthlyReport.contract_id == contract_id, MonthlyReport.month == month
        ),
        counted=True,
    )


def newest_counted_versions(*conditions: sa.ColumnElement[bool]) -> sa.Subquery:
    """The version that counts of each contract's month, as rows (contract_id, month, version):
    the newest accepted (or invoiced) one, of the reports that meet `conditions`. Join it with
    `is_version_in`."""
    return (
        sa.select(
            MonthlyReport.contract_id,
            MonthlyReport.month,
            sa.func.max(MonthlyReport.version).label("version"),
        )
        .where(MonthlyReport.status.in_(COUNTED_STATUSES), *conditions)
        .group_by(MonthlyReport.contract_id, MonthlyReport.month)
        .subquery()
    )


def is_version_in(versions: sa.Subquery) -> sa.ColumnElement[bool]:
    """A MonthlyReport is the version `versions` names for its contract's month."""
    return sa.and_(
        MonthlyReport.contract_id == versions.c.contract_id,
        MonthlyReport.month == versions.c.month,
        MonthlyReport.version == versions.c.version,
    )


def latest_report(session: Session, contract_id: int, month: str) -> MonthlyReport | None:
    """The newest version of a contract's report for a month, if any."""
    return session.scalar(newest_version(contract_id, month))


def newest_by_contract(session: Session, viewer: Viewer) -> dict[int, dict[str, MonthlyReport]]:
    """The newest version of each month's report of every contract the viewer may see, by
    contract and month."""
    newest: dict[int, dict[str, MonthlyReport]] = {}
    for report in session.scalars(scope.reports(viewer).order_by(MonthlyReport.version)):
        # Ordered by version, so the newest version of a month is the one left.
        newest.setdefault(report.contract_id, {})[report.month] = report
    return newest


def newest_by_month(session: Session, viewer: Viewer, contract_id: int) -> list[MonthlyReport]:
    """The newest version of each month's report of the contract, newest month first."""
    reports = session.scalars(
        scope.reports(viewer)
        .where(MonthlyReport.contract_id == contract_id)
        .order_by(MonthlyReport.month.desc(), MonthlyReport.version.desc())
    )
    by_month: dict[str, MonthlyReport] = {}
    for report in reports:
        by_month.setdefault(report.month, report)
    return list(by_month.values())


def newest_report(
    session: Session, viewer: Viewer, contract_id: int, month: str
) -> MonthlyReport | None:
    """The newest version of the month's report of a contract the viewer may see.

    None for a month that is no month, a contract the viewer may not see, or no report.
    """
    try:
        Month.parse(month)
        contract = get_contract(session, viewer, contract_id)
    except (ValueError, NotFound):
        return None
    return latest_report(session, contract.id, month)
