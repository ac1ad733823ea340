"""The steps an invoice goes through before finance approves it (DESIGN.md §6, two steps, two people).

    self-billed:       draft ──attest──▶ attested ──approve──▶ approved
    provider-issued:   draft ──issue──▶ issued ──attest──▶ attested ──approve──▶ approved
    either:            attested ──return (reason)──▶ returned ──attest──▶ attested

- `issue`: the invoiced provider issues a draft of a `provider_issued` contract, its own act.
  A credit note of such a contract is the provider's document too, so it issues that as well.
- `attest`: procurement confirms the delivery matches the contract and the accepted report.
- `return_invoice`: finance sends an attested invoice back to attestation with a reason.
- `approve` (in `approval`): finance approves an attested invoice and so numbers it; the one who
  attested an invoice may not approve it (two people, whatever their roles become).

Each step locks the invoice row first (`SELECT … FOR UPDATE`), so two people acting on one
invoice at once act one after the other and the second meets the state the first left. Each
step's moment is the caller's `now` (the portal's clock: the demo's steps are on its calendar),
and each is an audit event, which is the invoice's history of steps.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AuditEvent, Invoice
from ..rules.problems import N_
from . import DomainError, NotFound, notification_events, scope
from .audit import Actor, record
from .scope import Viewer

ATTESTERS = ("procurement",)
RETURNERS = ("finance",)
ISSUERS = ("provider",)
MIN_RETURN_REASON = 10
# The audit events that are an invoice's steps, in the order of its life.
STEP_ACTIONS = (
    "invoice.created",
    "invoice.issued",
    "invoice.attested",
    "invoice.returned",
    "invoice.approved",
    "invoice.credited",
)
# Attestation waits on these: self-billed drafts, provider-issued invoices, returned ones.
WAITING_FOR_ATTESTATION = ("draft", "issued", "returned")


def locked_invoice(session: Session, viewer: Viewer, invoice_id: int) -> Invoice:
    """The invoice the viewer may see, its row locked until the transaction ends; 404 otherwise
    (another provider's invoice is answered as if it did not exist)."""
    invoice = session.scalar(
        scope.invoices(viewer)
        .where(Invoice.id == invoice_id)
        .with_for_update(of=Invoice)
        .execution_options(populate_existing=True)
    )
    if invoice is None:
        raise NotFound(N_("No such invoice."))
    return invoice


def refuse_if_approved(invoice: Invoice) -> None:
    """409 when the invoice is approved already: it is final."""
    if invoice.status == "approved":
        raise DomainError(
            N_("The invoice is approved already, as number %(number)s."),
            field="status",
            status=409,
            number=invoice.number,
        )


def open_step(
    session: Session, viewer: Viewer, invoice_id: int, roles: tuple[str, ...], refusal: str
) -> Invoice:
    """The invoice locked for a step that only `roles` take (403 with `refusal` otherwise),
    refused when it is approved already (409)."""
    invoice = locked_invoice(session, viewer, invoice_id)
    if not viewer.may(*roles):
        raise DomainError(refusal, status=403)
    refuse_if_approved(invoice)
    return invoice


def written_reason(text: str | None, field: str, minimum: int) -> str:
    """A reason as given, trimmed; 422 at `field` when it is shorter than `minimum` characters."""
    reason = (text or "").strip()
    if len(reason) < minimum:
        raise DomainError(
            N_("Write the reason in at least %(count)s characters."), field=field, count=minimum
        )
    return reason


def record_step(
    session: Session, actor: Actor, invoice: Invoice, action: str, now: datetime, **details
) -> Invoice:
    """Write the step down and make it the invoice's history: one audit event at `now`."""
    session.flush()
    record(
        session, actor, action, "invoice", invoice.id, occurred_at=now, kind=invoice.kind, **details
    )
    notification_events.invoice_step(session, invoice)
    return invoice


def provider_issues(invoice: Invoice) -> bool:
    """True when the invoice's contract has the provider issue its invoices (and credit notes)."""
    return invoice.contract.invoicing == "provider_issued"


def awaits_attestation(invoice: Invoice) -> bool:
    """True when procurement may attest the invoice now."""
    if invoice.status == "draft":
        return not provider_issues(invoice)
    return invoice.status in ("issued", "returned")


def issue(
    session: Session, actor: Actor, viewer: Viewer, invoice_id: int, now: datetime
) -> Invoice:
    """The provider issues a draft of its `provider_issued` contract: `draft` → `issued`.

    Raises DomainError: 404 not the viewer's provider's (never revealed), 403 not a provider
    user, 409 a self-billed contract's invoice or one issued already.
    """
    invoice = open_step(
        session, viewer, invoice_id, ISSUERS, N_("Only the invoiced provider issues its invoices.")
    )
    if not provider_issues(invoice):
        raise DomainError(
            N_(
                "The contract is self-billed: the municipality issues its invoices on the "
                "provider's behalf, so there is nothing for the provider to issue."
            ),
            field="status",
            status=409,
        )
    if invoice.status != "draft":
        raise DomainError(N_("The invoice is issued already."), field="status", status=409)
    invoice.status = "issued"
    invoice.issued_at, invoice.issued_by_id = now, actor.user_id
    return record_step(session, actor, invoice, "invoice.issued", now)


def attest(
    session: Session, actor: Actor, viewer: Viewer, invoice_id: int, now: datetime
) -> Invoice:
    """Procurement attests that the delivery matches the contract and the accepted report.

    A self-billed draft, a provider-issued invoice the provider has issued, or a returned one
    becomes `attested`; a returned invoice's reason is cleared (the audit log keeps it).
    Raises DomainError: 404 unseen, 403 not procurement, 409 approved or attested already, or
    a provider-issued invoice its provider has not issued yet.
    """
    invoice = open_step(
        session, viewer, invoice_id, ATTESTERS, N_("Only procurement attests invoices.")
    )
    if invoice.status == "attested":
        raise DomainError(
            N_("The invoice is attested already; it waits for finance's approval."),
            field="status",
            status=409,
        )
    if not awaits_attestation(invoice):
        raise DomainError(
            N_(
                "The provider has not issued this invoice yet: the contract has the provider "
                "issue its invoices, and it is attested once the provider has issued it."
            ),
            field="status",
            status=409,
        )
    invoice.status = "attested"
    invoice.return_reason = None
    invoice.attested_at, invoice.attested_by_id = now, actor.user_id
    return record_step(session, actor, invoice, "invoice.attested", now)


def return_invoice(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    invoice_id: int,
    reason: str | None,
    now: datetime,
) -> Invoice:
    """Finance returns an attested invoice to attestation with the reason: `attested` → `returned`.

    Raises DomainError: 404 unseen, 403 not finance, 409 not attested (approved, or not yet
    attested), 422 a reason too short to say what is wrong.
    """
    invoice = open_step(
        session, viewer, invoice_id, RETURNERS, N_("Only finance returns invoices to attestation.")
    )
    if invoice.status != "attested":
        raise DomainError(
            N_("Only an attested invoice can be returned; this one waits for attestation."),
            field="status",
            status=409,
        )
    reason = written_reason(reason, "reason", MIN_RETURN_REASON)
    invoice.status = "returned"
    invoice.return_reason = reason
    invoice.returned_at, invoice.returned_by_id = now, actor.user_id
    return record_step(session, actor, invoice, "invoice.returned", now, reason=reason)


def history(session: Session, invoice_id: int) -> list[AuditEvent]:
    """The invoice's steps from the audit log, oldest first: made, issued, attested, returned
    (with the reason), approved (with the number), credited. The caller has checked the invoice is
    visible to its viewer."""
    return list(
        session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.record_type == "invoice",
                AuditEvent.record_id == invoice_id,
                AuditEvent.action.in_(STEP_ACTIONS),
            )
            # In the order they were taken: the row lock makes one invoice's steps one after
            # another, and a step's moment may be on the demo's calendar rather than the clock's.
            .order_by(AuditEvent.id)
        )
    )
