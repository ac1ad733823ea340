"""The demo's calendar for logins, reads and audit times (issue 17): with PORTAL_TODAY set the
moments people are shown are on the portal's clock; without it, the real time. What security
measures keeps the real time (TOTP: tests/two_factor run with PORTAL_TODAY set)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, User
from contracts.models.base import real_utcnow, utcnow
from contracts.rules.periods import COPENHAGEN
from contracts.services.sessions import begin
from provider_portal import create_app
from provider_portal.extensions import db
from tests.conftest import app_config, login
from tests.pages import PageParts


def _login_day(app, make_user) -> tuple[date, date, object]:
    """Log the admin in; the login's audit row and last login, as Copenhagen days."""
    with app.app_context():
        make_user(db.session, "admin@example.dk", "admin")
        db.session.commit()
    client = app.test_client()
    assert login(client, "admin@example.dk").status_code == 302
    with app.app_context():
        occurred = db.session.scalar(
            sa.select(AuditEvent.occurred_at).where(AuditEvent.action == "login.succeeded")
        )
        last = db.session.scalar(sa.select(User.last_login_at))
    return occurred.astimezone(COPENHAGEN).date(), last.astimezone(COPENHAGEN).date(), client


def test_with_the_demos_date_a_login_and_its_history_are_on_its_calendar(app, make_user):
    occurred, last, client = _login_day(app, make_user)
    assert occurred == last == date(2019, 1, 24)
    text = PageParts(client.get("/admin/audit").get_data(as_text=True)).text
    assert "24-01-2019" in text and str(datetime.now(COPENHAGEN).year) not in text


@pytest.fixture
def real_app(sqlite_url, clean_redis, tmp_path):
    app = create_app(app_config(sqlite_url, clean_redis, tmp_path, PORTAL_TODAY=None))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_without_a_fixed_date_a_login_carries_the_real_time(real_app, make_user):
    occurred, last, _client = _login_day(real_app, make_user)
    assert occurred == last == datetime.now(COPENHAGEN).date()


def test_sessions_keep_the_real_time_while_stamps_follow_the_demo(app, make_user):
    """A session's idle and age limits count real minutes, whatever the portal's date."""
    with app.app_context():
        user = make_user(db.session, "bob@example.dk", "procurement")
        begin(db.session, user, "here", None)
        db.session.flush()
        from contracts.models import LoginSession

        row = db.session.scalar(sa.select(LoginSession))
        assert abs(row.created_at - real_utcnow()) < timedelta(minutes=1)
        assert utcnow().astimezone(COPENHAGEN).date() == date(2019, 1, 24)
        db.session.rollback()
    # Outside an app the domain stamps the real time.
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(minutes=1)
