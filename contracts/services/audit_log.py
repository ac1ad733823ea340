"""The audit log as administrators read it (DESIGN.md §13): filtered, paged, exported.

Only `admin` reads the whole log: it names staff and every provider. Reading it is itself
audited (once per administrator and day; an export every time), since it shows who looked at
which citizen's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import AuditEvent
from ..rules.periods import COPENHAGEN
from ..rules.problems import N_
from . import DomainError
from .audit import Actor, record, record_read
from .paging import Page, page_of
from .scope import Viewer

READERS = ("admin",)
# An export is one file: a longer period is asked for in parts.
MAX_EXPORT_ROWS = 100_000
EXPORT_HEADER = ("Tidspunkt", "Bruger", "Handling", "Post", "Post-id", "Detaljer", "Adresse")


@dataclass(frozen=True)
class AuditFilter:
    """Who (part of the e-mail or label), what (an action or its start, such as `invoice.`),
    which record (type, id), and the period's first and last day in Copenhagen (both included)."""

    actor: str | None = None
    action: str | None = None
    record_type: str | None = None
    record_id: int | None = None
    from_day: date | None = None
    to_day: date | None = None

    def check(self) -> None:
        if self.from_day and self.to_day and self.to_day < self.from_day:
            raise DomainError(
                N_("the period ends %(end)s, before it begins %(start)s"),
                "to",
                end=self.to_day,
                start=self.from_day,
            )

    def where(self) -> list[sa.ColumnElement[bool]]:
        conditions = []
        if self.actor:
            conditions.append(AuditEvent.actor_label.contains(self.actor.strip().lower()))
        if self.action:
            action = self.action.strip()
            conditions.append(
                AuditEvent.action.startswith(action)
                if action.endswith(".")
                else AuditEvent.action == action
            )
        if self.record_type:
            conditions.append(AuditEvent.record_type == self.record_type.strip())
        if self.record_id is not None:
            conditions.append(AuditEvent.record_id == self.record_id)
        if self.from_day:
            conditions.append(AuditEvent.occurred_at >= _start_of(self.from_day))
        if self.to_day:
            conditions.append(AuditEvent.occurred_at < _start_of(self.to_day + timedelta(days=1)))
        return conditions


def _start_of(day: date) -> datetime:
    """The first moment of a Copenhagen day."""
    return datetime.combine(day, time(0), tzinfo=COPENHAGEN)


def _checked(viewer: Viewer, filters: AuditFilter) -> sa.Select:
    if not viewer.may(*READERS):
        raise DomainError(N_("Only administrators read the audit log."), status=403)
    filters.check()
    return (
        sa.select(AuditEvent)
        .where(*filters.where())
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )


def audit_page(
    session: Session,
    viewer: Viewer,
    actor: Actor,
    filters: AuditFilter,
    page: int,
    per_page: int,
    today: date,
) -> Page[AuditEvent]:
    """A page of the events the filters admit, the newest first; the reading audited once a day."""
    stmt = _checked(viewer, filters)
    record_read(session, actor, "audit.read", "audit:log", today)
    return page_of(session, stmt, page, per_page)


def audit_export(
    session: Session, viewer: Viewer, actor: Actor, filters: AuditFilter
) -> list[tuple]:
    """Every event the filters admit as rows of `EXPORT_HEADER`, the newest first; refused
    (422) past MAX_EXPORT_ROWS. The export is audited with its filters and size."""
    stmt = _checked(viewer, filters)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    if total > MAX_EXPORT_ROWS:
        raise DomainError(
            N_("The filters find %(count)s events; export at most %(max)s at a time."),
            count=total,
            max=MAX_EXPORT_ROWS,
        )
    record(
        session,
        actor,
        "audit.exported",
        rows=total,
        filters={name: str(v) for name, v in vars(filters).items() if v not in (None, "")},
    )
    return [
        (
            f"{event.occurred_at.astimezone(COPENHAGEN):%d-%m-%Y %H:%M:%S}",
            event.actor_label,
            event.action,
            event.record_type or "",
            event.record_id,
            details_text(event.details),
            event.remote_addr or "",
        )
        for event in session.scalars(stmt)
    ]


def details_text(details: dict) -> str:
    """An event's details as one line a person reads: `key: value; key: value`."""
    return "; ".join(
        f"{key}: {value}" for key, value in sorted((details or {}).items()) if value is not None
    )
