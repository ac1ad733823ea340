"""A live portal for schemathesis: the demo's data on a throwaway PostgreSQL database, served
over HTTP by a real server in a thread, and a token for each role.

Schemathesis reads `/api/v1/openapi.json` from the server and calls the API over the network
as any outside client would (tests/fuzz/test_schemathesis.py).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from werkzeug.serving import make_server

from contracts.services.accounts import create_token
from provider_portal import create_app
from tests.conftest import PSEUDONYM_KEY, TEST_ACTOR, app_config

# Whose tokens call the API: every role, and a provider user of the demo's provider.
DEMO_ROLES = {
    "procurement": "indkob@demo.dk",
    "provider": "leverandor@demo.dk",
    "finance": "okonomi@demo.dk",
    "admin": "admin@demo.dk",
}


@dataclass(frozen=True)
class LivePortal:
    """Where the portal answers, and a bearer token per role."""

    url: str
    tokens: dict[str, str]

    @property
    def schema_url(self) -> str:
        return f"{self.url}/api/v1/openapi.json"


def _fresh_database(postgres_server, template: str) -> str:
    name = f"fuzz_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return name


def _load_demo_and_tokens(app) -> dict[str, str]:
    from contracts.models import User
    from contracts.services.demo import load_demo
    from provider_portal.extensions import db

    with app.app_context():
        load_demo(db.session, PSEUDONYM_KEY.encode("utf-8"))
        tokens = {}
        for role, email in DEMO_ROLES.items():
            user = db.session.query(User).filter_by(email=email).one()
            tokens[role] = create_token(db.session, TEST_ACTOR, user, f"fuzz {role}")[1]
        db.session.commit()
    return tokens


@contextmanager
def demo_portal(postgres_server, postgres_template, redis_server, instance: Path):
    """The app on a fresh PostgreSQL database with the demo's data, served as in production
    (errors answered by the app's handlers, not raised to the test); yields (app, tokens)."""
    import redis

    with redis.Redis.from_url(redis_server) as connection:
        connection.flushdb()
    name = _fresh_database(postgres_server, postgres_template)
    config = app_config(postgres_server.url(name), redis_server, instance)
    # One token per role sends thousands of requests in a minute: the per-user limits would
    # answer 429 for most of them (tests/faults/test_quotas.py tests the limits).
    config.update(API_RATE_LIMIT="100000 per minute", API_EXPENSIVE_LIMIT="100000 per minute")
    app = create_app(config)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    tokens = _load_demo_and_tokens(app)
    try:
        yield app, tokens
    finally:
        from provider_portal.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        postgres_server.drop_database(name)


@pytest.fixture(scope="module")
def live_portal(
    postgres_server, postgres_template, redis_server, tmp_path_factory
) -> Iterator[LivePortal]:
    """The portal on the demo's data, served on 127.0.0.1 by a threaded server."""
    instance: Path = tmp_path_factory.mktemp("fuzz-instance")
    with demo_portal(postgres_server, postgres_template, redis_server, instance) as (app, tokens):
        # Thousands of requests: the server's own line per request would bury a failure's story.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="fuzz-server", daemon=True)
        thread.start()
        try:
            yield LivePortal(f"http://127.0.0.1:{server.server_port}", tokens)
        finally:
            server.shutdown()
            thread.join(timeout=10)
