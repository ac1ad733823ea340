"""Sessions' fixtures: the demo's clients per role, single sign-on's test IdP, and rows to age."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from contracts.models import AuditEvent, LoginSession, utcnow
from tests.saml.conftest import idp, key_dirs, people, saml_app  # noqa: F401
from tests.web.conftest import client_as, demo_app  # noqa: F401


def rows(app) -> list[LoginSession]:
    """Every session row, oldest first, detached with their values read."""
    from provider_portal.extensions import db

    with app.app_context():
        found = list(db.session.scalars(sa.select(LoginSession).order_by(LoginSession.id)))
        db.session.expunge_all()
    return found


def age(app, **ago: timedelta) -> None:
    """Move the newest session's times back: age(app, last_seen_at=timedelta(minutes=31))."""
    from provider_portal.extensions import db

    with app.app_context():
        row = db.session.scalar(sa.select(LoginSession).order_by(LoginSession.id.desc()))
        for column, delta in ago.items():
            setattr(row, column, getattr(row, column) - delta)
        db.session.commit()


def events(app, action: str) -> list[AuditEvent]:
    from provider_portal.extensions import db

    with app.app_context():
        found = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
    return found


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


__all__ = ["age", "events", "minutes", "rows", "utcnow"]
