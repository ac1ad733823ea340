"""Audited reads at the edge: a page or API call that shows participant data says so here."""

from __future__ import annotations

from typing import Any

from contracts.services import audit

from . import clock
from .extensions import db
from .security import actor


def participants_read(
    page: str, record_type: str | None, record_id: int | None, part: str = "", **details: Any
) -> None:
    """Audit that this request showed participants (GDPR art. 10 data), once per user, list and
    day (DESIGN.md §13); `part` tells lists of one record apart (a report's month)."""
    audit.participants_read(
        db.session, actor(), page, record_type, record_id, clock.now(), part, **details
    )
