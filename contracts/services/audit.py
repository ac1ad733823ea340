"""The audit log: one place that records who did what to which record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import AuditEvent, ReadMark, utcnow
from ..rules.periods import COPENHAGEN


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


def record_read(
    session: Session,
    actor: Actor,
    action: str,
    subject: str,
    day: date,
    record_type: str | None = None,
    record_id: int | None = None,
    occurred_at: datetime | None = None,
    **details: Any,
) -> bool:
    """Audit a read of participant data once per user, subject and day (DESIGN.md §13): the
    first read of the day writes the event `action`, later ones nothing. Returns whether this
    read was the day's first. A read without a user (a job, a command) is always written.

    `subject` names the list read ("participants:contract:12"); the fold is a row per user,
    subject and day inserted with ON CONFLICT DO NOTHING, so two requests at once write one event.
    """
    if actor.user_id is not None:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        first = session.execute(
            insert(ReadMark)
            .values(user_id=actor.user_id, subject=subject, day=day)
            .on_conflict_do_nothing()
            .returning(ReadMark.user_id)
        ).first()
        if first is None:
            return False
    record(
        session,
        actor,
        action,
        record_type,
        record_id,
        occurred_at=occurred_at,
        subject=subject,
        **details,
    )
    return True


# Reading a list that names participants (GDPR art. 10 data) is an audit event of this action.
PARTICIPANTS_READ = "participants.viewed"


def participants_read(
    session: Session,
    actor: Actor,
    page: str,
    record_type: str | None,
    record_id: int | None,
    now: datetime,
    part: str = "",
    **details: Any,
) -> bool:
    """Audit that `page` (a page's or an API call's name) showed the participants of a record
    (`part`, such as a month, telling its lists apart), once per user, list and the Copenhagen
    day of `now` (the portal's). The event itself carries the real time, as every audit event."""
    subject = f"{page}:{record_type or ''}:{record_id or ''}:{part}"
    return record_read(
        session,
        actor,
        PARTICIPANTS_READ,
        subject[:100],
        now.astimezone(COPENHAGEN).date(),
        record_type,
        record_id,
        page=page,
        **details,
    )
