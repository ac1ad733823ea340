"""The outbox: with no MAIL_SERVER each mail is written as an .eml file in `instance/outbox/`
(or OUTBOX_DIR), where the demo and the admin's outbox page read them."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend

from contracts.services.notifications import KINDS, LINK_KINDS

# The header naming a mail's kind; the outbox page shows only the kinds it knows and that
# carry no one-time link.
KIND_HEADER = "X-Portal-Notification"
NAME = re.compile(r"^[0-9T]+-[0-9a-f]{8}\.eml$")


def folder() -> Path:
    """The folder the mails are written to (made when missing)."""
    path = Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


class OutboxBackend(BaseEmailBackend):
    """A Flask-Mailman backend writing one .eml file per message."""

    def send_messages(self, messages) -> int:
        for message in messages:
            # Named by the mail's Date (UTC), so the outbox lists the demo's story in its order.
            dated = message.extra_headers.get("Date")
            moment = parsedate_to_datetime(dated) if dated else datetime.now(UTC)
            stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = folder() / f"{stamp}-{secrets.token_hex(4)}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(messages)


@dataclass(frozen=True)
class Stored:
    name: str
    message: EmailMessage

    @property
    def kind(self) -> str:
        return str(self.message[KIND_HEADER] or "")

    @property
    def dated(self) -> datetime | None:
        """The mail's Date (in the demo, its day of the story), for the pages to show."""
        dated = self.message["Date"]
        return parsedate_to_datetime(str(dated)) if dated else None


def _readable(message: EmailMessage) -> bool:
    kind = str(message[KIND_HEADER] or "")
    return kind in KINDS and kind not in LINK_KINDS


def _read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def listing() -> list[Stored]:
    """The outbox's mails an admin may read, newest first (never a one-time link's)."""
    found = [Stored(p.name, _read(p)) for p in sorted(folder().glob("*.eml"), reverse=True)]
    return [mail for mail in found if _readable(mail.message)]


def one(name: str) -> Stored | None:
    """One mail by its file name, when it is one an admin may read."""
    if not NAME.match(name):
        return None
    path = folder() / name
    if not path.is_file():
        return None
    message = _read(path)
    return Stored(name, message) if _readable(message) else None
