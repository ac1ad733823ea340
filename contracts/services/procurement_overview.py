"""What procurement's overview and contract pages show: the contracts a viewer may see, expiring
ones first, the reports waiting for review, and one contract with its participants and reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, selectinload

from ..models import Contract, MonthlyReport
from . import NotFound, scope
from .contract_invoices import ContractInvoices, contract_invoices
from .contract_lists import contracts_by_reference
from .contract_register import get_contract
from .figures import figures_as_of
from .report_versions import newest_by_month
from .scope import Viewer


def visible_contracts(session: Session, viewer: Viewer) -> list[Contract]:
    """The viewer's contracts by reference, with what the tables show (their successor too)."""
    return contracts_by_reference(session, viewer, successors=True)


def expiring_first(contracts: Iterable[Contract], today: date) -> list[Contract]:
    """Expiring contracts first, soonest end first; then the rest in their order."""
    contracts = list(contracts)
    expiring = sorted((c for c in contracts if c.is_expiring(today)), key=lambda c: c.end_on)
    return expiring + [c for c in contracts if not c.is_expiring(today)]


def reports_to_review(session: Session, viewer: Viewer) -> list[MonthlyReport]:
    """Submitted reports the viewer may see, by month and then by when they were submitted."""
    return list(
        session.scalars(
            scope.reports(viewer)
            .where(MonthlyReport.status == "submitted")
            .options(selectinload(MonthlyReport.contract).selectinload(Contract.provider))
            .order_by(MonthlyReport.month, MonthlyReport.submitted_at)
        )
    )


def participant_counts(
    session: Session, viewer: Viewer, contract_id: int, today: date
) -> tuple[int, int]:
    """The contract's citizens enrolled by today and those active today, as the figures as of a
    day count them (`figures.py`): a referral starting later is neither yet, one who exits
    today is no longer active, an enrolment registered by mistake is neither; (0, 0) for a
    contract the viewer may not see."""
    try:
        totals = figures_as_of(session, viewer, today, "contract", contract_id)
    except NotFound:
        return 0, 0
    return totals.participants, totals.active


@dataclass(frozen=True)
class ContractPage:
    """One contract as its page shows it."""

    contract: Contract
    participants: int
    active: int
    reports: list[MonthlyReport]  # the newest version of each month, newest month first
    invoices: ContractInvoices


def contract_page(session: Session, viewer: Viewer, contract_id: int, today: date) -> ContractPage:
    """A contract the viewer may see with its counts, reports and invoices; NotFound otherwise."""
    contract = get_contract(session, viewer, contract_id)
    participants, active = participant_counts(session, viewer, contract.id, today)
    return ContractPage(
        contract=contract,
        participants=participants,
        active=active,
        reports=newest_by_month(session, viewer, contract.id),
        invoices=contract_invoices(session, viewer, contract),
    )
