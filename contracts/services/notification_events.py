"""The events of DESIGN.md §14 that happen at one moment, each as one call from the service or
edge where it happens: who is told, under which key, with what the mail says."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy.orm import Session

from ..models import (
    Contract,
    DeadlineMove,
    Invoice,
    MonthlyReport,
    Notice,
    Tender,
    TenderDocument,
    TenderDocumentVersion,
    User,
)
from .notifications import notify, one_user, users_in_role, users_of_provider


def _about(contract: Contract) -> dict:
    return {
        "contract_id": contract.id,
        "contract": contract.reference,
        "title": contract.title,
        "provider": contract.provider.name,
    }


def _on_contract(
    session: Session, kind: str, key: str, contract_id: int, role: str, at=None, **context
) -> None:
    """An event about a contract, told to a staff role or (`provider`) the contract's provider's
    users, with the contract's words beside `context`; dated `at`, the step's own moment."""
    contract = session.get(Contract, contract_id)
    recipients = (
        users_of_provider(contract.provider_id) if role == "provider" else users_in_role(role)
    )
    notify(session, kind, key, recipients, {**_about(contract), **context}, at)


def report_submitted(session: Session, report: MonthlyReport) -> None:
    """Procurement is told a report waits for review."""
    _on_contract(
        session,
        "report_submitted",
        f"report-submitted-{report.id}-{_stamp(report.submitted_at)}",
        report.contract_id,
        "procurement",
        at=report.submitted_at,
        month=report.month,
        version=report.version,
    )


def report_decided(session: Session, report: MonthlyReport) -> None:
    """The provider's users are told a report was accepted, or rejected and why."""
    kind = "report_accepted" if report.status == "accepted" else "report_rejected"
    context = {"month": report.month, "version": report.version}
    if report.status == "rejected":
        context["reason"] = report.rejection_reason
    key = f"{kind.replace('_', '-')}-{report.id}-{_stamp(report.decided_at)}"
    _on_contract(session, kind, key, report.contract_id, "provider", report.decided_at, **context)


def notice_received(session: Session, notice: Notice) -> None:
    """Procurement is told an exit or absence notice waits for confirmation."""
    _on_contract(
        session,
        "notice_received",
        f"notice-received-{notice.id}",
        notice.contract_id,
        "procurement",
        notice_kind=notice.kind,
        on=notice.on.isoformat(),
    )


def invoice_step(session: Session, invoice: Invoice) -> None:
    """After an invoice's step: attested, it waits for finance; returned, for procurement."""
    context = {"invoice_id": invoice.id, "month": invoice.month}
    if invoice.status == "attested":
        kind, role = "invoice_to_approve", "finance"
    elif invoice.status == "returned":
        kind, role = "invoice_returned", "procurement"
        context["reason"] = invoice.return_reason
    elif invoice.status == "issued":
        kind, role = "invoice_to_attest", "procurement"
    else:
        return
    # A step may come round again (returned, attested again): each time is its own event.
    moment = invoice.attested_at or invoice.returned_at or invoice.issued_at
    key = f"{kind.replace('_', '-')}-{invoice.id}-{moment.isoformat()}"
    _on_contract(session, kind, key, invoice.contract_id, role, moment, **context)


def tender_published(session: Session, tender: Tender) -> None:
    """Every registered provider's users are told of a new tender."""
    notify(
        session,
        "tender_published",
        f"tender-published-{tender.id}",
        users_in_role("provider"),
        {
            "tender_id": tender.id,
            "tender": tender.reference,
            "title": tender.title,
            "deadline": tender.deadline_at.isoformat() if tender.deadline_at else None,
        },
    )


def award_decision(session: Session, tender: Tender, tables) -> None:
    """Each bidder's users get the award decision for each lot they bid on: their own points,
    the winner's, and the standstill's last day. `tables` is the award's evaluation."""
    for table in tables:
        winner = next((line for line, bid in table.lines if bid.award_rank == 1), None)
        for line, bid in table.lines:
            notify(
                session,
                "award_decision",
                f"award-decision-{bid.id}",
                users_of_provider(bid.provider_id),
                {
                    "tender_id": tender.id,
                    "tender": tender.reference,
                    "title": tender.title,
                    "lot": table.lot.number,
                    "lot_title": table.lot.title,
                    "awarded": bid.award_rank is not None,
                    "own_points": _points(line.total),
                    # The bidder's own quality score and the evaluators' reason for it.
                    "quality_points": _points(line.quality_points),
                    "quality_reason": bid.quality_reason,
                    "winner_points": _points(winner.total if winner else None),
                    "standstill_ends_on": _day(tender.standstill_ends_on),
                },
            )


def link(session: Session, user: User, token: str, purpose: str, hours: int) -> list[int]:
    """An invitation or a password reset for one user. The token itself is not stored: the
    key holds a digest of it, and the mail gets the token from the caller (see mail/)."""
    kind = "invitation" if purpose == "invitation" else "password_reset"
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    return notify(
        session, kind, f"{kind.replace('_', '-')}-{digest}", one_user(user.id), {"hours": hours}
    )


def _stamp(moment) -> str:
    # A report is submitted and decided again after a rejection: each time is its own event.
    return moment.strftime("%Y%m%dT%H%M%S%f") if moment else "-"


def _points(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _tender(tender: Tender) -> dict:
    return {"tender_id": tender.id, "tender": tender.reference, "title": tender.title}


def tender_material_changed(
    session: Session, tender: Tender, document: TenderDocument, version: TenderDocumentVersion
) -> None:
    """Every provider's users are told a published tender's material changed, and what."""
    notify(
        session,
        "tender_material_changed",
        f"tender-material-{version.id}",
        users_in_role("provider"),
        {
            **_tender(tender),
            "document": document.title,
            "version": version.number,
            "change_note": version.change_note,
        },
    )


def tender_deadline_moved(session: Session, tender: Tender, move: DeadlineMove) -> None:
    """Every provider's users are told a published tender's deadline moved, and why."""
    notify(
        session,
        "tender_deadline_moved",
        f"tender-deadline-{move.id}",
        users_in_role("provider"),
        {
            **_tender(tender),
            "deadline": move.moved_to.isoformat(),
            "moved_from": move.moved_from.isoformat() if move.moved_from else None,
            "reason": move.reason,
        },
    )
