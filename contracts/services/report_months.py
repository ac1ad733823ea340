"""One reported month of a contract the viewer may see: its newest report, its state and the
participants enrolled in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..models import Contract, MonthlyReport
from ..rules.report_calendar import ReportMonth, is_reported_month, report_month
from ..rules.report_checks import Enrolled
from . import NotFound
from .contract_register import get_contract
from .report_versions import latest_report
from .reports import enrolled_for_month
from .scope import Viewer


@dataclass(frozen=True, kw_only=True)
class ContractMonth(ReportMonth):
    """A contract's month with its newest report (None before one is stored) and its state."""

    contract: Contract
    report: MonthlyReport | None
    enrolled: list[Enrolled]


def contract_month(
    session: Session, viewer: Viewer, contract_id: int, month: str, today: date
) -> ContractMonth | None:
    """The month of a contract the viewer may see; None when there is no such contract for the
    viewer or the contract is not reported for that month (not a month, not begun, outside it).
    """
    try:
        contract = get_contract(session, viewer, contract_id)
    except NotFound:
        return None
    if not is_reported_month(contract.start_on, contract.end_on, month, today):
        return None
    # The contract is the viewer's, so its reports are too.
    report = latest_report(session, contract.id, month)
    return ContractMonth(
        **vars(report_month(month, report, today)),
        contract=contract,
        report=report,
        enrolled=enrolled_for_month(session, contract.id, month),
    )
