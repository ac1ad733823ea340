"""Web-page fixtures: the demo data in a fresh database, and clients logged in per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from contracts.services.demo import DEMO_PASSWORD, DEMO_USERS
from tests.conftest import login

DEMO_EMAILS = {role: email for email, role in DEMO_USERS}


@pytest.fixture
def demo_app(app):
    """The app with the seed's history as of 24 January 2019 loaded and committed."""
    from contracts.services.demo import load_demo
    from provider_portal.extensions import db

    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    return app


@pytest.fixture
def client_as(demo_app) -> Callable:
    """A test client logged in as the demo user of a role, through the real login form."""

    def make(role: str):
        client = demo_app.test_client()
        response = login(client, DEMO_EMAILS[role], DEMO_PASSWORD)
        assert response.status_code == 302, f"demo {role} user could not log in"
        return client

    return make
