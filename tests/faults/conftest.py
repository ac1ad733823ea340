"""Fixtures of the fault tests: a Redis of the module's own that a test stops and starts, and
the app on it (SQLite or PostgreSQL), so stopping it never touches the other tests' Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import _make_app
from tests.faults.services import StoppableRedis


@pytest.fixture(scope="module")
def own_redis() -> Iterator[StoppableRedis]:
    server = StoppableRedis()
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def running_redis(own_redis) -> StoppableRedis:
    """The module's Redis, running and empty at the start of the test."""
    import redis

    if own_redis.process is None:
        own_redis.start()
    with redis.Redis.from_url(own_redis.url) as connection:
        connection.flushdb()
    return own_redis


@pytest.fixture(params=["sqlite", "postgresql"])
def fault_app(request, running_redis, tmp_path) -> Iterator[Flask]:
    """The app on either database and the module's own Redis."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    yield from _make_app(url, running_redis.url, tmp_path)
