"""The login with a second factor (DESIGN.md §13): the code after the password, once; recovery
codes once; wrong codes throttled; the lock after wrong passwords passed by password and code."""

from __future__ import annotations

import redis
import sqlalchemy as sa

from contracts.models import LoginSession
from tests.conftest import TEST_PASSWORD, csrf_token, login
from tests.two_factor.conftest import (
    EMAIL,
    add_person,
    enrol,
    events,
    give_code,
    log_in_fully,
)


def _enrolled(flask_app, make_user, make_provider, email=EMAIL):
    add_person(flask_app, make_user, make_provider, email)
    client = flask_app.test_client()
    login(client, email)
    app = enrol(client)
    client.post(
        "/logout", data={"csrf_token": csrf_token(client.get("/two-factor").get_data(as_text=True))}
    )
    return app


def _live_sessions(flask_app) -> int:
    from provider_portal.extensions import db

    with flask_app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LoginSession)
            .where(LoginSession.ended_at.is_(None))
        )


def test_the_password_alone_opens_nothing_and_the_code_opens_the_portal(
    two_factor_app, make_user, make_provider
):
    app = _enrolled(two_factor_app, make_user, make_provider)
    client = two_factor_app.test_client()
    answer = login(client, EMAIL)
    assert answer.headers["Location"].endswith("/login/code")
    # No session yet: the portal sends the person back to log in.
    assert _live_sessions(two_factor_app) == 0
    assert "/login" in client.get("/provider/").headers["Location"]
    page = client.get("/login/code").get_data(as_text=True)
    assert "Kode fra din godkendelsesapp" in page
    answer = give_code(client, app.code())
    assert answer.status_code == 302
    assert client.get("/provider/").status_code == 200
    assert _live_sessions(two_factor_app) == 1


def test_a_code_works_once(tf_app, make_user, make_provider):
    app = _enrolled(tf_app, make_user, make_provider)
    # The code is read once: asked for again after a 30-second boundary, the app would show the
    # next code, which is a fresh one and rightly accepted.
    code = app.code(steps=1)
    first = tf_app.test_client()
    login(first, EMAIL)
    assert give_code(first, code).status_code == 302
    assert first.get("/provider/").status_code == 200
    # The same code, seen over the shoulder and typed in another browser, is refused.
    second = tf_app.test_client()
    login(second, EMAIL)
    refused = give_code(second, code)
    assert refused.status_code == 200
    assert "Forkert kode" in refused.get_data(as_text=True)
    assert "/login" in second.get("/provider/").headers["Location"]


def test_a_recovery_code_works_once(tf_app, make_user, make_provider):
    app = _enrolled(tf_app, make_user, make_provider)
    client = tf_app.test_client()
    login(client, EMAIL)
    assert give_code(client, app.recovery_codes[3].upper()).status_code == 302
    assert client.get("/provider/").status_code == 200
    page = client.get("/two-factor").get_data(as_text=True)
    assert "9 ubrugte gendannelseskoder tilbage." in page
    other = tf_app.test_client()
    login(other, EMAIL)
    assert "Forkert kode" in give_code(other, app.recovery_codes[3]).get_data(as_text=True)
    assert len(events(tf_app, "second_factor.recovery_code_used")) == 1


def test_wrong_codes_are_throttled_and_then_even_the_right_one_waits(
    tf_app, make_user, make_provider
):
    app = _enrolled(tf_app, make_user, make_provider)
    client = tf_app.test_client()
    login(client, EMAIL)
    statuses = [give_code(client, "000000").status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    waiting = give_code(client, app.code())
    assert waiting.status_code == 429
    assert "Prøv igen om" in waiting.get_data(as_text=True)
    assert len(events(tf_app, "login.code_failed")) >= 5


def test_the_code_must_follow_the_password_within_five_minutes(tf_app, make_user, make_provider):
    app = _enrolled(tf_app, make_user, make_provider)
    client = tf_app.test_client()
    login(client, EMAIL)
    token = csrf_token(client.get("/login/code").get_data(as_text=True))
    with client.session_transaction() as session:
        waiting = dict(session["_pending_login"])
        waiting["at"] -= 301
        session["_pending_login"] = waiting
    answer = client.post("/login/code", data={"code": app.code(), "csrf_token": token})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/login")
    told = client.get("/login").get_data(as_text=True)
    assert "koden skal gives inden for 5 minutter" in told
    assert "/login" in client.get("/provider/").headers["Location"]


def _password_and_code(client, code: str):
    """The login form with the right password and a code, as offered during the wait."""
    page = client.get("/login").get_data(as_text=True)
    form = {"email": EMAIL, "password": TEST_PASSWORD, "code": code, "csrf_token": csrf_token(page)}
    return client.post("/login", data=form)


def test_the_lock_after_wrong_passwords_opens_to_the_password_with_the_code(
    tf_app, make_user, make_provider, clean_redis
):
    app = _enrolled(tf_app, make_user, make_provider)
    attacker = tf_app.test_client()
    for _ in range(6):
        login(attacker, EMAIL, "wrong-password-guess")
    person = tf_app.test_client()
    # The password alone waits, and is offered the code.
    waiting = login(person, EMAIL)
    assert waiting.status_code == 429
    assert "Kode fra din godkendelsesapp" in waiting.get_data(as_text=True)
    # A wrong code with the right password still waits, answered as any other try.
    assert _password_and_code(person, "000000").status_code == 429
    answer = _password_and_code(person, app.code())
    assert answer.status_code == 302
    assert person.get("/provider/").status_code == 200
    with redis.Redis.from_url(clean_redis) as connection:
        assert not list(connection.scan_iter("*login-wait/*"))


def test_asking_again_before_a_sensitive_action_wants_the_code_too(
    tf_app, make_user, make_provider
):
    app = _enrolled(tf_app, make_user, make_provider)
    client = tf_app.test_client()
    log_in_fully(client, EMAIL, app)
    page = client.get("/reauth").get_data(as_text=True)
    assert "Bekræft, at det er dig" in page
    token = csrf_token(page)
    refused = client.post("/reauth", data={"password": TEST_PASSWORD, "csrf_token": token})
    assert "Forkert adgangskode eller kode." in refused.get_data(as_text=True)
    answer = client.post(
        "/reauth",
        data={"password": TEST_PASSWORD, "code": app.code(steps=1), "csrf_token": token},
    )
    assert answer.status_code == 302
    assert len(events(tf_app, "reauth.succeeded")) == 1
