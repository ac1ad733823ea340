"""A Redis that does not answer (issue 16): packets dropped rather than the connection refused,
as when its host is cut off. Every connection the portal makes waits REDIS_TIMEOUT at most, so
a page that starts a job is refused with its 503 within seconds and logging in counts in the
process (test_redis_stopped.py in this folder says what each kind of request does), never hanging.

The silent Redis is a socket on 127.0.0.1 that listens and never accepts, its queue filled:
the kernel drops further connects and never answers those it let in."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from provider_portal.config import from_environment
from tests.conftest import JANUARY_ENDED, _make_app, csrf_token
from tests.faults.queue_down import QUEUE_DOWN_DA
from tests.report_files.reporting import page_client, people

TIMEOUT = 1.0


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """The URL of a Redis that never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    for _ in range(3):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        filler.connect_ex(address)
        fillers.append(filler)
    try:
        yield f"redis://{address[0]}:{address[1]}/0"
    finally:
        for sock in (*fillers, listener):
            sock.close()


@pytest.fixture
def silent_app(sqlite_url, silent_redis, tmp_path, monkeypatch) -> Iterator[Flask]:
    monkeypatch.setenv("REDIS_TIMEOUT", str(TIMEOUT))
    for app in _make_app(sqlite_url, silent_redis, tmp_path):
        app.config.update(PORTAL_TODAY=JANUARY_ENDED, MAIL_SEND_INLINE=False)
        yield app


def timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def test_redis_waits_two_seconds_unless_told(monkeypatch, tmp_path):
    monkeypatch.delenv("REDIS_TIMEOUT", raising=False)
    assert from_environment(tmp_path)["REDIS_TIMEOUT"] == 2
    monkeypatch.setenv("REDIS_TIMEOUT", "0.5")
    assert from_environment(tmp_path)["REDIS_TIMEOUT"] == 0.5


def test_with_redis_silent_a_job_is_refused_within_seconds_and_logging_in_works(silent_app):
    people(silent_app)
    # Logging in: the limits and the login counters go to the process's memory, the first time
    # after waiting for Redis, then without trying it again for a while.
    procurement, took = timed(lambda: page_client(silent_app, "indkob@example.dk"))
    assert took < 8 * TIMEOUT, took
    _, took = timed(lambda: page_client(silent_app, "koordinator@example.dk"))
    assert took < 4 * TIMEOUT, took

    form = procurement.get("/jobs/").get_data(as_text=True)
    page, took = timed(
        lambda: procurement.post(
            "/jobs/", data={"month": "2019-01", "csrf_token": csrf_token(form)}
        )
    )
    assert page.status_code == 503 and QUEUE_DOWN_DA in page.get_data(as_text=True)
    assert took < 4 * TIMEOUT, took
