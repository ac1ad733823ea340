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
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import current_app
from flask_mailman.backends.base import BaseEmailBackend

from contracts.services.notifications import KINDS, LINK_KINDS

# The header naming a mail's kind; the outbox page shows only the kinds it knows and that
# carry no one-time link.
KIND_HEADER = "X-Portal-Notification"
# A mail's file: its Date, a random part and (since issue 15) its kind, so the outbox page
# leaves the one-time links out by name alone; mails stored before carry no kind and are read.
NAME = re.compile(r"^[0-9T]+-[0-9a-f]{8}(?:-(?P<kind>[a-z_]+))?\.eml$")
PER_PAGE = 50


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
            kind = str(message.extra_headers.get(KIND_HEADER) or "")
            named = f"-{kind}" if re.fullmatch(r"[a-z_]+", kind) else ""
            path = folder() / f"{stamp}-{secrets.token_hex(4)}{named}.eml"
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


@dataclass(frozen=True)
class Page:
    """One page of the outbox: its mails, its number and how many pages there are."""

    mails: list[Stored]
    page: int
    pages: int


def _readable_kind(kind: str) -> bool:
    return kind in KINDS and kind not in LINK_KINDS


def _readable(message: EmailMessage) -> bool:
    return _readable_kind(str(message[KIND_HEADER] or ""))


def _listed(path: Path) -> bool:
    """Whether the mail is one an admin may read: by its name, or (stored before the names
    carried the kind) by its headers alone."""
    named = NAME.match(path.name)
    if named is None:
        return False
    if named["kind"]:
        return _readable_kind(named["kind"])
    with path.open("rb") as stored:
        headers = BytesHeaderParser(policy=email.policy.default).parse(stored)
    return _readable_kind(str(headers[KIND_HEADER] or ""))


def _read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def listing(page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of the outbox's mails an admin may read, newest first (never a one-time link's);
    only the shown page's files are read whole. A page past the last is empty."""
    paths = [p for p in sorted(folder().glob("*.eml"), reverse=True) if _listed(p)]
    shown = paths[(page - 1) * per_page : page * per_page]
    pages = max(1, -(-len(paths) // per_page))
    return Page([Stored(p.name, _read(p)) for p in shown], page, pages)


def one(name: str) -> Stored | None:
    """One mail by its file name, when it is one an admin may read."""
    if not NAME.match(name):
        return None
    path = folder() / name
    if not path.is_file():
        return None
    message = _read(path)
    return Stored(name, message) if _readable(message) else None
