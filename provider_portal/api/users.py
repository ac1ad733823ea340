"""API calls of the users' lifecycle (DESIGN.md §8, §13): invite a user (the person chooses
their own password by the mailed link), deactivate, reactivate, reset a lost second factor.

A provider's user administrator is `"role": "provider_admin"` in JSON, in and out (a provider
user who may manage its own provider's users). Who may manage whom is the domain's
(contracts.services.user_admin): admin invites staff only, procurement any provider's users, a
provider's administrator its own provider's; another provider's user is not found (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from contracts.models import User
from contracts.services import invitations
from contracts.services.user_admin import reset_second_factor, set_user_active

from .. import clock, mail
from ..extensions import db
from ..security import actor, current
from .declare import operation
from .types import Id, Model

MANAGERS = ("admin", "procurement", "provider")
RoleName = Literal["procurement", "provider", "provider_admin", "finance", "admin"]


class UserIn(Model):
    """Whom to invite: a provider's users name their provider (a provider's administrator
    may leave it out: its own)."""

    email: str = Field(min_length=3, max_length=254, examples=["kollega@leverandor.dk"])
    role: RoleName
    provider_id: Id | None = None
    name: str = Field(default="", max_length=200)


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: RoleName
    provider_id: int | None
    is_active: bool
    awaiting_approval: bool = Field(
        description="A staff account waiting for a second person's approval before it is invited"
    )
    two_factor: bool = Field(description="Two-step verification (TOTP) is set up")
    created_at: dt.datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            role="provider_admin" if user.manages_users else user.role,
            provider_id=user.provider_id,
            is_active=user.is_active,
            awaiting_approval=user.awaiting_approval,
            two_factor=user.totp_enabled_at is not None,
            created_at=user.created_at,
        )


@operation(
    "POST",
    "/users",
    summary="Invite a user",
    roles=MANAGERS,
    tag="users",
    body=UserIn,
    response=UserOut,
    status=201,
    response_description="Invited: a one-time link valid 72 hours is mailed (a procurement or "
    "finance account first waits for a second person's approval)",
    extra_errors=(403, 404, 409),
)
def invite_user(body: UserIn):
    """403 where the caller may not invite this role; 404 for another provider's id (a
    provider's administrator); 409 for an e-mail that has a user already."""
    role = "provider" if body.role == "provider_admin" else body.role
    invited = invitations.invite(
        db.session,
        actor(),
        current(),
        body.email,
        role,
        body.provider_id,
        body.name,
        body.role == "provider_admin",
        clock.now(),
    )
    if invited.token is not None:
        mail.send_link(invited.user, invited.token, "invitation")
    return UserOut.of(invited.user)


@operation(
    "POST",
    "/users/<int:user_id>/deactivate",
    summary="Deactivate a user",
    roles=MANAGERS,
    tag="users",
    response=UserOut,
    response_description="Deactivated: the user's sessions and API tokens stopped at once",
    extra_errors=(403, 404),
)
def deactivate_user(user_id: int):
    """Nobody deactivates themselves (403); another provider's user is not found (404)."""
    return UserOut.of(set_user_active(db.session, actor(), current(), user_id, False))


@operation(
    "POST",
    "/users/<int:user_id>/reactivate",
    summary="Reactivate a user",
    roles=MANAGERS,
    tag="users",
    response=UserOut,
    response_description="Active again (a staff account awaiting approval is approved instead)",
    extra_errors=(403, 404, 409),
)
def reactivate_user(user_id: int):
    """409 for an account awaiting approval; another provider's user is not found (404)."""
    return UserOut.of(set_user_active(db.session, actor(), current(), user_id, True))


@operation(
    "POST",
    "/users/<int:user_id>/second-factor/reset",
    summary="Reset a user's second factor",
    roles=MANAGERS,
    tag="users",
    response=UserOut,
    response_description="Reset (a lost phone): the user's sessions ended, and the next login "
    "sets up a new second factor",
    extra_errors=(403, 404, 409),
)
def reset_user_second_factor(user_id: int):
    """403 for one's own (changed on one's own page); 404 for another provider's user; 409 when
    the user has no second factor."""
    return UserOut.of(reset_second_factor(db.session, actor(), current(), user_id))
