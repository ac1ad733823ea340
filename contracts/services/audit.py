"""The audit log: one place that records who did what to which record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..models import AuditEvent, utcnow


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, or the system itself (a job, a command)."""

    label: str
    user_id: int | None = None
    remote_addr: str | None = None


SYSTEM = Actor("system")


def record(
    session: Session,
    actor: Actor,
    action: str,
    record_type: str | None = None,
    record_id: int | None = None,
    occurred_at: datetime | None = None,
    **details: Any,
) -> AuditEvent:
    """Append an audit event. Details must never carry a CPR number or a secret."""
    event = AuditEvent(
        occurred_at=occurred_at or utcnow(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        record_type=record_type,
        record_id=record_id,
        details=details,
        remote_addr=actor.remote_addr,
    )
    session.add(event)
    return event
