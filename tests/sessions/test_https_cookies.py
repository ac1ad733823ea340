"""Served over HTTPS, the session cookie is Secure and a __Host- cookie, and the browser is told
to stay on HTTPS (issue 16: "the session cookie lacks Secure; no HSTS"); `make run` on plain
http://127.0.0.1 keeps working without them."""

from __future__ import annotations

from provider_portal import create_app
from tests.conftest import app_config, login


def _cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_over_https_the_session_cookie_is_secure_host_only_and_hsts_is_sent(
    sqlite_url, clean_redis, tmp_path, make_user
):
    app = create_app(
        app_config(
            sqlite_url, clean_redis, tmp_path, PORTAL_URL="https://portal.kk.dk", HTTPS_ONLY=True
        )
    )
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # as the proxy in front tells the portal
    page = client.get("/login")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    answer = login(client, "indkob@example.dk")
    assert answer.status_code == 302
    [session_cookie] = [c for c in _cookies(answer) if c.startswith("__Host-session=")]
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert "Path=/" in session_cookie and "Domain=" not in session_cookie
    assert client.get("/procurement/").status_code == 200


def test_over_plain_http_the_demo_still_logs_in(app, make_user):
    from provider_portal.extensions import db

    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
    client = app.test_client()
    answer = login(client, "indkob@example.dk")
    assert "Strict-Transport-Security" not in answer.headers
    assert not any("Secure" in c for c in _cookies(answer))
    assert client.get("/procurement/").status_code == 200
