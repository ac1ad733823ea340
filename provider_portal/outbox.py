"""Mail, until the notifications issue brings SMTP (DESIGN.md §14): each mail is written as an
.eml file in `instance/outbox/`, plain text with an HTML alternative, in the recipient's
language (Danish unless they chose English). Call `send_*` through `transaction.after_commit`,
so a mail never tells of something that was rolled back.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from contracts.models import User

from .i18n import LANGUAGES

DEFAULT_FROM = "noreply@provider-portal.invalid"


def outbox() -> Path:
    """The folder the mails are written to (made when missing)."""
    folder = Path(
        current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write(to: str, subject: str, text: str, html: str) -> Path:
    """Write one mail as an .eml file; returns its path."""
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_FROM") or DEFAULT_FROM
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="provider-portal")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox() / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(message))
    return path


def send_link(user: User, token: str, purpose: str, hours: int = 72) -> Path:
    """Mail a one-time link (an invitation or a password reset) to its user."""
    link = url_for("auth.set_password", token=token, _external=True)
    language = user.locale if user.locale in LANGUAGES else "da"
    with force_locale(language):
        if purpose == "invitation":
            subject = _("Your account on the provider portal")
        else:
            subject = _("Choose a new password for the provider portal")
        context = {"user": user, "link": link, "purpose": purpose, "hours": hours}
        text = render_template("mail/link.txt", **context)
        html = render_template("mail/link.html", **context)
    return write(user.email, subject, text, html)
