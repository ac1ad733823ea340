"""An invoice's credit note, as the viewer may see it (through `scope`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Invoice
from . import scope
from .scope import Viewer


def credit_note_for(session: Session, viewer: Viewer, invoice_id: int) -> Invoice | None:
    """The credit note that credits the invoice, if there is one the viewer may see."""
    return session.scalar(scope.invoices(viewer).where(Invoice.credited_invoice_id == invoice_id))
