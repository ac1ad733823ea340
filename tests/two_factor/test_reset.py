"""Resetting a lost second factor (issue 14: "reset the second factor"): by the provider's own
administrator, procurement or admin; the person's sessions end and the next login enrols again;
another provider's administrator does not learn the user exists."""

from __future__ import annotations

import re

import sqlalchemy as sa

from contracts.models import User
from tests.conftest import csrf_token, login
from tests.two_factor.conftest import add_person, enrol, events, stored_user

COLLEAGUE = "kollega@example.dk"
ADMIN = "leder@example.dk"


def _user_id(flask_app, email: str) -> int:
    return stored_user(flask_app, email).id


def _colleagues(tf_app, make_user, make_provider):
    """A provider's administrator and a colleague with the second factor set up."""
    from provider_portal.extensions import db

    add_person(tf_app, make_user, make_provider, ADMIN, manages=True)
    with tf_app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == ADMIN))
        make_user(db.session, COLLEAGUE, "provider", admin.provider_id)
        db.session.commit()
    colleague = tf_app.test_client()
    login(colleague, COLLEAGUE)
    enrol(colleague)
    return colleague


def _reset(client, path: str, user_id: int):
    page = client.get(path).get_data(as_text=True)
    return client.post(
        f"{path}/{user_id}/reset-second-factor", data={"csrf_token": csrf_token(page)}
    )


def test_a_providers_administrator_resets_a_colleagues_lost_phone(tf_app, make_user, make_provider):
    colleague = _colleagues(tf_app, make_user, make_provider)
    assert colleague.get("/provider/").status_code == 200
    admin = tf_app.test_client()
    login(admin, ADMIN)
    enrol(admin)
    users_page = admin.get("/provider/users").get_data(as_text=True)
    assert "Nulstil totrinsbekræftelse" in users_page
    answer = _reset(admin, "/provider/users", _user_id(tf_app, COLLEAGUE))
    assert answer.status_code == 302
    assert "er nulstillet" in admin.get("/provider/users").get_data(as_text=True)
    # The session of whoever holds the lost phone ends at once.
    assert "/login" in colleague.get("/provider/").headers["Location"]
    user = stored_user(tf_app, COLLEAGUE)
    assert user.totp_enabled_at is None and user.totp_secret is None
    # The next login enrols a new phone before anything else.
    login(colleague, COLLEAGUE)
    assert colleague.get("/provider/").headers["Location"].endswith("/two-factor")
    [event] = events(tf_app, "second_factor.reset")
    assert event.record_id == user.id
    assert event.actor_label == ADMIN


def test_another_providers_administrator_finds_no_such_user(tf_app, make_user, make_provider):
    _colleagues(tf_app, make_user, make_provider)
    add_person(tf_app, make_user, make_provider, "fremmed@example.dk", manages=True)
    stranger = tf_app.test_client()
    login(stranger, "fremmed@example.dk")
    enrol(stranger)
    answer = _reset(stranger, "/provider/users", _user_id(tf_app, COLLEAGUE))
    assert answer.status_code == 404
    assert stored_user(tf_app, COLLEAGUE).totp_enabled_at is not None


def test_nobody_resets_their_own_second_factor_from_the_users_page(
    tf_app, make_user, make_provider
):
    _colleagues(tf_app, make_user, make_provider)
    admin = tf_app.test_client()
    login(admin, ADMIN)
    enrol(admin)
    answer = _reset(admin, "/provider/users", _user_id(tf_app, ADMIN))
    assert answer.status_code == 403
    assert stored_user(tf_app, ADMIN).totp_enabled_at is not None


def test_the_demos_users_log_in_with_the_password_and_the_login_page_says_so(client_as, demo_app):
    demo_app.config["TWO_FACTOR_ROLES"] = ("procurement", "provider", "finance", "admin")
    page = demo_app.test_client().get("/login").get_data(as_text=True)
    assert re.search(r"demo.*uden totrinsbekræftelse", page)
    client = client_as("provider")
    assert client.get("/provider/").status_code == 200


def test_without_demo_users_the_login_page_says_nothing_of_them(tf_app):
    page = tf_app.test_client().get("/login").get_data(as_text=True)
    assert "uden totrinsbekræftelse" not in page


def test_the_api_resets_a_colleagues_second_factor_and_says_so(tf_app, make_user, make_provider):
    from contracts.services.accounts import create_token
    from provider_portal.extensions import db
    from tests.conftest import TEST_ACTOR

    colleague = _colleagues(tf_app, make_user, make_provider)
    add_person(tf_app, make_user, make_provider, "fremmed@example.dk", manages=True)
    with tf_app.app_context():
        tokens = {
            email: create_token(
                db.session,
                TEST_ACTOR,
                db.session.scalar(sa.select(User).where(User.email == email)),
            )[1]
            for email in (ADMIN, "fremmed@example.dk")
        }
        db.session.commit()
    api = tf_app.test_client()
    target = _user_id(tf_app, COLLEAGUE)
    path = f"/api/v1/users/{target}/second-factor/reset"
    stranger = api.post(path, headers={"Authorization": f"Bearer {tokens['fremmed@example.dk']}"})
    assert stranger.status_code == 404
    answer = api.post(path, headers={"Authorization": f"Bearer {tokens[ADMIN]}"})
    assert answer.status_code == 200
    assert answer.get_json()["two_factor"] is False
    assert "/login" in colleague.get("/provider/").headers["Location"]
    again = api.post(path, headers={"Authorization": f"Bearer {tokens[ADMIN]}"})
    assert again.status_code == 409
    assert "ingen totrinsbekræftelse" not in again.get_data(as_text=True)  # English on the API
    assert "has no second factor" in again.get_json()["errors"][0]["message"]
