"""One reported month of a contract the viewer may see: its newest report, its state and the
participants enrolled in it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..models import Contract, Enrolment, MonthlyReport
from ..rules.report_calendar import ReportMonth, is_reported_month, report_month
from ..rules.report_checks import Enrolled
from . import scope
from .report_versions import latest_report
from .reports import enrolled_for_month, in_month
from .scope import Viewer


class MonthEnrolled(Sequence[Enrolled]):
    """The participants enrolled in a contract's month (`enrolled_for_month`), read when first
    needed and once: their number alone is counted in SQL, so a page that only says how many of
    a thousand there are does not read them (issue 16)."""

    def __init__(self, session: Session, contract_id: int, month: str) -> None:
        self._session, self._contract_id, self._month = session, contract_id, month
        self._rows: list[Enrolled] | None = None
        self._count: int | None = None

    def _all(self) -> list[Enrolled]:
        if self._rows is None:
            self._rows = enrolled_for_month(self._session, self._contract_id, self._month)
        return self._rows

    def __len__(self) -> int:
        if self._rows is not None:
            return len(self._rows)
        if self._count is None:
            self._count = self._session.scalar(_count(self._contract_id, self._month))
        return self._count

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self) -> Iterator[Enrolled]:
        return iter(self._all())


def _count(contract_id: int, month: str) -> sa.Select:
    """The number of enrolments `enrolled_for_month` lists."""
    return sa.select(sa.func.count(Enrolment.id)).where(in_month(contract_id, month))


@dataclass(frozen=True, kw_only=True)
class ContractMonth(ReportMonth):
    """A contract's month with its newest report (None before one is stored) and its state."""

    contract: Contract
    report: MonthlyReport | None
    enrolled: Sequence[Enrolled]


def contract_month(
    session: Session, viewer: Viewer, contract_id: int, month: str, today: date
) -> ContractMonth | None:
    """The month of a contract the viewer may see; None when there is no such contract for the
    viewer or the contract is not reported for that month (not a month, not begun, outside it).
    """
    # With what every page of the month shows beside it (its programme; the provider, whose name
    # the page's header shows) in the same statement; the rest of its details load when read.
    contract = session.scalar(
        scope.contracts(viewer)
        .where(Contract.id == contract_id)
        .options(joinedload(Contract.programme), joinedload(Contract.provider))
    )
    if contract is None:
        return None
    if not is_reported_month(contract.start_on, contract.end_on, month, today):
        return None
    # The contract is the viewer's, so its reports are too.
    report = latest_report(session, contract.id, month)
    return ContractMonth(
        **vars(report_month(month, report, today)),
        contract=contract,
        report=report,
        enrolled=MonthEnrolled(session, contract.id, month),
    )
