"""A provider's overview: its contracts with every reported month's state, and its participants
a page at a time (issue 16: a provider of a thousand participants is not drawn whole on every view).

Every query goes through `scope`, so a provider user sees its own provider's records only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Contract, Enrolment, MonthlyReport, Participant
from ..rules.report_calendar import ReportMonth, report_month, reported_months
from . import scope
from .paging import PER_PAGE, Page, page_of
from .report_versions import newest_by_contract
from .scope import Viewer


@dataclass(frozen=True)
class ProviderOverview:
    """The contracts (oldest first) and each one's months newest first."""

    contracts: list[Contract]
    months: dict[int, list[ReportMonth]]

    @property
    def late_count(self) -> int:
        """How many months' reports are late, over every contract."""
        return sum(1 for rows in self.months.values() for row in rows if row.late)


def contract_months(
    contract: Contract, reports: dict[str, MonthlyReport], today: date
) -> list[ReportMonth]:
    """The contract's reported months, newest first, each from its newest report in `reports`."""
    months = reported_months(contract.start_on, contract.end_on, today)
    return [report_month(month, reports.get(month), today) for month in reversed(months)]


def provider_overview(session: Session, viewer: Viewer, today: date) -> ProviderOverview:
    """What the viewer's overview shows on `today`."""
    contracts = list(
        session.scalars(
            scope.contracts(viewer)
            .options(selectinload(Contract.programme))
            .order_by(Contract.start_on, Contract.reference)
        )
    )
    latest = newest_by_contract(session, viewer)
    months = {c.id: contract_months(c, latest.get(c.id, {}), today) for c in contracts}
    return ProviderOverview(contracts, months)


def participant_page(
    session: Session, viewer: Viewer, page: int, per_page: int = PER_PAGE
) -> Page[sa.Row]:
    """Page `page` (from 1) of the viewer's enrolments by contract reference, start and
    participant ref: rows of participant ref, contract reference, start_on, end_on and end_reason.

    Two statements, both in SQL whatever the provider's size: the count, and the page's rows
    (paging.page_of: a page past the last is empty).
    """
    rows = scope.contracts(
        viewer,
        sa.select(
            Participant.ref,
            Contract.reference,
            Enrolment.start_on,
            Enrolment.end_on,
            Enrolment.end_reason,
        )
        .join(Contract, Enrolment.contract_id == Contract.id)
        .join(Participant, Enrolment.participant_id == Participant.id),
    )
    ordered = rows.order_by(Contract.reference, Enrolment.start_on, Participant.ref)
    return page_of(session, ordered, page, per_page, rows=True)
