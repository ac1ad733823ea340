"""The newest version of a contract's monthly reports, the one that counts, as a viewer sees it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import MonthlyReport
from ..rules.periods import parse_month
from . import NotFound, scope
from .contract_register import get_contract
from .reports import latest_report
from .scope import Viewer


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
        parse_month(month)
        contract = get_contract(session, viewer, contract_id)
    except (ValueError, NotFound):
        return None
    return latest_report(session, contract.id, month)
