"""Server-side sessions: logout ends them for a copied cookie too, and so do idle time, age,
deactivation and a new password (issue 14: "Logout does not end the session")."""

from __future__ import annotations

from datetime import timedelta

from contracts.models import User
from contracts.services import sessions
from contracts.services.audit import Actor
from contracts.services.passwords import hash_password
from tests.conftest import csrf_token, login
from tests.factories import logged_in_client
from tests.sessions.conftest import age, events, minutes, rows


def _home(client):
    return client.get("/procurement/")


def _logged_out(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def _logout(client):
    token = csrf_token(_home(client).get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": token})


def _copy(client, app):
    """Another browser holding the same session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_stops_working_at_logout(any_app):
    app = any_app
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    thief = _copy(client, app)
    assert _home(thief).status_code == 200  # the copy works while the session lives
    assert _logout(client).status_code == 302
    assert _logged_out(_home(thief))
    assert _logged_out(_home(client))
    [row] = rows(app)
    assert row.ended_reason == "logout" and row.ended_at is not None
    assert [e.details["reason"] for e in events(app, "session.ended")] == ["logout"]


def test_the_cookie_carries_only_the_session_id(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(client.get_cookie("session").value)
    assert "_user_id" not in contents
    assert set(contents) <= {"_sid", "csrf_token", "lang", "_flashes"}
    # The database keeps only a digest of the id.
    [row] = rows(app)
    assert row.id_hash == sessions.digest(contents["_sid"]) != contents["_sid"]


def test_thirty_idle_minutes_log_out_with_a_danish_message(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    age(app, last_seen_at=minutes(29))
    assert _home(client).status_code == 200
    age(app, last_seen_at=minutes(31))
    response = _home(client)
    assert _logged_out(response)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du er blevet logget ud efter 30 minutter uden aktivitet" in page
    assert rows(app)[0].ended_reason == "idle"
    # Logging in again is a new session.
    assert login(client, "indkob@example.dk").status_code == 302
    assert _home(client).status_code == 200
    assert [r.ended_reason for r in rows(app)] == ["idle", None]


def test_a_session_lasts_twelve_hours_at_most_however_busy(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    age(app, created_at=timedelta(hours=11, minutes=59))
    assert _home(client).status_code == 200
    age(app, created_at=minutes(2))
    response = _home(client)
    assert _logged_out(response)
    assert "højst 12 timer" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert rows(app)[0].ended_reason == "expired"


def test_last_seen_is_written_at_most_once_a_minute(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    first = rows(app)[0].last_seen_at
    _home(client)
    _home(client)
    assert rows(app)[0].last_seen_at == first
    age(app, last_seen_at=minutes(2))
    _home(client)
    assert rows(app)[0].last_seen_at > first


def test_deactivating_a_user_ends_the_session_at_the_next_request(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    from provider_portal.extensions import db

    with app.app_context():
        db.session.get(User, client.user_id).is_active = False
        db.session.commit()
    assert _logged_out(_home(client))
    assert rows(app)[0].ended_reason == "deactivated"


def test_a_new_password_ends_every_session_of_the_user(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    other = app.test_client()
    assert login(other, "indkob@example.dk").status_code == 302
    from provider_portal.extensions import db

    with app.app_context():
        db.session.get(User, client.user_id).password_hash = hash_password("a-new-password-1")
        db.session.commit()
    assert _logged_out(_home(client))
    assert _logged_out(_home(other))
    assert [r.ended_reason for r in rows(app)] == ["password_changed", "password_changed"]


def test_ending_all_sessions_of_a_user_is_one_call(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    other = app.test_client()
    assert login(other, "indkob@example.dk").status_code == 302
    from provider_portal.extensions import db

    with app.app_context():
        assert sessions.end_all(db.session, Actor("admin"), client.user_id, "deactivated") == 2
        db.session.commit()
    assert _logged_out(_home(client)) and _logged_out(_home(other))
    [event] = events(app, "session.ended")
    assert event.details["reason"] == "deactivated" and len(event.details["login_sessions"]) == 2


def test_a_new_login_in_the_same_browser_ends_the_old_session(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    thief = _copy(client, app)
    assert login(client, "indkob@example.dk").status_code == 302
    assert _logged_out(_home(thief))
    assert [r.ended_reason for r in rows(app)] == ["replaced", None]


def test_the_api_is_untouched_by_sessions(app):
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    assert client.get("/api/v1/contracts").status_code == 401  # a cookie is no API login
