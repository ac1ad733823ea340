"""Deactivation, reactivation and the second person's approval (DESIGN.md §13), by page, API
and command; and the finding "admin can become anyone": admin neither chooses a password nor
makes a provider's user, and a staff account stays unusable until someone else approves it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Provider, User
from contracts.services.accounts import create_token, create_user
from contracts.services.demo import DEMO_PASSWORD
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token, login
from tests.users.conftest import NEW_PASSWORD, choose_password, link_in, mails, user


def _post(client, page: str, url: str, data: dict | None = None):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def _token_of(app, email: str) -> str:
    from provider_portal.extensions import db

    with app.app_context():
        found = db.session.scalar(sa.select(User).where(User.email == email))
        _, token = create_token(db.session, TEST_ACTOR, found, "system")
        db.session.commit()
    return token


def _other_providers_user(app) -> int:
    """A user of a provider that is not the demo coordinator's."""
    from provider_portal.extensions import db

    with app.app_context():
        own = db.session.scalar(
            sa.select(User.provider_id).where(User.email == "leverandor@demo.dk")
        )
        other = db.session.scalar(sa.select(Provider.id).where(Provider.id != own).limit(1))
        created = create_user(
            db.session, TEST_ACTOR, "b@other.dk", "provider", TEST_PASSWORD, other
        )
        db.session.commit()
        return created.id


def test_a_deactivated_users_session_and_token_stop_on_the_next_request(demo_app, client_as):
    provider = client_as("provider")
    token = _token_of(demo_app, "leverandor@demo.dk")
    headers = {"Authorization": f"Bearer {token}"}
    assert provider.get("/provider/").status_code == 200
    assert demo_app.test_client().get("/api/v1/contracts", headers=headers).status_code == 200
    target = user(demo_app, "leverandor@demo.dk").id
    admin = client_as("admin")
    response = _post(admin, "/admin/", f"/admin/users/{target}/deactivate")
    assert response.status_code == 302
    assert "er deaktiveret" in admin.get("/admin/").get_data(as_text=True)
    assert provider.get("/provider/").status_code == 302  # to the login page
    assert demo_app.test_client().get("/api/v1/contracts", headers=headers).status_code == 401
    assert login(demo_app.test_client(), "leverandor@demo.dk", DEMO_PASSWORD).status_code == 200
    # Reactivated, the person logs in again (the ended session stays ended).
    assert _post(admin, "/admin/", f"/admin/users/{target}/reactivate").status_code == 302
    assert login(demo_app.test_client(), "leverandor@demo.dk", DEMO_PASSWORD).status_code == 302
    assert provider.get("/provider/").status_code == 302


def test_admin_neither_sets_a_password_nor_makes_a_providers_user(demo_app, client_as):
    from provider_portal.extensions import db

    admin = client_as("admin")
    page = admin.get("/admin/").get_data(as_text=True)
    assert 'type="password"' not in page
    with demo_app.app_context():
        provider_id = db.session.scalar(sa.select(Provider.id).limit(1))
    refused = _post(
        admin,
        "/admin/",
        "/admin/users",
        {
            "user-email": "spy@x.dk",
            "user-role": "provider",
            "user-provider_id": str(provider_id),
            "user-password": "admin-chose-this",
        },
    )
    assert refused.status_code == 422
    assert user(demo_app, "spy@x.dk") is None
    # A staff account: the password admin sends along is ignored, and it waits for approval.
    made = _post(
        admin,
        "/admin/",
        "/admin/users",
        {"user-email": "spy@x.dk", "user-role": "procurement", "user-password": "admin-chose-this"},
    )
    assert made.status_code == 302
    assert login(demo_app.test_client(), "spy@x.dk", "admin-chose-this").status_code == 200
    assert mails(demo_app) == []
    # Nor by the API.
    token = _token_of(demo_app, "admin@demo.dk")
    answer = demo_app.test_client().post(
        "/api/v1/users",
        json={"email": "spy2@x.dk", "role": "provider_admin", "provider_id": provider_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 403 and user(demo_app, "spy2@x.dk") is None


def test_a_staff_account_is_unusable_until_someone_else_approves_it(demo_app, client_as):
    admin = client_as("admin")
    made = _post(
        admin, "/admin/", "/admin/users", {"user-email": "ny@k.dk", "user-role": "finance"}
    )
    assert made.status_code == 302
    assert "venter på godkendelse af indkøb" in admin.get("/admin/").get_data(as_text=True)
    pending = user(demo_app, "ny@k.dk")
    assert pending.awaiting_approval and not pending.is_active and mails(demo_app) == []
    # Reactivating does not pass the approval.
    assert _post(admin, "/admin/", f"/admin/users/{pending.id}/reactivate").status_code == 409
    procurement = client_as("procurement")
    listed = procurement.get("/procurement/users").get_data(as_text=True)
    assert "ny@k.dk" in listed and "admin@demo.dk" in listed  # who invited it
    approved = _post(procurement, "/procurement/users", f"/procurement/users/{pending.id}/approve")
    assert approved.status_code == 302
    (mail,) = mails(demo_app)
    assert mail["To"] == "ny@k.dk"
    client = demo_app.test_client()
    assert choose_password(client, link_in(mail)).status_code == 302
    assert login(client, "ny@k.dk", NEW_PASSWORD).status_code == 302
    from provider_portal.extensions import db

    with demo_app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.record_id == pending.id, AuditEvent.record_type == "user"
            )
        ).all()
    assert {"user.invited", "user.approved", "user.password_set"} <= set(actions)


def test_a_declined_staff_account_stays_inactive_and_is_never_invited(demo_app, client_as):
    admin = client_as("admin")
    _post(admin, "/admin/", "/admin/users", {"user-email": "ny@k.dk", "user-role": "procurement"})
    pending = user(demo_app, "ny@k.dk")
    procurement = client_as("procurement")
    declined = _post(procurement, "/procurement/users", f"/procurement/users/{pending.id}/decline")
    assert declined.status_code == 302
    page = procurement.get("/procurement/users").get_data(as_text=True)
    assert "ny@k.dk er afvist og bliver ikke inviteret." in page
    assert "Ingen konti venter på godkendelse." in page
    after = user(demo_app, "ny@k.dk")
    assert not after.is_active and not after.awaiting_approval and mails(demo_app) == []
    again = _post(procurement, "/procurement/users", f"/procurement/users/{pending.id}/approve")
    assert again.status_code == 404


def test_a_provider_administrator_manages_its_own_users_and_not_anothers(demo_app, client_as):
    other = _other_providers_user(demo_app)
    manager = client_as("provider")
    page = manager.get("/provider/users").get_data(as_text=True)
    assert "leverandor@demo.dk" in page and "b@other.dk" not in page
    assert (
        _post(manager, "/provider/users", f"/provider/users/{other}/deactivate").status_code == 404
    )
    token = _token_of(demo_app, "leverandor@demo.dk")
    api = demo_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.post(f"/api/v1/users/{other}/deactivate", headers=headers).status_code == 404
    assert user(demo_app, "b@other.dk").is_active
    made = api.post(
        "/api/v1/users", json={"email": "kollega@fodfaeste.dk", "role": "provider"}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["role"] == "provider"
    colleague = made.get_json()["id"]
    assert (
        api.post(f"/api/v1/users/{colleague}/deactivate", headers=headers).get_json()["is_active"]
        is False
    )
    assert len(mails(demo_app)) == 1


def test_a_plain_provider_user_and_finance_manage_nobody(demo_app, client_as):
    from provider_portal.extensions import db

    with demo_app.app_context():
        db.session.execute(sa.update(User).values(manages_users=False))
        db.session.commit()
    assert client_as("provider").get("/provider/users").status_code == 403
    assert client_as("finance").get("/procurement/users").status_code == 403
    token = _token_of(demo_app, "okonomi@demo.dk")
    answer = demo_app.test_client().post(
        "/api/v1/users",
        json={"email": "x@k.dk", "role": "finance"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 403


def test_deactivate_user_command(demo_app):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["deactivate-user", "--email", "okonomi@demo.dk"])
    assert result.exit_code == 0, result.output
    assert "Deactivated okonomi@demo.dk." in result.output
    assert not user(demo_app, "okonomi@demo.dk").is_active
    unknown = runner.invoke(args=["deactivate-user", "--email", "nobody@x.dk"])
    assert unknown.exit_code != 0 and "no user" in unknown.output


@pytest.mark.parametrize(
    "endpoint",
    [
        "admin.create_user_view",
        "admin.deactivate_user",
        "admin.reactivate_user",
        "procurement.invite_user",
        "procurement.approve_user",
        "procurement.decline_user",
        "procurement.deactivate_user",
        "procurement.reactivate_user",
        "provider.invite_user",
        "provider.deactivate_user",
        "provider.reactivate_user",
    ],
)
def test_managing_users_asks_for_a_fresh_login(app, endpoint):
    assert getattr(app.view_functions[endpoint], "needs_fresh_login", False)
