"""Users, their API tokens and the append-only audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamp, UTCDateTime, enum_check, utcnow

if TYPE_CHECKING:
    from .parties import Provider

ROLES = ("procurement", "provider", "finance", "admin")


class User(Base):
    """A person who logs in. A provider user belongs to exactly one provider."""

    __tablename__ = "user"
    __table_args__ = (
        enum_check("role", ROLES, "role"),
        # A provider user is tied to one provider; the municipality's staff to none.
        sa.CheckConstraint(
            "(role = 'provider') = (provider_id IS NOT NULL)", name="provider_iff_provider_role"
        ),
        # Only a provider's own user administers that provider's users (DESIGN.md §1).
        sa.CheckConstraint(
            "role = 'provider' OR NOT manages_users", name="manages_users_only_provider"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The person's persistent identifier from single sign-on (OIOSAML 3's persistent UUID),
    # bound at the first SAML login of a person granted access by e-mail (DESIGN.md §13).
    saml_uuid: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    # A provider's administrator ("provider_admin", DESIGN.md §1): a provider user who may
    # also invite, deactivate and reactivate its own provider's users.
    manages_users: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A staff account with access to participant data, invited and not yet approved by a second
    # person: it stays inactive and gets its invitation only once approved (DESIGN.md §13).
    awaiting_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # The second factor (TOTP, RFC 6238; DESIGN.md §13). The secret is kept encrypted (the key
    # is not in the database); it is enrolled once a code from it has been confirmed.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last time step a code was accepted for: a code works once (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Only the demo's users log in without a second factor, so a newcomer can look around.
    two_factor_exempt: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    provider: Mapped[Provider | None] = relationship()
    invited_by: Mapped[User | None] = relationship(remote_side="User.id")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # The small protocol that session libraries (Flask-Login among them) expect of a user.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(Base):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once. It works
    up to and including its expiry day (Copenhagen), at most a year after it was made."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    # The first characters, to tell tokens apart in lists without revealing them.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_on: Mapped[date]

    user: Mapped[User] = relationship(back_populates="tokens")


class RecoveryCode(Base):
    """One of the ten one-time codes that stand in for the second factor when the phone is lost.
    Only the SHA-256 digest is kept (a code carries 60 random bits and is asked for only after
    the password)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="recovery_codes")


LINK_PURPOSES = ("invitation", "reset")


class Invitation(Base):
    """A one-time link by which a person sets their own password: an invitation to a new
    account, or a password reset. Only the SHA-256 digest of its random token is stored; it
    works once, until it expires (72 hours)."""

    __tablename__ = "invitation"
    __table_args__ = (enum_check("purpose", LINK_PURPOSES, "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SamlAssertion(Base):
    """An assertion single sign-on has let someone in with, kept until it expires so that the
    same assertion posted again is refused (a replay)."""

    __tablename__ = "saml_assertion"

    assertion_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    received_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    not_on_or_after: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ReadMark(Base):
    """That a user read a list of participant data on a day: a read is audited once per user,
    list and day (DESIGN.md §13), not on every page view."""

    __tablename__ = "read_mark"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True)
    # What was read, such as "participants:contract:12" or "report:34".
    subject: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)


class AuditEvent(Base):
    """Who did what to which record, when. Append-only: rows are never updated or deleted."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[Timestamp] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # The actor as text too (an email, "system", "cli"), so the log reads without joins.
    actor_label: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(60))
    record_type: Mapped[str | None] = mapped_column(sa.String(40))
    record_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))

    actor: Mapped[User | None] = relationship()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_changing_the_audit_log(mapper, connection, target):
    raise ValueError("audit events are append-only")
