"""Users' lifecycle fixtures: the demo's clients per role, and the mails in the outbox."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa

from contracts.models import User
from tests.conftest import csrf_token
from tests.web.conftest import client_as, demo_app  # noqa: F401

LINK = re.compile(r"https?://[^\s\"<>]+/password/set\?token=[\w-]+")


def mails(app) -> list[EmailMessage]:
    """The outbox's mails, oldest first."""
    folder = Path(app.config["OUTBOX_DIR"])
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def link_in(message: EmailMessage) -> str:
    """The one-time link of a mail, as a path with its query (for the test client)."""
    text = message.get_body(("plain",)).get_content()
    found = LINK.search(text)
    assert found, text
    return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]


def user(app, email_address: str) -> User:
    from provider_portal.extensions import db

    with app.app_context():
        found = db.session.scalar(sa.select(User).where(User.email == email_address))
        db.session.expunge_all()
    return found


NEW_PASSWORD = "my-own-chosen-password"


def choose_password(client, link: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    page = client.get(link)
    if page.status_code != 200:
        return page
    return client.post(
        link,
        data={
            "password": password,
            "repeat": password if repeat is None else repeat,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
