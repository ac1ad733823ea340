"""Throttling that is a delay, not a lockout (issue 14: "Throttling as a lockout"), with the real
Redis of the test suite; and an address that is the connection's, never a client's header."""

from __future__ import annotations

import re

import pytest
import redis

from provider_portal import create_app
from tests.conftest import TEST_PASSWORD, app_config, login
from tests.sessions.conftest import events

EMAIL = "indkob@example.dk"


@pytest.fixture
def user(app, make_user):
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, EMAIL, "procurement")
        db.session.commit()
    return EMAIL


def _fail(client, times: int, email: str = EMAIL, **headers) -> list[int]:
    return [
        login_from(client, email, "wrong-password", **headers).status_code for _ in range(times)
    ]


def login_from(client, email: str, password: str = TEST_PASSWORD, **headers):
    """The login form, posted with extra headers (a forged X-Forwarded-For)."""
    from tests.conftest import csrf_token

    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        headers=headers,
    )


def _time_passes(redis_url: str) -> None:
    """The account's wait is over (its key expires), as after waiting it out."""
    with redis.Redis.from_url(redis_url) as connection:
        for key in connection.scan_iter("*login-wait/*"):
            connection.delete(key)


def _wait_left(redis_url: str) -> int:
    with redis.Redis.from_url(redis_url) as connection:
        [key] = list(connection.scan_iter("*login-wait/*"))
        return connection.ttl(key)


def test_after_five_failures_the_right_password_waits_and_is_told_how_long(app, user):
    client = app.test_client()
    assert _fail(client, 5) == [200] * 5
    response = login(client, EMAIL)  # the right password, during the wait
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    seconds = int(re.search(r"Prøv igen om (\d+) sekunder", text).group(1))
    assert 30 <= seconds <= 32  # 2^5 seconds after the fifth failure
    assert client.get("/procurement/").status_code == 302  # not logged in


def test_once_the_wait_is_over_the_right_password_gets_in_whatever_attackers_do(
    app, user, clean_redis
):
    attacker = app.test_client()
    assert _fail(attacker, 5) == [200] * 5
    # Failures during the wait are not tried, so they neither count nor stretch the wait.
    assert _fail(attacker, 20) == [429] * 20
    assert _wait_left(clean_redis) <= 32
    assert len(events(app, "login.failed")) == 5
    _time_passes(clean_redis)
    owner = app.test_client()
    assert login(owner, EMAIL).status_code == 302
    assert owner.get("/procurement/").status_code == 200


def test_the_wait_doubles_with_each_failure_up_to_fifteen_minutes(app, user, clean_redis):
    client = app.test_client()
    _fail(client, 5)
    waits = []
    for _ in range(7):
        _time_passes(clean_redis)
        assert _fail(client, 1) == [200]
        waits.append(_wait_left(clean_redis))
    assert waits[:4] == [64, 128, 256, 512]
    assert waits[4:] == [900, 900, 900]


def test_an_account_s_wait_is_its_own(app, user, make_user):
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "okonomi@example.dk", "finance")
        db.session.commit()
    client = app.test_client()
    _fail(client, 5)
    assert login(client, "okonomi@example.dk").status_code == 302


def test_a_good_login_forgets_the_failures(app, user, clean_redis):
    client = app.test_client()
    _fail(client, 4)
    assert login(client, EMAIL).status_code == 302
    other = app.test_client()
    assert _fail(other, 4) == [200] * 4
    assert login(other, EMAIL).status_code == 302


def test_the_address_limit_counts_wrong_passwords_from_one_address_across_accounts(app, user):
    app.config["LOGIN_LIMITS"] = ("5 per day", "3 per 15 minutes")
    client = app.test_client()
    answers = [_fail(client, 1, f"person{n}@example.dk")[0] for n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_a_forged_x_forwarded_for_changes_nothing(app, user):
    app.config["LOGIN_LIMITS"] = ("5 per day", "3 per 15 minutes")
    client = app.test_client()
    # Each attempt claims another address: all are counted against the connection's.
    answers = [
        _fail(client, 1, f"p{n}@example.dk", **{"X-Forwarded-For": f"203.0.113.{n}"})[0]
        for n in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert {e.remote_addr for e in events(app, "login.failed")} == {"127.0.0.1"}


def test_a_forged_x_forwarded_for_neither_moves_nor_breaks_a_session(app, user):
    client = app.test_client()
    assert login(client, EMAIL).status_code == 302
    response = client.get("/procurement/", headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 200
    assert events(app, "session.ended") == []


def test_a_session_used_from_another_address_ends(app, user):
    client = app.test_client()
    assert login(client, EMAIL).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    response = thief.get("/procurement/", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302
    assert client.get("/procurement/").status_code == 302
    assert [e.details["reason"] for e in events(app, "session.ended")] == ["moved"]


def test_behind_a_configured_proxy_its_forwarded_address_is_the_client_s(
    sqlite_url, clean_redis, tmp_path, make_user
):
    app = create_app(app_config(sqlite_url, clean_redis, tmp_path, PROXY_FIX_HOPS=1))
    app.config["LOGIN_LIMITS"] = ("5 per day", "2 per 15 minutes")
    client = app.test_client()
    # Two people behind the same proxy do not share an address bucket.
    assert _fail(client, 3, **{"X-Forwarded-For": "203.0.113.1"}) == [200, 200, 429]
    assert _fail(client, 1, "b@example.dk", **{"X-Forwarded-For": "203.0.113.2"}) == [200]
    addresses = {e.remote_addr for e in events(app, "login.failed")}
    assert addresses == {"203.0.113.1", "203.0.113.2"}
    # Only the proxy's own entry is believed: an address the client put in front is not.
    assert _fail(client, 1, "c@example.dk", **{"X-Forwarded-For": "10.0.0.9, 203.0.113.1"}) == [429]
    from provider_portal.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
