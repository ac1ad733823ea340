"""The demo's calendar on what the services write: their own moments set to the story's day."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import AuditEvent, Notification, StoredFile, TenderDocument


class stamped:  # noqa: N801  (used as a block: `with stamped(session, when):`)
    """Within the block, the audit events, notifications and stored files the services record
    are dated `when`, the moment the demo's calendar gives, not the day the demo is loaded."""

    # Each table the services write a moment of their own into, with that moment's column.
    STAMPED = (
        (AuditEvent, "occurred_at"),
        (Notification, "created_at"),
        (StoredFile, "created_at"),
        (TenderDocument, "created_at"),
    )

    def __init__(self, session: Session, when: datetime):
        self.session, self.when = session, when

    def __enter__(self) -> None:
        self.session.flush()
        self.since = {
            model: self.session.scalar(sa.select(sa.func.max(model.id))) or 0
            for model, _column in self.STAMPED
        }

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.session.flush()
            for model, column in self.STAMPED:
                self.session.execute(
                    sa.update(model)
                    .where(model.id > self.since[model])
                    .values({column: self.when})
                    .execution_options(synchronize_session=False)
                )
