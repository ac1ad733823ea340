"""Approving invoices and credit notes: the gap-free number of the year, and the ceiling's second look.

An approved invoice is final: it is never edited again (a correction is a credit note and a new
invoice, see `invoicing`). Numbers are given here and only here, in the approving transaction:

- the invoice row is locked (`SELECT … FOR UPDATE`) so two people approving the same invoice
  at once give it one number, and the second is told it is approved already;
- the year's counter row is incremented with one `INSERT … ON CONFLICT DO UPDATE … RETURNING`,
  which locks that row until the transaction ends, so a concurrent approval waits for this one
  to commit or roll back and then takes the next number. A rollback gives the number back,
  which is what keeps the series without gaps. (SQLite has one writer at a time anyway.)
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Invoice, InvoiceApproval, InvoiceNumberCounter, utcnow
from ..rules.problems import N_
from . import DomainError, NotFound, scope
from .audit import Actor, record
from .scope import Viewer

# Danish public buyers pay within 30 days of receiving the invoice (betalingsfrist, netto 30).
PAYMENT_DAYS = 30
APPROVERS = ("finance",)
MIN_CEILING_REASON = 10


def next_number(session: Session, provider_id: int, year: int) -> int:
    """Take the provider's next invoice number of the year; the counter row stays locked until
    commit."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    counter = InvoiceNumberCounter.__table__
    stmt = (
        insert(counter)
        .values(provider_id=provider_id, year=year, last_seq=1)
        .on_conflict_do_update(
            index_elements=[counter.c.provider_id, counter.c.year],
            set_={"last_seq": counter.c.last_seq + 1},
        )
        .returning(counter.c.last_seq)
    )
    return session.execute(stmt).scalar_one()


def approve(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    invoice_id: int,
    today: date,
    ceiling_reason: str | None = None,
) -> Invoice:
    """Approve a draft invoice or credit note and give it the year's next number.

    An invoice that takes its contract past the ceiling needs a second look: finance must
    give a reason for accepting the crossing (`ceiling_reason`), recorded with who gave it.
    Raises DomainError: 404 unseen, 403 not finance, 409 approved already or ceiling not
    confirmed, 422 a reason too short to say anything.
    """
    invoice = session.scalar(
        scope.invoices(viewer)
        .where(Invoice.id == invoice_id)
        .with_for_update(of=Invoice)
        .execution_options(populate_existing=True)
    )
    if invoice is None:
        raise NotFound(N_("No such invoice."))
    if not viewer.may(*APPROVERS):
        raise DomainError(N_("Only finance approves invoices."), status=403)
    if invoice.status != "draft":
        raise DomainError(
            N_("The invoice is approved already, as number %(number)s."),
            field="status",
            status=409,
            number=invoice.number,
        )
    reason = (ceiling_reason or "").strip() or None
    if invoice.exceeds_ceiling and invoice.kind == "invoice":
        if reason is None:
            raise DomainError(
                N_(
                    "The invoice takes the contract past its ceiling. Give a reason for accepting "
                    "that before approving."
                ),
                field="ceiling_reason",
                status=409,
            )
        if len(reason) < MIN_CEILING_REASON:
            raise DomainError(
                N_("Write the reason in at least %(count)s characters."),
                field="ceiling_reason",
                count=MIN_CEILING_REASON,
            )
    else:
        reason = None  # nothing to confirm: a reason would claim a look that was not needed
    now = utcnow()
    provider_id = invoice.contract.provider_id
    seq = next_number(session, provider_id, today.year)
    invoice.number_provider_id = provider_id
    invoice.number_year, invoice.number_seq = today.year, seq
    invoice.status = "approved"
    invoice.approved_at = now
    invoice.approved_by_id = actor.user_id
    session.add(
        InvoiceApproval(
            invoice_id=invoice.id,
            issued_on=today,
            due_on=today + timedelta(days=PAYMENT_DAYS),
            approved_by_id=actor.user_id,
            ceiling_confirmed_by_id=actor.user_id if reason else None,
            ceiling_confirmed_at=now if reason else None,
            ceiling_reason=reason,
        )
    )
    session.flush()
    record(
        session,
        actor,
        "invoice.approved",
        "invoice",
        invoice.id,
        number=invoice.number,
        kind=invoice.kind,
        total=str(invoice.total),
        **({"ceiling_reason": reason} if reason else {}),
    )
    return invoice


def approval_of(session: Session, invoice_id: int) -> InvoiceApproval | None:
    """The approval record of an invoice, None while it is a draft."""
    return session.get(InvoiceApproval, invoice_id)
