"""The audit log for administrators (DESIGN.md §8, §13): filtered and paged, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from contracts.models import AuditEvent
from contracts.services.audit_log import READERS, AuditFilter, audit_page

from .. import clock
from ..extensions import db
from ..security import actor, viewer
from .declare import operation
from .types import MAX_ID, IsoDate, Model


class AuditQuery(Model):
    """Who, what, which record and when; every filter may be left out."""

    actor: str | None = Field(
        default=None, max_length=254, description="Part of the acting user's e-mail (or 'system')"
    )
    action: str | None = Field(
        default=None,
        max_length=60,
        pattern=r"^[a-z_]+(\.[a-z_]*)?$",
        description="An action (`invoice.approved`), or all of a kind (`invoice.`)",
    )
    record_type: str | None = Field(default=None, max_length=40, pattern=r"^[a-z_]+$")
    record_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    start: IsoDate | None = Field(
        default=None, alias="from", description="The first day (Copenhagen), included"
    )
    end: IsoDate | None = Field(
        default=None, alias="to", description="The last day (Copenhagen), included"
    )


class AuditEventOut(BaseModel):
    """One event: when, who, what, which record, and its details (never a CPR number)."""

    id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    record_type: str | None
    record_id: int | None
    details: dict[str, Any]
    remote_addr: str | None

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls(
            id=event.id,
            occurred_at=event.occurred_at,
            actor=event.actor_label,
            action=event.action,
            record_type=event.record_type,
            record_id=event.record_id,
            details=event.details or {},
            remote_addr=event.remote_addr,
        )


@operation(
    "GET",
    "/audit",
    summary="Read the audit log",
    roles=READERS,
    tag="audit",
    query=AuditQuery,
    response=AuditEventOut,
    paged=True,
    response_description="A page of the events the filters admit, the newest first",
)
def list_audit(query: AuditQuery, page: int, per_page: int):
    """422 for a period that ends before it begins. Reading the log is itself audited, once per
    administrator and day."""
    filters = AuditFilter(
        actor=query.actor,
        action=query.action,
        record_type=query.record_type,
        record_id=query.record_id,
        from_day=query.start,
        to_day=query.end,
    )
    found = audit_page(db.session, viewer(), actor(), filters, page, per_page, clock.today())
    return found.mapped(AuditEventOut.of)
