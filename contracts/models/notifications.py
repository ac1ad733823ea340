"""Notifications: one row per event and recipient, so a mail is sent at most once (DESIGN.md §14)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamp, UTCDateTime, utcnow


class Notification(Base):
    """A mail owed to one user about one event. `event_key` names the event (kind and domain
    keys, such as `report-rejected-12`); with the user it is unique, so raising the same event
    again, or running the same reminder twice, adds nothing. `context` holds the plain values
    the mail's template needs, fixed when the event happened. Pending until `sent_at` is set."""

    __tablename__ = "notification"
    __table_args__ = (sa.UniqueConstraint("event_key", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    event_key: Mapped[str] = mapped_column(sa.String(200))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    context: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class NotificationOptOut(Base):
    """A kind of optional notification a user has chosen not to get."""

    __tablename__ = "notification_opt_out"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
