"""The second factor at the edge: the installation's key, who must give it, and the login that
waits for its code between the password and the session (DESIGN.md §13).

After the right password, an enrolled person's login is pending: the Flask session holds only
who and since when, for five minutes, and no session row exists until the code is right. A
password account that must have a second factor and has none gets its session, but the gate
(security.py) lets it reach nothing but the enrolment page until it is done. Single sign-on
sessions are not asked: MitID Erhverv and the municipality's identity provider give their own
factors.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import current_app, session

from contracts.models import User
from contracts.services import second_factor
from contracts.services.second_factor import SecretBox

from .extensions import db

PENDING_KEY = "_pending_login"
# How long the code may come after the password.
PENDING_SECONDS = 300
KEY_FILE = "two_factor_key"


def box() -> SecretBox:
    """The installation's SecretBox: TWO_FACTOR_KEY, else the key file in the instance folder,
    made (readable by the portal's user alone) the first time it is needed."""
    key = current_app.config.get("TWO_FACTOR_KEY")
    if not key:
        path = Path(current_app.instance_path) / KEY_FILE
        if not path.exists():
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it first
            else:
                with os.fdopen(descriptor, "w", encoding="ascii") as file:
                    file.write(second_factor.new_key())
        key = path.read_text(encoding="ascii").strip()
        current_app.config["TWO_FACTOR_KEY"] = key
    return SecretBox(key)


def roles() -> tuple[str, ...]:
    return current_app.config["TWO_FACTOR_ROLES"]


def is_required(user: User) -> bool:
    return second_factor.required(user, roles())


def must_enrol_now(user: User) -> bool:
    """A password session whose person must enrol before anything else."""
    return not session.get("saml") and second_factor.must_enrol(user, roles())


def await_code(user: User, target: str | None) -> None:
    """The password was right; the login waits for the code."""
    session[PENDING_KEY] = {"user": user.id, "at": int(time.time()), "next": target}


def pending() -> tuple[User, str | None] | None:
    """The person whose code the login waits for, and where they were going; None when there
    is none or it is more than five minutes old."""
    waiting = session.get(PENDING_KEY)
    if not isinstance(waiting, dict) or time.time() - waiting.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, waiting.get("user"))
    if user is None or not user.is_active or not second_factor.enrolled(user):
        session.pop(PENDING_KEY, None)
        return None
    return user, waiting.get("next")


def forget_pending() -> None:
    session.pop(PENDING_KEY, None)
