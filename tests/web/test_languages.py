"""Danish by default, English by a switch that sticks; errors in the user's language."""

from __future__ import annotations

import re

import sqlalchemy as sa

from contracts.models import User
from contracts.services.demo import DEMO_PASSWORD
from tests.conftest import csrf_token, login
from tests.pages import PageParts


def _switch(client, language: str, next_url: str = "/"):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/language", data={"language": language, "next": next_url, "csrf_token": token}
    )


def test_login_page_is_danish_from_the_compiled_catalogue(app):
    # Fails loudly if the Danish catalogue was not compiled (the page would then say "Log in").
    text = PageParts(app.test_client().get("/login").get_data(as_text=True)).text
    assert "Log ind" in text
    assert "Adgangskode" in text
    assert "Leverandørportal" in text


def test_language_switch_offers_both_languages(app):
    parts = PageParts(app.test_client().get("/login").get_data(as_text=True))
    buttons = {attrs.get("value") for attrs in parts.find_all("button", name="language")}
    assert buttons == {"da", "en"}
    forms = parts.find_all("form", action="/language", method="post")
    assert forms


def test_switch_sticks_across_requests_and_logins(demo_app, client_as):
    from provider_portal.extensions import db

    client = client_as("finance")
    response = _switch(client, "en", "/finance/")
    assert response.status_code == 302 and response.headers["Location"] == "/finance/"
    assert "Finance overview" in client.get("/finance/").get_data(as_text=True)
    assert "DKK 12,600,000.00" in client.get("/finance/").get_data(as_text=True)
    with demo_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "okonomi@demo.dk"))
        assert user.locale == "en"
    # A new browser (no cookie) still gets English once the user logs in.
    other = demo_app.test_client()
    login(other, "okonomi@demo.dk", DEMO_PASSWORD)
    assert "Finance overview" in other.get("/finance/").get_data(as_text=True)
    # And back to Danish.
    _switch(client, "da", "/finance/")
    assert "Økonomioverblik" in client.get("/finance/").get_data(as_text=True)


def test_anonymous_switch_sticks_by_cookie(app):
    client = app.test_client()
    _switch(client, "en", "/login")
    text = PageParts(client.get("/login").get_data(as_text=True)).text
    assert "Log in" in text and "Log ind" not in text
    assert "Demo: the portal runs on the date 24 Jan 2019" in text


def test_switch_refuses_foreign_targets(app):
    client = app.test_client()
    response = _switch(client, "en", "https://evil.example/")
    assert response.headers["Location"] == "/"


def test_switch_without_csrf_token_is_refused(app):
    response = app.test_client().post("/language", data={"language": "en"})
    assert response.status_code == 400


def test_error_pages_speak_the_users_language(app):
    client = app.test_client()
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Siden findes ikke." in response.get_data(as_text=True)
    _switch(client, "en", "/login")
    response = client.get("/no-such-page")
    assert "The page does not exist." in response.get_data(as_text=True)
    # 405: GET on a form-only address.
    client.set_cookie("lang", "da")
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Det kan man ikke her." in response.get_data(as_text=True)


def test_wrong_role_gets_a_danish_403_page(client_as):
    response = client_as("provider").get("/procurement/")
    assert response.status_code == 403
    assert "Du har ikke adgang til denne side." in response.get_data(as_text=True)


def test_login_is_throttled_with_a_danish_message(app, make_user):
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    allowed = int(re.match(r"\d+", app.config["LOGIN_LIMITS"][0]).group())
    client = app.test_client()
    for _ in range(allowed):
        assert login(client, "indkob@example.dk", "wrong-password").status_code == 200
    response = login(client, "indkob@example.dk", "wrong-password")
    assert response.status_code == 429
    text = PageParts(response.get_data(as_text=True)).text
    assert "For mange forsøg" in text and "Vent" in text
    # Even the right password is refused while the account is throttled.
    assert login(client, "indkob@example.dk").status_code == 429
