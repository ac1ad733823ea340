"""One invoice, and the report line an invoice line was priced from, as a
viewer may see them (through `scope`); None where the viewer may not, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..models import Contract, Invoice, MonthlyReport, ReportLine
from . import scope
from .scope import Viewer


def visible_invoice(session: Session, viewer: Viewer, invoice_id: int) -> Invoice | None:
    """The invoice or credit note if the viewer may see it."""
    return session.scalar(scope.invoices(viewer).where(Invoice.id == invoice_id))


@dataclass(frozen=True)
class PricedLine:
    """A report line, its report and contract, its participant's reference, and the invoices
    priced from its report."""

    line: ReportLine
    report: MonthlyReport
    contract: Contract
    participant_ref: str
    invoices: list[Invoice]


def priced_line(session: Session, viewer: Viewer, line_id: int) -> PricedLine | None:
    """The report line with what the invoice desk shows beside it, if the viewer may see it."""
    line = session.get(ReportLine, line_id)
    if line is None:
        return None
    report = session.scalar(scope.reports(viewer).where(MonthlyReport.id == line.report_id))
    if report is None:
        return None
    invoices = session.scalars(
        scope.invoices(viewer).where(Invoice.report_id == report.id).order_by(Invoice.id)
    ).all()
    return PricedLine(
        line=line,
        report=report,
        contract=session.get(Contract, report.contract_id),
        participant_ref=line.participant.ref,
        invoices=list(invoices),
    )
