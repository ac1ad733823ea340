"""Server-side sessions (DESIGN.md §13): a row per login, checked on every request.

A session ends when its person logs out, after 30 minutes without a request or 12 hours after
the login, when its user is deactivated or gets a new password, and when it is used from
another address or browser than the one it began in. An ended session never comes back: the
cookie of a copied session is worth nothing once the session is over.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..models import LoginSession, User
from ..models.base import real_utcnow
from .audit import Actor, record

IDLE = timedelta(minutes=30)
MOST = timedelta(hours=12)
# Approving invoices, referring citizens and managing users ask again after this long.
FRESH = timedelta(minutes=5)
# last_seen_at is written at most once a minute, not on every request.
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Limits:
    """How long a session lives: without a request, and at most."""

    idle: timedelta = IDLE
    most: timedelta = MOST


@dataclass(frozen=True)
class Resumed:
    """The outcome of a request's session id: the live session, or why there is none (an
    unknown or already ended id gives neither)."""

    row: LoginSession | None = None
    ended_reason: str | None = None


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def password_stamp(user: User) -> str:
    """A digest of the user's password hash: a session begun under another hash is over."""
    return digest(user.password_hash or "")


def begin(
    session: Session, user: User, binding: str, remote_addr: str | None, now: datetime | None = None
) -> str:
    """Start a session for `user`, bound to `binding` (a digest of where it is used); returns
    its id, 32 random bytes, which only the browser keeps."""
    now = now or real_utcnow()
    session_id = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            id_hash=digest(session_id),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            last_reauth_at=now,
            binding=binding,
            password_stamp=password_stamp(user),
            remote_addr=remote_addr,
        )
    )
    session.flush()
    return session_id


def find(session: Session, session_id: str) -> LoginSession | None:
    """The session of this id, live or ended, with its user and the user's provider: every
    request reads all three, and one statement costs less than three."""
    return session.scalar(
        sa.select(LoginSession)
        .where(LoginSession.id_hash == digest(session_id))
        .options(joinedload(LoginSession.user).joinedload(User.provider))
    )


def _why_over(row: LoginSession, binding: str, now: datetime, limits: Limits) -> str | None:
    user = row.user
    if not user.is_active:
        return "deactivated"
    if row.password_stamp != password_stamp(user):
        return "password_changed"
    if now - row.created_at > limits.most:
        return "expired"
    if now - row.last_seen_at > limits.idle:
        return "idle"
    if row.binding != binding:
        return "moved"
    return None


def resume(
    session: Session,
    session_id: str,
    binding: str,
    remote_addr: str | None,
    limits: Limits = Limits(),
    now: datetime | None = None,
) -> Resumed:
    """The live session of this id, noting that it was used; or, when it is over by now, end
    it and say why."""
    now = now or real_utcnow()
    row = find(session, session_id)
    if row is None or row.ended_at is not None:
        return Resumed()
    reason = _why_over(row, binding, now, limits)
    if reason is not None:
        end(session, row, reason, remote_addr, now)
        return Resumed(ended_reason=reason)
    if now - row.last_seen_at >= SEEN_RESOLUTION:
        row.last_seen_at = now
    return Resumed(row=row)


def end(
    session: Session,
    row: LoginSession,
    reason: str,
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> None:
    """End one session, audited as session.ended with the reason."""
    if row.ended_at is not None:
        return
    row.ended_at = now or real_utcnow()
    row.ended_reason = reason
    user = row.user
    record(
        session,
        Actor(user.email, user.id, remote_addr),
        "session.ended",
        "user",
        user.id,
        login_session=row.id,
        reason=reason,
    )


def end_all(session: Session, actor: Actor, user_id: int, reason: str) -> int:
    """End every live session of a user at once (deactivated, a new password); returns how many,
    audited as one session.ended event naming them."""
    live = sa.and_(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    ids = list(session.scalars(sa.select(LoginSession.id).where(live)))
    if not ids:
        return 0
    session.execute(
        sa.update(LoginSession)
        .where(live, LoginSession.id.in_(ids))
        .values(ended_at=real_utcnow(), ended_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    record(session, actor, "session.ended", "user", user_id, login_sessions=ids, reason=reason)
    return len(ids)


def is_fresh(row: LoginSession, now: datetime | None = None, within: timedelta = FRESH) -> bool:
    """True when the person proved who they are within `within` (5 minutes)."""
    return (now or real_utcnow()) - row.last_reauth_at <= within


def confirmed(session: Session, row: LoginSession, remote_addr: str | None) -> None:
    """The person gave their password again: sensitive actions are open for 5 minutes."""
    row.last_reauth_at = real_utcnow()
    user = row.user
    record(session, Actor(user.email, user.id, remote_addr), "reauth.succeeded", "user", user.id)
