"""Helpers for API tests: programmes, users with tokens, bearer headers, row counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from contracts.models import Programme
from contracts.services.accounts import TOKEN_MOST_DAYS, create_token
from provider_portal import clock
from tests.conftest import TEST_ACTOR

# The seed's four programmes (DESIGN.md §8), in seed order.
PROGRAMMES = [
    ("youth-bridging", "under_30"),
    ("youth-placement", "under_30"),
    ("adult-employment", "30_and_over"),
    ("utility-work", "all"),
]


def add_programmes(session) -> dict[str, int]:
    """The four programmes (they come with the schema); returns their ids by code."""
    ids = dict(session.execute(sa.select(Programme.code, Programme.id)).all())
    assert set(ids) == {code for code, _ in PROGRAMMES}
    return ids


def bearer(token: str) -> dict:
    """The Authorization header of an API call."""
    return {"Authorization": f"Bearer {token}"}


def count(app, model) -> int:
    """Rows of a model, read in a fresh app context."""
    from provider_portal.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def make_token(make_user):
    """make_token(app, email, role, provider_id=None) -> a bearer token of a new user."""

    def make(app, email: str, role: str, provider_id: int | None = None) -> str:
        from provider_portal.extensions import db

        with app.app_context():
            user = make_user(db.session, email, role, provider_id)
            # The longest a token may last: tests that move the portal's clock months ahead
            # (tests/procurement/test_seed_story.py) keep using it.
            longest = clock.today() + timedelta(days=TOKEN_MOST_DAYS)
            _, token = create_token(db.session, TEST_ACTOR, user, "test", longest)
            db.session.commit()
        return token

    return make
