"""Reading the audit log of one record, for the record's own page.

Only procurement reads it here: the log names staff and may name other providers, and a
provider must not learn even that another provider exists.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AuditEvent
from .scope import Viewer


def record_history(
    session: Session, viewer: Viewer, record_type: str, record_id: int
) -> list[AuditEvent]:
    """The record's audit events, oldest first; none for anyone but procurement."""
    if not viewer.may("procurement"):
        return []
    return list(
        session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )
