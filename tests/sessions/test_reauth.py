"""The password again before approving invoices, referring citizens and managing users, when it
was last given more than 5 minutes ago (DESIGN.md §13); single sign-on's sessions go back to the
identity provider instead."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from contracts.services.demo import DEMO_PASSWORD
from tests.conftest import csrf_token
from tests.saml.conftest import log_in
from tests.sessions.conftest import age, events, minutes, rows

NEW_USER = {
    "user-email": "ny@example.dk",
    "user-role": "finance",
    "user-provider_id": "0",
    "user-password": "a-long-password-1",
}


def _create_user(client):
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    return client.post(
        "/admin/users",
        data={**NEW_USER, "csrf_token": token},
        headers={"Referer": "http://localhost/admin/"},
    )


def _confirm(client, password: str, next_path: str = "/admin/"):
    page = client.get(f"/reauth?next={quote(next_path)}")
    return client.post(
        f"/reauth?next={quote(next_path)}",
        data={"password": password, "csrf_token": csrf_token(page.get_data(as_text=True))},
    )


def test_a_fresh_login_manages_users_at_once(client_as):
    assert _create_user(client_as("admin")).status_code == 302


def test_after_five_minutes_the_password_is_asked_again_and_leads_back(demo_app, client_as):
    client = client_as("admin")
    age(demo_app, last_reauth_at=minutes(6))
    refused = _create_user(client)
    assert refused.status_code == 303
    assert refused.headers["Location"] == "/reauth?next=/admin/"
    assert "ny@example.dk" not in client.get("/admin/").get_data(as_text=True)

    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Bekræft din adgangskode" in page
    wrong = _confirm(client, "not-the-password")
    assert wrong.status_code == 200
    assert "Forkert adgangskode." in wrong.get_data(as_text=True)
    right = _confirm(client, DEMO_PASSWORD)
    assert right.status_code == 302 and right.headers["Location"] == "/admin/"
    assert _create_user(client).status_code == 302
    assert [len(events(demo_app, a)) for a in ("reauth.failed", "reauth.succeeded")] == [1, 1]


def test_referring_a_citizen_asks_again_before_the_form(demo_app, client_as):
    client = client_as("procurement")
    assert client.get("/procurement/contracts/1/refer").status_code == 200
    age(demo_app, last_reauth_at=minutes(6))
    response = client.get("/procurement/contracts/1/refer")
    assert response.status_code == 303
    assert response.headers["Location"] == "/reauth?next=/procurement/contracts/1/refer"
    back = _confirm(client, DEMO_PASSWORD, "/procurement/contracts/1/refer")
    assert client.get(back.headers["Location"]).status_code == 200


def test_approving_an_invoice_asks_again(demo_app, client_as):
    client = client_as("finance")
    age(demo_app, last_reauth_at=minutes(6))
    token = csrf_token(client.get("/finance/").get_data(as_text=True))
    response = client.post(
        "/finance/invoices/1/approve",
        data={"csrf_token": token},
        headers={"Referer": "http://localhost/finance/invoices/1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/reauth?next=/finance/invoices/1"


def test_attesting_an_invoice_asks_again(demo_app, client_as):
    client = client_as("procurement")
    age(demo_app, last_reauth_at=minutes(6))
    token = csrf_token(client.get("/procurement/").get_data(as_text=True))
    response = client.post(
        "/procurement/invoices/1/attest",
        data={"csrf_token": token},
        headers={"Referer": "http://localhost/procurement/attestation"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/reauth?next=/procurement/attestation"


@pytest.mark.parametrize(
    "endpoint",
    [
        "finance.approve",
        "procurement.attest_invoice",
        "procurement.refer_citizen",
        "admin.create_user_view",
    ],
)
def test_the_sensitive_actions_ask_for_a_fresh_login(app, endpoint):
    assert getattr(app.view_functions[endpoint], "needs_fresh_login", False)


def test_a_wrong_password_again_and_again_waits(demo_app, client_as):
    client = client_as("admin")
    age(demo_app, last_reauth_at=minutes(6))
    answers = [_confirm(client, "not-the-password").status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert "Prøv igen om" in _confirm(client, DEMO_PASSWORD).get_data(as_text=True)


def test_the_way_back_stays_on_this_site(client_as):
    client = client_as("admin")
    response = _confirm(client, DEMO_PASSWORD, "https://evil.example/")
    assert response.headers["Location"] == "/"


def test_single_sign_on_asks_the_identity_provider_again(saml_app, idp, people):
    client = saml_app.test_client()
    assert log_in(client, idp, people["staff"]).status_code == 302
    # Logged in within five minutes: the form opens (no contract 1 here: not found).
    assert client.get("/procurement/contracts/1/refer").status_code == 404
    age(saml_app, last_reauth_at=minutes(6))
    response = client.get("/procurement/contracts/1/refer")
    assert response.status_code == 303
    assert response.headers["Location"] == "/saml/login?next=/procurement/contracts/1/refer"
    assert client.get("/reauth").headers["Location"].startswith("/saml/login")
    # A new single sign-on login is a new session, fresh again.
    assert log_in(client, idp, people["staff"]).status_code == 302
    assert client.get("/procurement/contracts/1/refer").status_code == 404
    assert [r.ended_reason for r in rows(saml_app)] == ["replaced", None]


def test_single_logout_ends_the_session_row(saml_app, idp, people):
    client = saml_app.test_client()
    assert log_in(client, idp, people["staff"]).status_code == 302
    thief = saml_app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    token = csrf_token(client.get("/procurement/").get_data(as_text=True))
    client.post("/saml/logout", data={"csrf_token": token})
    assert thief.get("/procurement/").status_code == 302
    assert [r.ended_reason for r in rows(saml_app)] == ["logout"]
