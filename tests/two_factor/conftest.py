"""The second factor's fixtures: apps that ask for it (the default, every role), a provider
user, and the person's authenticator app, which reads the key from the enrolment page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyotp
import pytest
import sqlalchemy as sa

from contracts.models import ROLES, AuditEvent, User
from tests.conftest import TEST_PASSWORD, csrf_token, login
from tests.saml.conftest import idp, key_dirs, people, saml_app  # noqa: F401
from tests.web.conftest import client_as, demo_app  # noqa: F401

EMAIL = "koordinator@example.dk"


@pytest.fixture
def two_factor_app(any_app):
    """An app on both databases with the production default: every role gives a second factor."""
    any_app.config["TWO_FACTOR_ROLES"] = ROLES
    return any_app


@pytest.fixture
def tf_app(app):
    """The same on SQLite alone, for the tests about pages and throttles."""
    app.config["TWO_FACTOR_ROLES"] = ROLES
    return app


def add_person(flask_app, make_user, make_provider, email: str = EMAIL, manages: bool = False):
    """A provider's coordinator with a password and no second factor yet."""
    from provider_portal.extensions import db

    with flask_app.app_context():
        provider = make_provider(db.session)
        user = make_user(db.session, email, "provider", provider.id)
        user.manages_users = manages
        db.session.commit()
        return provider.id


@pytest.fixture
def person(tf_app, make_user, make_provider) -> str:
    add_person(tf_app, make_user, make_provider)
    return EMAIL


@dataclass
class App:
    """The person's authenticator app: the key read from the QR code's text, and the codes."""

    secret: str
    recovery_codes: list[str] = field(default_factory=list)

    def code(self, steps: int = 0) -> str:
        """The code the app shows now, or `steps` times 30 seconds from now."""
        return pyotp.TOTP(self.secret).at(datetime.now(UTC), counter_offset=steps)


def enrol(client) -> App:
    """Set up the second factor through the pages, as a person with a phone would. The app's
    previous code confirms it (still accepted), so the tests' logins right after have codes of
    their own: a code is never accepted twice."""
    page = client.get("/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    app = App(secret)
    answer = client.post(
        "/two-factor", data={"code": app.code(steps=-1), "csrf_token": csrf_token(page)}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    app.recovery_codes = re.findall(
        r"<li><code>([a-z0-9-]+)</code></li>", answer.get_data(as_text=True)
    )
    return app


def give_code(client, code: str):
    page = client.get("/login/code").get_data(as_text=True)
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_token(page)})


def log_in_fully(client, email: str, app: App, steps: int = 0):
    """Password, then the code."""
    answer = login(client, email)
    assert answer.headers["Location"].endswith("/login/code")
    return give_code(client, app.code(steps))


def events(flask_app, action: str) -> list[AuditEvent]:
    from provider_portal.extensions import db

    with flask_app.app_context():
        found = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
    return found


def stored_user(flask_app, email: str) -> User:
    from provider_portal.extensions import db

    with flask_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.expunge(user)
    return user


__all__ = [
    "EMAIL",
    "TEST_PASSWORD",
    "App",
    "add_person",
    "enrol",
    "events",
    "give_code",
    "log_in_fully",
    "stored_user",
]
