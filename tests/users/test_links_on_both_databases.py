"""One-time links at the service level on SQLite and PostgreSQL: stored as a digest, used once,
expired after 72 hours, and a newer link of the same purpose voids the older one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from contracts.models import Invitation
from contracts.services import DomainError
from contracts.services.accounts import check_password, create_user
from contracts.services.invitations import find_link, invite, issue_link, use_link
from tests.conftest import TEST_ACTOR

START = datetime(2019, 1, 24, 9, 0, tzinfo=UTC)


def _refused(action) -> bool:
    try:
        action()
    except DomainError as refusal:
        return refusal.status == 404
    return False


def test_a_link_works_once_within_72_hours(any_app):
    from provider_portal.extensions import db

    with any_app.app_context():
        session = db.session
        admin = create_user(session, TEST_ACTOR, "admin@k.dk", "admin", "a-long-password")
        invited = invite(session, TEST_ACTOR, admin, "ny@k.dk", "admin", now=START)
        stored = session.scalar(sa.select(Invitation.token_hash))
        assert invited.token not in stored and len(stored) == 64
        late = START + timedelta(hours=72)
        assert find_link(session, invited.token, late) is None
        assert find_link(session, invited.token, late - timedelta(seconds=1)) is not None
        user = use_link(session, invited.token, "chosen-by-me", now=START + timedelta(hours=1))
        assert check_password(user, "chosen-by-me")
        assert _refused(lambda: use_link(session, invited.token, "again-by-me", now=START))
        first = issue_link(session, TEST_ACTOR, user, "reset", START)
        second = issue_link(session, TEST_ACTOR, user, "reset", START)
        assert find_link(session, first, START) is None
        assert find_link(session, second, START) is not None
        session.commit()
