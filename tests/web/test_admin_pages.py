"""The administrator's pages: users and personal API tokens."""

from __future__ import annotations

import sqlalchemy as sa

from contracts.models import ApiToken, User
from tests.conftest import csrf_token
from tests.pages import PageParts


def _form_post(client, url: str, data: dict):
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def _count_users(app) -> int:
    from provider_portal.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_admin_sees_users_but_no_participant_data(client_as):
    text = PageParts(client_as("admin").get("/admin/").get_data(as_text=True)).text
    for email in ("indkob@demo.dk", "leverandor@demo.dk", "okonomi@demo.dk", "admin@demo.dk"):
        assert email in text
    assert "DL-" not in text
    assert client_as("admin").get("/provider/").status_code == 403


def test_bad_user_input_is_shown_in_danish_next_to_the_field_and_nothing_is_stored(
    demo_app, client_as
):
    client = client_as("admin")
    before = _count_users(demo_app)
    response = _form_post(client, "/admin/users", {"user-email": "not-an-email", "user-role": ""})
    assert response.status_code == 422
    parts = PageParts(response.get_data(as_text=True))
    errors = " ".join(attrs.get("id", "") for attrs in parts.find_all("p", class_="field-error"))
    assert "user-email-error" in errors and "user-role-error" in errors
    assert "Det er ikke en gyldig e-mailadresse." in parts.text
    assert "Vælg en rolle." in parts.text
    assert _count_users(demo_app) == before


def test_existing_email_is_refused(demo_app, client_as):
    client = client_as("admin")
    before = _count_users(demo_app)
    response = _form_post(
        client, "/admin/users", {"user-email": "INDKOB@demo.dk", "user-role": "finance"}
    )
    assert response.status_code == 422
    assert "Der findes allerede en bruger med denne e-mail." in response.get_data(as_text=True)
    assert _count_users(demo_app) == before


def test_admin_invites_an_administrator_who_chooses_the_password(demo_app, client_as):
    from provider_portal.extensions import db

    client = client_as("admin")
    response = _form_post(
        client,
        "/admin/users",
        {"user-email": "Ny@Example.dk", "user-name": "Ny Administrator", "user-role": "admin"},
    )
    assert response.status_code == 302
    assert "Der er sendt en invitation til ny@example.dk." in client.get("/admin/").get_data(
        as_text=True
    )
    with demo_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "ny@example.dk"))
        assert user.role == "admin" and user.provider_id is None and user.password_hash == ""


def test_token_is_shown_once_stored_hashed_and_can_be_revoked(demo_app, client_as):
    from provider_portal.extensions import db

    client = client_as("admin")
    # The administrator makes its own token on the page everyone has; it lists and revokes all.
    response = _form_post(client, "/tokens", {"name": "Sagssystem"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    [token] = PageParts(html).xpath("//code[@id = 'new-token']/text()")
    assert "Kopiér den nu" in html
    api = demo_app.test_client()
    assert (
        api.get("/api/v1/providers", headers={"Authorization": f"Bearer {token}"}).status_code
        != 401
    )

    again = client.get("/admin/").get_data(as_text=True)
    assert token not in again
    assert token[:10] in again  # listed by its prefix
    with demo_app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        assert row.token_hash != token and token not in row.token_hash
        token_id = row.id

    revoked = _form_post(client, f"/admin/tokens/{token_id}/revoke", {})
    assert revoked.status_code == 302
    assert "Nøglen er spærret." in client.get("/admin/").get_data(as_text=True)
    assert (
        api.get("/api/v1/providers", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_token_without_a_name_is_refused(demo_app, client_as):
    from provider_portal.extensions import db

    response = _form_post(client_as("admin"), "/tokens", {"name": ""})
    assert response.status_code == 422
    assert "Giv nøglen et navn" in response.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
