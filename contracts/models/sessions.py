"""Sessions of logged-in people, kept on the server so that logging out ends them for good."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamp, UTCDateTime, enum_check
from .people import User

# Why a session ended (DESIGN.md §13): logged out, idle or too old, its user deactivated or
# given a new password or a reset second factor, used from another address or browser, or replaced by a new login.
END_REASONS = (
    "logout",
    "idle",
    "expired",
    "deactivated",
    "password_changed",
    "moved",
    "replaced",
    "factor_reset",
)


class LoginSession(Base):
    """One login in a browser. The browser's cookie holds a random id; only its SHA-256 digest
    is kept here, so the table read by someone else opens no session."""

    __tablename__ = "login_session"
    __table_args__ = (enum_check("ended_reason", END_REASONS, "ended_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[Timestamp]
    last_seen_at: Mapped[Timestamp]
    # When the person last proved who they are (the login, or the password asked again).
    last_reauth_at: Mapped[Timestamp]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(sa.String(20))
    # Digests of the address and browser the session is bound to, and of the password hash it
    # began under: a session used from elsewhere, or outliving a password change, ends.
    binding: Mapped[str] = mapped_column(sa.String(64))
    password_stamp: Mapped[str] = mapped_column(sa.String(64))
    # Where the login came from, for the audit log only.
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))

    user: Mapped[User] = relationship()
