"""Mail (DESIGN.md §14): notifications stored by the domain, sent by jobs after the commit,
in the recipient's language, through SMTP or into the outbox; the pages to choose them and
to read the outbox. The one way to send a mail."""

from __future__ import annotations

import os

from flask import Flask

from contracts.models import User
from contracts.services import notification_events

from ..extensions import db
from .delivery import SECRETS, mail

LINK_HOURS = 72
# The mail settings (DESIGN.md §14), from the environment unless the app's config has them.
# No MAIL_SERVER: mails are .eml files in the outbox. PORTAL_URL starts the mails' links.
SETTINGS = {
    "MAIL_SERVER": None,
    "MAIL_PORT": "25",
    "MAIL_USE_TLS": "",
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,  # nosec B105 # no password unless configured
    "MAIL_FROM": None,
    # Seconds the SMTP connection waits to connect or for the server's answer.
    "MAIL_TIMEOUT": "30",
    "PORTAL_URL": "http://127.0.0.1:5000",
    # Where the outbox is (default instance/outbox/): a test's worker writes to the test's own.
    "OUTBOX_DIR": None,
}


def send_link(user: User, token: str, purpose: str, hours: int = LINK_HOURS) -> None:
    """Mail a one-time link (an invitation or a password reset) once the transaction commits.
    The token goes with the mail's job only; the notification stores a digest of it."""
    ids = notification_events.link(db.session, user, token, purpose, hours)
    secrets = db.session.info.setdefault(SECRETS, {})
    for notification_id in ids:
        secrets[notification_id] = token


def init_app(app: Flask) -> None:
    """Flask-Mailman, the mail settings' defaults, and the pages (before views are wrapped)."""
    from .. import tasks
    from . import schedule
    from .views import admin_bp, bp

    for name, default in SETTINGS.items():
        if name not in app.config:
            app.config[name] = os.environ.get(name) or default
    app.config["MAIL_USE_TLS"] = str(app.config["MAIL_USE_TLS"]).lower() in ("1", "true", "yes")
    app.config["MAIL_TIMEOUT"] = float(app.config["MAIL_TIMEOUT"] or SETTINGS["MAIL_TIMEOUT"])
    mail.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    schedule.init_app(app)
    # §14's other half: what waits for whom, at the top of the home pages.
    tasks.init_app(app)


__all__ = ["init_app", "send_link"]
