"""Approving attested invoices and credit notes: the provider's gap-free number of the year, the
ceiling's second look, and the issued record frozen (the steps before it: `invoice_steps`).

An approved invoice is final: it is never edited again (a correction is a credit note and a new
invoice, see `invoicing`). Numbers are given here and only here, in the approving transaction:

- the invoice row is locked (`SELECT … FOR UPDATE`) so two people approving the same invoice
  at once give it one number, and the second is told it is approved already;
- the provider's counter row of the year is incremented with one `INSERT … ON CONFLICT DO UPDATE … RETURNING`,
  which locks that row until the transaction ends, so a concurrent approval waits for this one
  to commit or roll back and then takes the next number. A rollback gives the number back,
  which is what keeps the series without gaps. (SQLite has one writer at a time anyway.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..documents.data import Municipality
from ..models import Invoice, InvoiceApproval, InvoiceNumberCounter
from ..rules.periods import COPENHAGEN
from ..rules.problems import N_
from . import DomainError
from .audit import Actor
from .invoice_steps import open_step, record_step, written_reason
from .issued_records import issued_record
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
    now: datetime,
    buyer: Municipality,
    ceiling_reason: str | None = None,
) -> Invoice:
    """Approve an attested invoice or credit note and give it the provider's next number of the
    year; the issued record of its parties and terms (`buyer` the municipality) is frozen with it.

    `now` is the portal's moment: the approval's day (the invoice's date, and the year of its
    number) is its date in Copenhagen. An invoice that takes its contract past the ceiling needs
    a second look: finance must give a reason for accepting the crossing (`ceiling_reason`),
    recorded with who gave it. Raises DomainError: 404 unseen, 403 not finance or the one who
    attested it, 409 not attested, approved already or ceiling not confirmed, 422 a reason too
    short to say anything.
    """
    invoice = open_step(
        session, viewer, invoice_id, APPROVERS, N_("Only finance approves invoices.")
    )
    if invoice.status != "attested":
        raise DomainError(
            N_("The invoice is not attested: procurement attests it before finance approves it."),
            field="status",
            status=409,
        )
    if actor.user_id is not None and invoice.attested_by_id == actor.user_id:
        raise DomainError(
            N_("You attested this invoice yourself: another person approves it."), status=403
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
        written_reason(reason, "ceiling_reason", MIN_CEILING_REASON)
    else:
        reason = None  # nothing to confirm: a reason would claim a look that was not needed
    day = now.astimezone(COPENHAGEN).date()
    provider_id = invoice.contract.provider_id
    seq = next_number(session, provider_id, day.year)
    invoice.number_provider_id = provider_id
    invoice.number_year, invoice.number_seq = day.year, seq
    invoice.status = "approved"
    invoice.approved_at = now
    invoice.approved_by_id = actor.user_id
    session.add(
        InvoiceApproval(
            invoice_id=invoice.id,
            issued_on=day,
            due_on=day + timedelta(days=PAYMENT_DAYS),
            approved_by_id=actor.user_id,
            ceiling_confirmed_by_id=actor.user_id if reason else None,
            ceiling_confirmed_at=now if reason else None,
            ceiling_reason=reason,
            issued=issued_record(session, invoice, buyer),
        )
    )
    return record_step(
        session,
        actor,
        invoice,
        "invoice.approved",
        now,
        number=invoice.number,
        total=str(invoice.total),
        **({"ceiling_reason": reason} if reason else {}),
    )


def approval_of(session: Session, invoice_id: int) -> InvoiceApproval | None:
    """The approval record of an invoice, None while it is a draft."""
    return session.get(InvoiceApproval, invoice_id)
