"""The second factor for password accounts (DESIGN.md §13): TOTP codes (RFC 6238: 6 digits,
30 seconds) from an authenticator app, and ten one-time recovery codes for a lost phone.

The TOTP secret is kept encrypted with a key that is not in the database (`SecretBox`), so a
copy of the database alone makes no codes. A code works once: the time step it was accepted for
is remembered, and a code of that step or an earlier one is refused (RFC 6238 §5.2). One step
either side is accepted for a phone's clock that is a little off.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime

import pyotp
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.orm import Session

from ..models import RecoveryCode, User
from ..models.base import real_utcnow
from ..rules.problems import N_
from . import DomainError
from .audit import Actor, record
from .sessions import end_all

RECOVERY_CODES = 10
# 12 characters of base32: 60 random bits, written as two groups of six.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12
STEP_SECONDS = 30
# The codes a phone a little fast or slow shows are accepted: one step either side.
WINDOW = 1


class SecretBox:
    """Encrypts and decrypts TOTP secrets with the installation's key (a Fernet key)."""

    def __init__(self, key: str | bytes):
        self._fernet = Fernet(key)

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("ascii")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            # The key changed (or the row was altered): the person enrols again.
            raise DomainError(
                N_("The second factor cannot be read; ask to have it reset."), status=409
            ) from error


def new_key() -> str:
    """A new key for `SecretBox`."""
    return Fernet.generate_key().decode("ascii")


def required(user: User, roles: Collection[str]) -> bool:
    """Whether the user must give a second factor with the password: its role is one of
    `roles` (TWO_FACTOR_ROLES) and it is not one of the demo's users."""
    return user.role in roles and not user.two_factor_exempt


def enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None


def must_enrol(user: User, roles: Collection[str]) -> bool:
    """A password account that needs the second factor and has none yet."""
    return required(user, roles) and not enrolled(user)


def begin_enrolment(user: User, box: SecretBox) -> str:
    """The secret the person is enrolling (a new one unless enrolment has begun and not been
    confirmed); kept sealed on the user until a code from it is confirmed."""
    if enrolled(user):
        raise DomainError(N_("The second factor is set up already."), status=409)
    if user.totp_secret:
        try:
            return box.open(user.totp_secret)
        except DomainError:
            pass  # sealed with an old key: start over
    secret = pyotp.random_base32()
    user.totp_secret = box.seal(secret)
    return secret


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


def _accept_totp(user: User, box: SecretBox, code: str, now: datetime) -> bool:
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    step = _matching_step(box.open(user.totp_secret), code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def confirm_enrolment(
    session: Session,
    actor: Actor,
    user: User,
    code: str,
    box: SecretBox,
    now: datetime | None = None,
) -> list[str]:
    """Enrol the secret begun when `code` is one of its codes; returns the ten recovery codes,
    shown only now. A wrong code raises DomainError (422) and changes nothing."""
    if enrolled(user):
        raise DomainError(N_("The second factor is set up already."), status=409)
    if not user.totp_secret or not _accept_totp(user, box, _digits(code), now or real_utcnow()):
        raise DomainError(N_("The code is not right. Type the 6 digits the app shows now."), "code")
    user.totp_enabled_at = now or real_utcnow()
    record(session, actor, "second_factor.enrolled", "user", user.id)
    return _replace_recovery_codes(session, user)


def _code_digest(code: str) -> str:
    normal = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:6]}-{raw[6:]}")
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_digest(c)) for c in codes)
    session.flush()
    return codes


def new_recovery_codes(session: Session, actor: Actor, user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not enrolled(user):
        raise DomainError(N_("Set up the second factor first."), status=409)
    record(session, actor, "second_factor.recovery_codes_replaced", "user", user.id)
    return _replace_recovery_codes(session, user)


def recovery_codes_left(session: Session, user: User) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def verify(
    session: Session,
    actor: Actor,
    user: User,
    code: str,
    box: SecretBox,
    now: datetime | None = None,
) -> bool:
    """Whether `code` is the enrolled user's second factor now: a TOTP code not used before, or
    an unused recovery code (used up by this)."""
    if not enrolled(user):
        return False
    now = now or real_utcnow()
    code = (code or "").strip()
    if _accept_totp(user, box, _digits(code), now):
        return True
    if len(code) > 20:
        return False
    row = session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = now
    record(session, actor, "second_factor.recovery_code_used", "user", user.id)
    return True


def remove(session: Session, actor: Actor, user: User, reason: str = "second_factor.reset") -> None:
    """Take the user's second factor away (an administrator's reset, or the person's own choice
    where it is not required): the next password login enrols again. The user's sessions end,
    so whoever holds the lost phone's session is out too."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(session, actor, reason, "user", user.id, email=user.email)
    end_all(session, actor, user.id, "factor_reset")
