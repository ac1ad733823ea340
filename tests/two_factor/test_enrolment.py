"""Enrolment (issue 14: "a provider user without a second factor is sent to enrolment and reaches
nothing else until done"), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from tests.conftest import csrf_token, login
from tests.two_factor.conftest import EMAIL, add_person, enrol, events, stored_user


def test_a_user_without_a_second_factor_reaches_nothing_but_enrolment(
    two_factor_app, make_user, make_provider
):
    add_person(two_factor_app, make_user, make_provider)
    client = two_factor_app.test_client()
    answer = login(client, EMAIL)
    assert answer.status_code == 302
    for page in ("/", "/provider/", "/provider/invoices", "/tokens", "/provider/users"):
        reached = client.get(page)
        assert reached.status_code == 302, page
        assert reached.headers["Location"].endswith("/two-factor"), page
    # Enrolment is open, and so is the way out.
    enrolment = client.get("/two-factor")
    assert enrolment.status_code == 200
    text = enrolment.get_data(as_text=True)
    assert "Opsæt totrinsbekræftelse" in text
    assert 'src="data:image/svg+xml' in text  # the QR code, allowed by the CSP as an image
    # No menu offers what cannot be reached.
    assert 'href="/provider/invoices"' not in text
    assert 'href="/tokens"' not in text


def test_the_apps_first_code_turns_it_on_with_ten_recovery_codes_shown_once(
    two_factor_app, make_user, make_provider
):
    add_person(two_factor_app, make_user, make_provider)
    client = two_factor_app.test_client()
    login(client, EMAIL)
    app = enrol(client)
    assert len(app.recovery_codes) == 10
    assert len(set(app.recovery_codes)) == 10
    # Now the portal opens.
    assert client.get("/provider/").status_code == 200
    # The secret is stored sealed, never as the key the person typed.
    user = stored_user(two_factor_app, EMAIL)
    assert user.totp_enabled_at is not None
    assert app.secret not in (user.totp_secret or "")
    # The page of the enrolled factor counts the codes and never shows them again.
    page = client.get("/two-factor").get_data(as_text=True)
    assert "10 ubrugte gendannelseskoder tilbage." in page
    assert app.recovery_codes[0] not in page
    assert [e.record_id for e in events(two_factor_app, "second_factor.enrolled")] == [user.id]


def test_a_wrong_first_code_is_refused_in_danish_and_nothing_is_turned_on(tf_app, person):
    client = tf_app.test_client()
    login(client, person)
    page = client.get("/two-factor").get_data(as_text=True)
    answer = client.post("/two-factor", data={"code": "000000", "csrf_token": csrf_token(page)})
    assert answer.status_code == 422
    assert "Koden er ikke rigtig" in answer.get_data(as_text=True)
    assert stored_user(tf_app, person).totp_enabled_at is None
    # The same key is offered again (an app that scanned it still works).
    again = client.get("/two-factor").get_data(as_text=True)
    key = re.search(r'id="totp-secret">([^<]+)<', again).group(1)
    assert key == re.search(r'id="totp-secret">([^<]+)<', page).group(1)


def test_wrong_first_codes_are_throttled_like_passwords(tf_app, person):
    client = tf_app.test_client()
    login(client, person)
    statuses = []
    for _ in range(7):
        page = client.get("/two-factor").get_data(as_text=True)
        statuses.append(
            client.post(
                "/two-factor", data={"code": "123456", "csrf_token": csrf_token(page)}
            ).status_code
        )
    assert statuses[:5] == [422] * 5
    assert 429 in statuses[5:]


def test_roles_left_out_of_the_setting_log_in_with_the_password(tf_app, person):
    tf_app.config["TWO_FACTOR_ROLES"] = ("procurement",)
    client = tf_app.test_client()
    login(client, person)
    assert client.get("/provider/").status_code == 200


def test_an_unknown_role_in_the_setting_stops_the_start(tmp_path, sqlite_url, clean_redis):
    import pytest

    from provider_portal import create_app
    from provider_portal.config import ConfigError
    from tests.conftest import app_config

    with pytest.raises(ConfigError, match="TWO_FACTOR_ROLES"):
        create_app(app_config(sqlite_url, clean_redis, tmp_path, TWO_FACTOR_ROLES="provider,boss"))
