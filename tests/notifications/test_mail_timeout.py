"""MAIL_TIMEOUT from the environment like the other mail settings: the SMTP connection waits
that long for the server (30 seconds unless told)."""

from __future__ import annotations

import pytest

from provider_portal.mail.delivery import connection
from tests.conftest import _make_app


def smtp_socket_timeout(app, port: int) -> float | None:
    """The timeout of the socket that mail delivery opens to the SMTP server on `port`."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        smtp = connection()
        smtp.open()
        try:
            return smtp.connection.sock.gettimeout()
        finally:
            smtp.close()


@pytest.mark.parametrize(("environment", "expected"), [("7.5", 7.5), (None, 30.0)])
def test_mail_timeout_from_the_environment_reaches_the_smtp_connection(
    environment, expected, monkeypatch, sqlite_url, clean_redis, tmp_path, smtp
):
    if environment is None:
        monkeypatch.delenv("MAIL_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("MAIL_TIMEOUT", environment)
    for app in _make_app(sqlite_url, clean_redis, tmp_path):
        assert app.config["MAIL_TIMEOUT"] == expected
        assert smtp_socket_timeout(app, smtp[1].port) == expected
