"""Invitations and password resets: one-time links by which a person sets their own password
(DESIGN.md §13). Nobody chooses another person's password.

A link carries 32 random bytes; only their SHA-256 digest is stored. It works once, for 72
hours; a newer link of the same purpose voids the older ones. A staff account with access to
participant data (procurement, finance) is made inactive and awaiting approval: its invitation
is made only when a second person approves it (contracts.services.user_admin decides who).
The edge mails the link after the commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Invitation, User
from ..models.base import real_utcnow
from ..rules.problems import N_
from . import DomainError
from .accounts import check_new_user, check_password_length, find_user
from .audit import Actor, record
from .passwords import hash_password
from .sessions import digest, end_all
from .user_admin import check_approve, check_invite, is_provider_admin, needs_approval

VALID = timedelta(hours=72)


@dataclass(frozen=True)
class Invited:
    """The new user and the link's token to mail, or None while the account awaits approval."""

    user: User
    token: str | None


def issue_link(
    session: Session, actor: Actor, user: User, purpose: str, now: datetime | None = None
) -> str:
    """A new one-time link for `user` (an invitation or a reset); returns its token, which only
    the mail carries. Older unused links of the purpose stop working."""
    now = now or real_utcnow()
    session.execute(
        sa.update(Invitation)
        .where(
            Invitation.user_id == user.id,
            Invitation.purpose == purpose,
            Invitation.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    token = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            user_id=user.id,
            purpose=purpose,
            token_hash=digest(token),
            created_at=now,
            expires_at=now + VALID,
            created_by_id=actor.user_id,
        )
    )
    session.flush()
    return token


def invite(
    session: Session,
    actor: Actor,
    manager: User,
    email: str,
    role: str,
    provider_id: int | None = None,
    name: str = "",
    manages_users: bool = False,
    now: datetime | None = None,
) -> Invited:
    """Invite a new user on `manager`'s behalf; refused (403/404) where user_admin says so.
    The account has no password until its owner follows the link."""
    if role == "provider" and is_provider_admin(manager) and provider_id is None:
        provider_id = manager.provider_id
    check_invite(manager, role, provider_id)
    email = check_new_user(session, email, role, provider_id)
    pending = needs_approval(role)
    user = User(
        email=email,
        role=role,
        provider_id=provider_id,
        name=(name or "").strip(),
        password_hash="",  # nosec B106 # no password works until the owner chooses one
        manages_users=bool(manages_users) and role == "provider",
        is_active=not pending,
        awaiting_approval=pending,
        invited_by_id=manager.id,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor,
        "user.invited",
        "user",
        user.id,
        email=email,
        role=role,
        provider_id=provider_id,
        manages_users=user.manages_users,
        awaiting_approval=pending,
    )
    token = None if pending else issue_link(session, actor, user, "invitation", now)
    return Invited(user, token)


def approve(
    session: Session, actor: Actor, approver: User, user_id: int, now: datetime | None = None
) -> Invited:
    """A second person approves a staff account: it becomes active and gets its invitation."""
    user = check_approve(approver, session.get(User, user_id))
    user.awaiting_approval = False
    user.is_active = True
    record(
        session,
        actor,
        "user.approved",
        "user",
        user.id,
        email=user.email,
        role=user.role,
        invited_by=user.invited_by_id,
    )
    return Invited(user, issue_link(session, actor, user, "invitation", now))


def decline(session: Session, actor: Actor, approver: User, user_id: int) -> User:
    """A second person declines a staff account: it stays inactive and is never invited
    (an administrator may reactivate it later only by inviting anew)."""
    user = check_approve(approver, session.get(User, user_id))
    user.awaiting_approval = False
    record(
        session,
        actor,
        "user.declined",
        "user",
        user.id,
        email=user.email,
        role=user.role,
        invited_by=user.invited_by_id,
    )
    return user


def find_link(session: Session, token: str, now: datetime | None = None) -> Invitation | None:
    """The unused, unexpired link of this token whose user may log in, or None."""
    now = now or real_utcnow()
    link = session.scalar(sa.select(Invitation).where(Invitation.token_hash == digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    if not link.user.is_active:
        return None
    return link


def use_link(
    session: Session,
    token: str,
    password: str,
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> User:
    """Set the password the person chose through the link, once; the user's sessions end (a
    reset after a stolen password shuts the thief out)."""
    now = now or real_utcnow()
    link = find_link(session, token, now)
    if link is None:
        raise DomainError(N_("This link has expired or has been used."), "token", status=404)
    check_password_length(password)
    user = link.user
    user.password_hash = hash_password(password)
    link.used_at = now
    actor = Actor(user.email, user.id, remote_addr)
    end_all(session, actor, user.id, "password_changed")
    record(session, actor, "user.password_set", "user", user.id, purpose=link.purpose)
    return user


def request_reset(
    session: Session, email: str, remote_addr: str | None = None, now: datetime | None = None
) -> tuple[User, str] | None:
    """A reset link for the active user of this e-mail, or None; the edge answers alike either
    way, so the answer never says whether the e-mail is known."""
    user = find_user(session, email or "")
    if user is None or not user.is_active:
        return None
    # Whoever asked is not known to be the user: the request is anonymous in the audit log.
    actor = Actor("anonymous", None, remote_addr)
    token = issue_link(session, actor, user, "reset", now)
    record(session, actor, "user.reset_requested", "user", user.id)
    return user, token
