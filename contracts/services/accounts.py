"""Users, passwords and personal API tokens.

Passwords are hashed with argon2id (services.passwords); tokens are random and only their SHA-256
digest is kept (a token has 256 bits of entropy, so a fast digest is safe and lets a lookup use
an index).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import ROLES, ApiToken, Provider, User, utcnow
from ..rules.periods import COPENHAGEN
from ..rules.problems import N_
from . import DomainError
from .audit import Actor, record
from .passwords import hash_password, matches
from .sessions import end_all

TOKEN_PREFIX = "pp_"  # nosec B105 # the tokens' visible prefix, not a secret
MIN_PASSWORD_LENGTH = 10
# Verified against when the email is unknown, so a wrong email costs as much time as a wrong
# password and does not reveal which accounts exist.
_DUMMY_HASH = hash_password("not-a-real-password")


def check_password(user: User | None, password: str) -> bool:
    """True when the password is the user's; constant work whether or not the user exists."""
    right = matches(user.password_hash if user else _DUMMY_HASH, password)
    return right and bool(user and user.is_active)


def find_user(session: Session, email: str) -> User | None:
    """The user with this email, compared case-insensitively."""
    return session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))


def check_new_user(session: Session, email: str, role: str, provider_id: int | None) -> str:
    """The normalised e-mail of a new user, or DomainError: a known role, an e-mail address not
    taken, and a provider for a provider user only."""
    email = email.strip().lower()
    if role not in ROLES:
        raise DomainError(
            N_("unknown role '%(role)s'; use one of %(roles)s"),
            "role",
            role=role,
            roles=", ".join(ROLES),
        )
    if "@" not in email:
        raise DomainError(N_("an email address is needed"), "email")
    if role == "provider":
        if provider_id is None or session.get(Provider, provider_id) is None:
            raise DomainError(N_("a provider user needs an existing provider"), "provider_id")
    elif provider_id is not None:
        raise DomainError(N_("only provider users belong to a provider"), "provider_id")
    if find_user(session, email) is not None:
        raise DomainError(
            N_("a user with the email %(email)s exists already"), "email", status=409, email=email
        )
    return email


def check_password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            N_("the password must have at least %(count)s characters"),
            "password",
            count=MIN_PASSWORD_LENGTH,
        )


def create_user(
    session: Session,
    actor: Actor,
    email: str,
    role: str,
    password: str,
    provider_id: int | None = None,
    name: str = "",
) -> User:
    """Create a user with a password (the command line and the demo; pages and the API invite,
    contracts.services.invitations); a provider user must name an existing provider."""
    email = check_new_user(session, email, role, provider_id)
    check_password_length(password)
    user = User(
        email=email,
        role=role,
        provider_id=provider_id,
        name=name,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.created", "user", user.id, email=email, role=role)
    return user


def set_active(session: Session, actor: Actor, user: User, active: bool) -> bool:
    """Deactivate or reactivate a user; returns whether anything changed. A deactivated user's
    sessions end at once and its API tokens stop working (user_for_token). A staff account
    awaiting approval is reactivated only by its approval."""
    if user.awaiting_approval and active:
        raise DomainError(N_("The account awaits approval by a second person."), status=409)
    if user.is_active == active:
        return False
    user.is_active = active
    record(
        session,
        actor,
        "user.reactivated" if active else "user.deactivated",
        "user",
        user.id,
        email=user.email,
    )
    if not active:
        end_all(session, actor, user.id, "deactivated")
    return True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A token works up to its expiry day: 90 days unless its owner chooses, a year at most.
TOKEN_DAYS = 90
TOKEN_MOST_DAYS = 366
TOKEN_NAME_MOST = 100


def _copenhagen_today() -> date:
    return utcnow().astimezone(COPENHAGEN).date()


def create_token(
    session: Session,
    actor: Actor,
    user: User,
    name: str = "",
    expires_on: date | None = None,
    today: date | None = None,
) -> tuple[ApiToken, str]:
    """Make a personal API token working up to `expires_on` (by default 90 days from `today`);
    returns the row and the token, which is shown only now. Raises DomainError (422) for an
    expiry not after today or more than a year away, or a name longer than 100 characters."""
    today = today or _copenhagen_today()
    expires_on = expires_on or today + timedelta(days=TOKEN_DAYS)
    if not today < expires_on <= today + timedelta(days=TOKEN_MOST_DAYS):
        raise DomainError(
            N_("A token expires after today and at most a year from today (by %(last)s)."),
            "expires_on",
            last=today + timedelta(days=TOKEN_MOST_DAYS),
        )
    name = (name or "").strip()
    if len(name) > TOKEN_NAME_MOST:
        raise DomainError(
            N_("Give the token a name of at most %(most)s characters."),
            "name",
            most=TOKEN_NAME_MOST,
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name,
        prefix=token[:10],
        token_hash=_digest(token),
        expires_on=expires_on,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "token.created",
        "api_token",
        row.id,
        user_id=user.id,
        prefix=row.prefix,
        name=name,
        expires_on=expires_on.isoformat(),
    )
    return row, token


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def user_for_token(session: Session, token: str, today: date | None = None) -> User | None:
    """The active user a bearer token belongs to, or None (unknown, revoked, expired before
    `today`, or its user deactivated); notes when the token was used."""
    row = session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == _digest(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_on >= (today or _copenhagen_today()),
        )
    )
    if row is None or not row.user.is_active:
        return None
    now = utcnow()
    # To the minute: an admin reads "used today", and a busy client does not write on every call.
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION:
        row.last_used_at = now
    return row.user


def own_tokens_query(user: User) -> sa.Select:
    """The user's tokens, newest first, revoked and expired ones too (they say so)."""
    return (
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )


def own_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, as `own_tokens_query` lists them."""
    return list(session.scalars(own_tokens_query(user)))


def revoke_token(session: Session, actor: Actor, token_id: int, owner: User | None = None) -> None:
    """Revoke a token; it stops working at once. With `owner`, only that user's own token (any
    other is not found: a user does not learn which tokens others have)."""
    row = session.get(ApiToken, token_id)
    if row is None or (owner is not None and row.user_id != owner.id):
        raise DomainError(N_("no such token"), status=404)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(session, actor, "token.revoked", "api_token", row.id, prefix=row.prefix)


def any_exempt(session: Session) -> bool:
    """Whether the demo's users are here (they log in without a second factor, and the login
    page says so)."""
    return session.scalar(sa.select(sa.exists().where(User.two_factor_exempt, User.is_active)))
