"""Who gets a mail about what (DESIGN.md §14): a notification row per event and recipient.

An event is stored in the transaction that caused it, as one INSERT … SELECT of its
recipients that skips those who already have it (the unique event key and user), so raising
an event twice, or running the day's reminders twice, adds nothing. The ids written are kept
in `session.info[WRITTEN]`; the app's mail module sends them once the transaction is committed.
Nothing here knows how a mail is made or sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from ..models import Notification, NotificationOptOut, User
from ..models.base import UTCDateTime

# session.info key: the ids of the notifications this transaction wrote.
WRITTEN = "notifications_written"


@dataclass(frozen=True)
class Kind:
    """A kind of notification: who it is for, and whether they may turn it off."""

    name: str
    roles: tuple[str, ...]
    optional: bool = True


EVERYONE = ("procurement", "provider", "finance", "admin")
KINDS = {
    kind.name: kind
    for kind in (
        Kind("report_due", ("provider",)),
        Kind("report_overdue", ("provider", "procurement")),
        Kind("report_submitted", ("procurement",)),
        Kind("report_accepted", ("provider",)),
        # A rejection asks the provider to act, so it is always sent.
        Kind("report_rejected", ("provider",), optional=False),
        Kind("notice_received", ("procurement",)),
        Kind("invoice_to_attest", ("procurement",)),
        # The day's digest of a month's invoices waiting for attestation (schedule).
        Kind("invoices_to_attest", ("procurement",)),
        Kind("invoice_to_approve", ("finance",)),
        Kind("invoice_returned", ("procurement",)),
        Kind("contract_ending", ("procurement",)),
        Kind("tender_published", ("provider",)),
        # A letter the bidder's rights (the standstill) run from: always sent.
        Kind("award_decision", ("provider",), optional=False),
        Kind("invitation", EVERYONE, optional=False),
        Kind("password_reset", EVERYONE, optional=False),
        # A published tender's material changed, or its deadline moved (issue 18).
        Kind("tender_material_changed", ("provider",)),
        Kind("tender_deadline_moved", ("provider",)),
    )
}
# Mails that carry a one-time link: nobody but their recipient may read them.
LINK_KINDS = frozenset({"invitation", "password_reset"})


def optional_kinds(role: str) -> list[str]:
    """The kinds a user of that role may turn off, in a stable order."""
    return [k.name for k in KINDS.values() if k.optional and role in k.roles]


class json_object(FunctionElement):
    """A JSON object built in SQL from alternating keys and values, for contexts of events
    found by a query (SQLite's json_object, PostgreSQL's json_build_object)."""

    type = sa.JSON()
    inherit_cache = True
    name = "json_object"


@compiles(json_object, "sqlite")
def _json_object_sqlite(element, compiler, **kw):
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "postgresql")
def _json_object_postgresql(element, compiler, **kw):
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


# Recipients: a SELECT of user ids, active users only.


def users_of_provider(provider_id: int | sa.ColumnElement) -> sa.Select:
    return sa.select(User.id).where(User.provider_id == provider_id, User.is_active)


def users_in_role(role: str) -> sa.Select:
    return sa.select(User.id).where(User.role == role, User.is_active)


def one_user(user_id: int) -> sa.Select:
    return sa.select(User.id).where(User.id == user_id)


def notify(
    session: Session,
    kind: str,
    event_key: str,
    recipients: sa.Select,
    context: dict[str, Any],
    at: datetime | None = None,
) -> list[int]:
    """Store the event for each recipient who does not have it yet (and has not turned the
    kind off); returns the new notifications' ids. `at`: when the event happened, if not now."""
    return notify_many(
        session,
        kind,
        recipients.add_columns(
            sa.literal(event_key, sa.String).label("event_key"),
            sa.literal(context, sa.JSON).label("context"),
        ),
        at,
    )


def notify_many(
    session: Session, kind: str, rows: sa.Select, at: datetime | None = None
) -> list[int]:
    """Store one notification per row of `rows`: (user id, event key, context), for events
    found by a query (the day's reminders); skips what is already stored or turned off.
    `at` dates them (the mail's Date) when the event's moment is not now: a step done at a
    given moment, or a day of the demo's story run after the fact."""
    if KINDS[kind].optional:
        user_id = rows.selected_columns[0]
        rows = rows.where(
            ~sa.exists().where(
                NotificationOptOut.user_id == user_id, NotificationOptOut.kind == kind
            )
        )
    # SQLite parses `INSERT … SELECT … ON CONFLICT` only when the SELECT has a WHERE.
    rows = rows.add_columns(sa.literal(kind, sa.String).label("kind")).where(sa.true())
    columns = ["user_id", "event_key", "context", "kind"]
    if at is not None:
        rows = rows.add_columns(sa.literal(at, UTCDateTime()).label("created_at"))
        columns.append("created_at")
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Notification)
        .from_select(columns, rows)
        .on_conflict_do_nothing(index_elements=["event_key", "user_id"])
        .returning(Notification.id)
    )
    ids = list(session.scalars(statement))
    session.info.setdefault(WRITTEN, []).extend(ids)
    return ids


def pending_ids(session: Session, limit: int = 1000) -> list[int]:
    """Notifications not sent yet, oldest first: what a catch-up sends again."""
    return list(
        session.scalars(
            sa.select(Notification.id)
            .where(Notification.sent_at.is_(None))
            .order_by(Notification.id)
            .limit(limit)
        )
    )


def opted_out(session: Session, user_id: int) -> set[str]:
    return set(
        session.scalars(
            sa.select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user_id)
        )
    )


def choose(session: Session, user: User, wanted: set[str]) -> None:
    """Keep the user's optional kinds to those wanted (the settings page)."""
    kinds = optional_kinds(user.role)
    session.execute(sa.delete(NotificationOptOut).where(NotificationOptOut.user_id == user.id))
    session.add_all(
        NotificationOptOut(user_id=user.id, kind=kind) for kind in kinds if kind not in wanted
    )
    session.flush()
