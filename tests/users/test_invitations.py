"""Invitations and password resets by one-time links (DESIGN.md §13): nobody chooses another
person's password; a link works once, for 72 hours, and its mail lies in the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts.services.demo import DEMO_PASSWORD
from tests.conftest import csrf_token, login
from tests.users.conftest import NEW_PASSWORD, choose_password, link_in, mails, user


def invite_colleague(client, email: str = "kollega@fodfaeste.dk", admin: bool = False):
    token = csrf_token(client.get("/provider/users").get_data(as_text=True))
    data = {"user-email": email, "user-name": "Ny Kollega", "csrf_token": token}
    if admin:
        data["user-manages_users"] = "y"
    return client.post("/provider/users", data=data)


def test_the_outbox_mail_is_a_danish_mail_with_the_link_in_text_and_html(demo_app, client_as):
    assert invite_colleague(client_as("provider")).status_code == 302
    (mail,) = mails(demo_app)
    assert mail["To"] == "kollega@fodfaeste.dk"
    assert mail["Subject"] == "Din konto på leverandørportalen"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = link_in(mail)
    assert "Du er inviteret til leverandørportalen" in text
    assert "Linket virker én gang i 72 timer." in text
    assert link.split("token=")[1] in html


def test_a_colleague_sets_their_own_password_once_and_logs_in(demo_app, client_as):
    manager = client_as("provider")
    response = invite_colleague(manager)
    assert response.status_code == 302
    assert "Der er sendt en invitation til kollega@fodfaeste.dk." in manager.get(
        "/provider/users"
    ).get_data(as_text=True)
    invited = user(demo_app, "kollega@fodfaeste.dk")
    assert invited.role == "provider" and not invited.manages_users
    assert invited.provider_id == user(demo_app, "leverandor@demo.dk").provider_id
    link = link_in(mails(demo_app)[0])
    colleague = demo_app.test_client()
    # No password works before the owner chooses one.
    assert login(colleague, "kollega@fodfaeste.dk", "any-password-at-all").status_code == 200
    assert choose_password(colleague, link, repeat="something-else").status_code == 422
    assert choose_password(colleague, link).status_code == 302
    assert login(colleague, "kollega@fodfaeste.dk", NEW_PASSWORD).status_code == 302
    assert colleague.get("/provider/").status_code == 200
    # Used once: the second time the link says it does not work.
    again = demo_app.test_client().get(link)
    assert again.status_code == 404
    assert "Linket er udløbet eller allerede brugt." in again.get_data(as_text=True)


def test_a_link_expires_after_72_hours_on_the_portal_clock(demo_app, client_as):
    start = datetime(2019, 1, 24, 9, 0, tzinfo=UTC)
    demo_app.config["PORTAL_NOW"] = start
    assert invite_colleague(client_as("provider")).status_code == 302
    link = link_in(mails(demo_app)[0])
    demo_app.config["PORTAL_NOW"] = start + timedelta(hours=71, minutes=59)
    assert demo_app.test_client().get(link).status_code == 200
    demo_app.config["PORTAL_NOW"] = start + timedelta(hours=72)
    assert choose_password(demo_app.test_client(), link).status_code == 404
    assert user(demo_app, "kollega@fodfaeste.dk").password_hash == ""


def test_a_made_up_token_is_refused(demo_app):
    response = demo_app.test_client().get("/password/set?token=not-a-real-token")
    assert response.status_code == 404
    assert "Bed om et nyt link" in demo_app.test_client().get("/password/set").get_data(
        as_text=True
    )


def test_the_reset_answer_never_says_whether_the_email_exists(demo_app):
    answers = []
    for address in ("leverandor@demo.dk", "nobody@nowhere.dk"):
        client = demo_app.test_client()
        page = client.get("/login")
        assert "Glemt adgangskode?" in page.get_data(as_text=True)
        form = client.get("/password/forgot")
        response = client.post(
            "/password/forgot",
            data={"email": address, "csrf_token": csrf_token(form.get_data(as_text=True))},
            follow_redirects=True,
        )
        answers.append(
            (
                response.status_code,
                "Hvis e-mailen hører til en konto" in response.get_data(as_text=True),
            )
        )
    assert answers[0] == answers[1] == (200, True)
    (mail,) = mails(demo_app)
    assert mail["To"] == "leverandor@demo.dk"
    assert mail["Subject"] == "Vælg en ny adgangskode til leverandørportalen"


def test_a_reset_link_sets_the_new_password_and_ends_the_users_sessions(demo_app, client_as):
    logged_in = client_as("provider")
    assert logged_in.get("/provider/").status_code == 200
    client = demo_app.test_client()
    form = client.get("/password/forgot")
    client.post(
        "/password/forgot",
        data={"email": "LEVERANDOR@demo.dk", "csrf_token": csrf_token(form.get_data(as_text=True))},
    )
    link = link_in(mails(demo_app)[0])
    assert choose_password(client, link).status_code == 302
    assert logged_in.get("/provider/").status_code == 302  # the old session is over
    assert login(demo_app.test_client(), "leverandor@demo.dk", DEMO_PASSWORD).status_code == 200
    assert login(demo_app.test_client(), "leverandor@demo.dk", NEW_PASSWORD).status_code == 302
    assert choose_password(demo_app.test_client(), link).status_code == 404
