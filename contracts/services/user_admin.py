"""Who may manage whom (DESIGN.md §1, §13): one place that every page, API call and command of
the users' lifecycle asks.

- `admin` invites the municipality's staff (procurement, finance, admin) and deactivates or
  reactivates anyone but itself, and resets a lost second factor; it never makes a provider's user, so it can never become one.
- `procurement` invites users (and administrators) of any provider, approves staff awaiting a
  second person, and deactivates or reactivates providers' users.
- A provider's administrator (`provider_admin`: a provider user with `manages_users`) does this
  for its own provider's users only; another provider's user is not found, as if it did not
  exist.
- A plain provider user and finance manage nobody.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import User
from ..rules.problems import N_
from . import DomainError, NotFound, second_factor
from .accounts import set_active
from .audit import Actor

STAFF_ROLES = ("procurement", "finance", "admin")
# Staff accounts that read participant data wait for a second person's approval before use.
NEEDS_APPROVAL = ("procurement", "finance")
# Who approves them: procurement, for the municipality's own staff (decided in issue 14).
APPROVERS = ("procurement",)


def is_provider_admin(user: User) -> bool:
    return user.role == "provider" and bool(user.manages_users)


def manages_anyone(user: User) -> bool:
    """Whether the user has a users page at all."""
    return user.role in ("admin", "procurement") or is_provider_admin(user)


def _forbidden() -> DomainError:
    return DomainError(N_("You may not manage users."), status=403)


def check_invite(manager: User, role: str, provider_id: int | None) -> None:
    """Refuse (403, or 404 for another provider) an invitation `manager` may not send."""
    if manager.role == "admin":
        if role not in STAFF_ROLES:
            raise DomainError(
                N_(
                    "An administrator invites only the municipality's staff; a provider's users "
                    "are invited by its administrator or by procurement."
                ),
                "role",
                status=403,
            )
        return
    if manager.role == "procurement":
        if role != "provider":
            raise DomainError(
                N_("Procurement invites providers' users; staff are invited by an administrator."),
                "role",
                status=403,
            )
        return
    if is_provider_admin(manager):
        if role != "provider":
            raise _forbidden()
        if provider_id != manager.provider_id:
            raise NotFound(N_("no such provider"), "provider_id")
        return
    raise _forbidden()


def needs_approval(role: str) -> bool:
    return role in NEEDS_APPROVAL


def check_manage(
    manager: User,
    target: User | None,
    own_refusal: str = N_("You cannot deactivate or reactivate yourself."),
) -> User:
    """The user `manager` may deactivate or reactivate; refuses (403), or 404 where the manager
    may not know that the user exists (another provider's, for a provider's administrator)."""
    if is_provider_admin(manager):
        if target is None or target.provider_id != manager.provider_id:
            raise NotFound(N_("no such user"))
    elif manager.role not in ("admin", "procurement"):
        raise _forbidden()
    if target is None:
        raise NotFound(N_("no such user"))
    if target.id == manager.id:
        raise DomainError(own_refusal, status=403)
    if manager.role == "procurement" and target.role != "provider":
        raise _forbidden()
    return target


def set_user_active(
    session: Session, actor: Actor, manager: User, user_id: int, active: bool
) -> User:
    """Deactivate (sessions and tokens stop at once) or reactivate a user `manager` may manage."""
    user = check_manage(manager, session.get(User, user_id))
    set_active(session, actor, user, active)
    return user


def reset_second_factor(session: Session, actor: Actor, manager: User, user_id: int) -> User:
    """Take away the second factor of a user `manager` may manage (a lost phone): its sessions
    end, and its next password login enrols a new one."""
    user = check_manage(
        manager,
        session.get(User, user_id),
        N_("Your own second factor is changed on your own two-step verification page."),
    )
    if not second_factor.enrolled(user):
        raise DomainError(
            N_("%(email)s has no second factor to reset."), status=409, email=user.email
        )
    second_factor.remove(session, actor, user)
    return user


def check_approve(approver: User, target: User | None) -> User:
    """The staff account awaiting approval that `approver` may approve: never one they invited."""
    if approver.role not in APPROVERS:
        raise _forbidden()
    if target is None or not target.awaiting_approval:
        raise NotFound(N_("no such user awaiting approval"))
    if target.invited_by_id == approver.id:
        raise DomainError(
            N_("Someone other than the person who invited it must approve it."), status=403
        )
    return target


def _managed_users_query(manager: User) -> sa.Select:
    """The users `manager` sees on its users page, by e-mail: staff for admin, providers' users
    for procurement, its own provider's users for a provider's administrator."""
    query = sa.select(User).order_by(User.email)
    if manager.role == "admin":
        return query
    if manager.role == "procurement":
        return query.where(User.role == "provider")
    if is_provider_admin(manager):
        return query.where(User.provider_id == manager.provider_id)
    return query.where(sa.false())


def _awaiting_approval_query() -> sa.Select:
    """Staff accounts waiting for a second person, oldest first."""
    return sa.select(User).where(User.awaiting_approval).order_by(User.created_at, User.id)


def managed_users(session: Session, manager: User) -> list[User]:
    """The users `manager` sees on its users page (`_managed_users_query`)."""
    return list(session.scalars(_managed_users_query(manager)))


def awaiting_approval(session: Session) -> list[User]:
    """Staff accounts waiting for a second person's approval, oldest first."""
    return list(session.scalars(_awaiting_approval_query()))
