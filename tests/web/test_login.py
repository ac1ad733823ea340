"""Logging in and out through the real form."""

from contracts.models import AuditEvent
from tests.conftest import TEST_PASSWORD, csrf_token, login


def test_staff_user_logs_in_and_lands_on_role_home(app, client, make_user):
    with app.app_context():
        from provider_portal.extensions import db

        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    response = login(client, "indkob@example.dk")
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.request.path == "/procurement/"


def test_wrong_password_is_refused_and_audited(app, client, make_user):
    with app.app_context():
        from provider_portal.extensions import db

        make_user(db.session, "okonomi@example.dk", "finance")
        db.session.commit()
    response = login(client, "okonomi@example.dk", "wrong-password")
    assert response.status_code == 200
    assert "Forkert e-mail eller adgangskode" in response.get_data(as_text=True)
    assert client.get("/finance/").status_code == 302
    with app.app_context():
        from provider_portal.extensions import db

        actions = [e.action for e in db.session.query(AuditEvent).all()]
    assert "login.failed" in actions


def test_form_without_csrf_token_is_refused(app, client, make_user):
    with app.app_context():
        from provider_portal.extensions import db

        make_user(db.session, "admin@example.dk", "admin")
        db.session.commit()
    response = client.post("/login", data={"email": "admin@example.dk", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302
    # The same with a valid token goes through.
    token = csrf_token(client.get("/login").get_data(as_text=True))
    ok = client.post(
        "/login", data={"email": "admin@example.dk", "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert ok.status_code == 302
