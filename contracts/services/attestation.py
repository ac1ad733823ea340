"""Procurement's attestation queue: the invoices and credit notes waiting for its attestation,
the ones finance returned (with the reason), and how many wait for their provider to issue them.

Found through `invoice_search` (on `scope.invoices`), in the desk's order; the sums deduct
credit notes as every other sum of invoices does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from .invoice_search import FoundInvoice, InvoiceFilter, InvoiceSums, find_all, sums
from .scope import Viewer


@dataclass(frozen=True)
class AttestationQueue:
    """What waits for procurement: returned invoices first (finance is waiting on them)."""

    returned: list[FoundInvoice]
    waiting: list[FoundInvoice]
    sums: InvoiceSums  # of returned and waiting together
    awaiting_provider: int

    @property
    def count(self) -> int:
        return len(self.returned) + len(self.waiting)


def attestation_queue(session: Session, viewer: Viewer) -> AttestationQueue:
    """The viewer's queue (procurement sees every provider's invoices)."""
    returned = find_all(session, viewer, InvoiceFilter(status="returned"))
    waiting = find_all(session, viewer, InvoiceFilter(status="awaiting_attestation"))
    return AttestationQueue(
        returned=returned,
        waiting=waiting,
        sums=sums(session, viewer, InvoiceFilter(status="with_procurement")),
        awaiting_provider=sums(session, viewer, InvoiceFilter(status="awaiting_provider")).count,
    )


@dataclass(frozen=True)
class AttestationSummary:
    """How much waits for procurement (returned ones included), for its home page."""

    sums: InvoiceSums
    returned: int


def attestation_summary(session: Session, viewer: Viewer) -> AttestationSummary:
    """Count and sums of the queue, and how many of it finance returned: two aggregate queries."""
    return AttestationSummary(
        sums=sums(session, viewer, InvoiceFilter(status="with_procurement")),
        returned=sums(session, viewer, InvoiceFilter(status="returned")).count,
    )
