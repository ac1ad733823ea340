"""Fixtures: an app on a fresh, migrated database per test (SQLite, or PostgreSQL where asked).

The schema is built once per session by the real Alembic migrations and copied for each
test (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so every test starts
from exactly what `init-db` makes, quickly.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask_migrate import upgrade
from psycopg import sql

from contracts.services.audit import Actor
from provider_portal import create_app

pytest_plugins = ["tests.backing_services"]

TEST_PASSWORD = "correct-horse-battery"
SECRET_KEY = secrets.token_hex(32)
PSEUDONYM_KEY = secrets.token_hex(32)
TEST_ACTOR = Actor("test")


def process_environment(database_url: str, redis_url: str, **settings: str) -> dict[str, str]:
    """The environment a portal process the suite starts gets (gunicorn, worker.py)."""
    return dict(
        os.environ,
        SECRET_KEY=SECRET_KEY,
        PSEUDONYM_KEY=PSEUDONYM_KEY,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        **settings,
    )


def app_config(database_url: str, redis_url: str, instance: Path, **extra) -> dict:
    """The configuration every test app gets."""
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "PSEUDONYM_KEY": PSEUDONYM_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "PORTAL_TODAY": "2019-01-24",
        # Mails go to the test's own outbox, never the checkout's instance folder.
        "OUTBOX_DIR": str(instance / "outbox"),
        # Mails are sent right after the commit, in the test's process (no worker needed).
        "MAIL_SEND_INLINE": True,
        # Logins in tests about other things ask the password only; the second factor's own
        # tests (tests/two_factor) and the browser journeys use the default, every role.
        "TWO_FACTOR_ROLES": (),
    }
    config.update(extra)
    return config


def _migrate(database_url: str, redis_url: str, instance: Path) -> None:
    app = create_app(app_config(database_url, redis_url, instance))
    with app.app_context():
        upgrade()
        from provider_portal.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory, redis_server) -> Path:
    """A SQLite file migrated to head, copied for each test."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.db"
    _migrate(f"sqlite:///{path}", redis_server, folder)
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server, redis_server, tmp_path_factory) -> str:
    """The name of a PostgreSQL database migrated to head, used as a template."""
    name = "portal_template"
    postgres_server.create_database(name)
    _migrate(postgres_server.url(name), redis_server, tmp_path_factory.mktemp("pg-template"))
    return name


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "portal.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_url(postgres_server, postgres_template) -> Iterator[str]:
    name = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(postgres_template)
            )
        )
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture
def clean_redis(redis_server) -> str:
    """The test Redis, emptied, so rate limits and queues start from nothing."""
    import redis

    with redis.Redis.from_url(redis_server) as connection:
        connection.flushdb()
    return redis_server


def _make_app(database_url: str, redis_url: str, instance: Path) -> Iterator[Flask]:
    app = create_app(app_config(database_url, redis_url, instance))
    yield app
    from provider_portal.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(sqlite_url, clean_redis, tmp_path) -> Iterator[Flask]:
    """An app on a fresh SQLite database."""
    yield from _make_app(sqlite_url, clean_redis, tmp_path)


@pytest.fixture
def pg_app(postgres_url, clean_redis, tmp_path) -> Iterator[Flask]:
    """An app on a fresh PostgreSQL database."""
    yield from _make_app(postgres_url, clean_redis, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, clean_redis, tmp_path) -> Iterator[Flask]:
    """The same test on both databases."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    yield from _make_app(url, clean_redis, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


# A month is submitted, aggregated and invoiced only once it has ended (DESIGN.md §3). The
# test clock is the demo's 24 January 2019; a test that sends in or aggregates January 2019
# uses this fixture (`@pytest.mark.usefixtures("january_ended")`) to run on 5 February 2019,
# after January's end and before its reports are due.
JANUARY_ENDED = date(2019, 2, 5)


@pytest.fixture
def january_ended(request) -> date:
    """The test's app (app, any_app) runs on 5 February 2019, when January 2019 has ended."""
    for name in ("app", "any_app"):
        if name in request.fixturenames:
            request.getfixturevalue(name).config["PORTAL_TODAY"] = JANUARY_ENDED
    return JANUARY_ENDED


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    """The app's session inside an app context, for service-level tests."""
    from provider_portal.extensions import db

    with app.app_context():
        yield db.session


# Factories: each returns a created, flushed record.


@pytest.fixture
def make_provider() -> Callable:
    counter = iter(range(1, 10_000))

    def make(session, name: str | None = None, cvr: str | None = None, gln: str | None = None):
        from contracts.models import Provider

        n = next(counter)
        provider = Provider(
            name=name or f"Leverandør {n}", cvr=cvr or VALID_CVRS[n % len(VALID_CVRS)], gln=gln
        )
        session.add(provider)
        session.flush()
        return provider

    return make


@pytest.fixture
def make_user() -> Callable:
    def make(
        session,
        email: str,
        role: str,
        provider_id: int | None = None,
        password: str = TEST_PASSWORD,
    ):
        from contracts.services.accounts import create_user

        return create_user(session, TEST_ACTOR, email, role, password, provider_id)

    return make


@pytest.fixture
def finance(app, client, make_user):
    """The test client, logged in as a finance user."""
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "okonomi@example.dk", "finance")
        db.session.commit()
    login(client, "okonomi@example.dk")
    return client


def login(client, email: str, password: str = TEST_PASSWORD):
    """Log in through the real form, CSRF token included."""
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


# Real CVR numbers pass stdnum's modulus-11 check; these are made up but valid.
VALID_CVRS = ["13585628", "64942212", "29403473", "10150817", "25313763", "30060946"]
