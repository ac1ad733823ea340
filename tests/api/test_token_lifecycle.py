"""Every user's own API tokens (DESIGN.md §13): a name and an expiry (90 days by default, a year
at most), the last use, revocation; by the API and the page; expired and revoked tokens get 401."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from contracts.models import ApiToken, AuditEvent
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import csrf_token, login

TODAY = date(2019, 1, 24)  # the tests' clock (PORTAL_TODAY)


def _make(client, token, **body):
    return client.post("/api/v1/tokens", json=body, headers=bearer(token))


def test_a_token_made_by_api_works_until_its_day_and_then_gets_401(app, client, make_token):
    first = make_token(app, "indkob@example.dk", "procurement")
    made = _make(client, first, name="OCDS til opendata.dk", expires_on="2019-02-01")
    assert made.status_code == 201
    answer = made.get_json()
    assert answer["expires_on"] == "2019-02-01" and answer["token"].startswith(answer["prefix"])
    token = answer["token"]
    assert client.get("/api/v1/tokens", headers=bearer(token)).status_code == 200
    app.config["PORTAL_TODAY"] = date(2019, 2, 1)  # its last day: still works
    assert client.get("/api/v1/tokens", headers=bearer(token)).status_code == 200
    app.config["PORTAL_TODAY"] = date(2019, 2, 2)
    assert client.get("/api/v1/tokens", headers=bearer(token)).status_code == 401


def test_the_default_is_90_days_and_a_year_is_the_most(app, client, make_token):
    token = make_token(app, "indkob@example.dk", "procurement")
    default = _make(client, token, name="ERP")
    assert default.get_json()["expires_on"] == (TODAY + timedelta(days=90)).isoformat()
    for bad in ("2019-01-24", "2020-01-26", "2019-13-01"):
        refused = _make(client, token, name="ERP", expires_on=bad)
        assert refused.status_code == 422, bad
    assert _make(client, token, name="", expires_on="2019-03-01").status_code == 422


def test_a_user_lists_and_revokes_only_their_own_tokens(app, client, make_token):
    mine = make_token(app, "indkob@example.dk", "procurement")
    theirs = make_token(app, "okonomi@example.dk", "finance")
    made = _make(client, mine, name="Til ERP").get_json()
    listed = client.get("/api/v1/tokens", headers=bearer(mine)).get_json()
    assert [t["name"] for t in listed["items"]] == ["Til ERP", "test"]
    assert all("token" not in t for t in listed["items"])
    # Another user's token is not found, whether or not it exists.
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=bearer(theirs)).status_code == 404
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=bearer(mine)).status_code == 204
    assert client.get("/api/v1/tokens", headers=bearer(made["token"])).status_code == 401
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.record_type == "api_token")
        ).all()
    assert actions.count("token.revoked") == 1


@pytest.mark.parametrize("role", ["procurement", "provider", "finance", "admin"])
def test_every_role_makes_its_own_token_on_the_page(app, client, make_user, role):
    with app.app_context():
        provider_id = None
        if role == "provider":
            from tests.scenarios import sample_scenario

            provider_id = sample_scenario(db.session).provider_id
        make_user(db.session, f"{role}@example.dk", role, provider_id)
        db.session.commit()
    login(client, f"{role}@example.dk")
    page = client.get("/tokens")
    assert page.status_code == 200 and "API-nøgler" in page.get_data(as_text=True)
    made = client.post(
        "/tokens",
        data={
            "name": "Egen integration",
            "expires_on": "01-03-2019",
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and 'id="new-token"' in html
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Egen integration"))
    assert row.expires_on == date(2019, 3, 1)
    token = html.split('id="new-token">')[1].split("<")[0]
    assert client.get("/api/v1/tokens", headers=bearer(token)).status_code == 200
    refused = client.post(
        "/tokens",
        data={"name": "x", "expires_on": "24-01-2021", "csrf_token": csrf_token(html)},
    )
    assert refused.status_code == 422 and "højst et år" in refused.get_data(as_text=True)
