"""The command line: init-db, create-user and create-token, as an administrator uses them."""

import pytest
import sqlalchemy as sa

from contracts.models import ApiToken, AuditEvent, User
from contracts.services.accounts import user_for_token
from provider_portal.extensions import db


def test_init_db_is_safe_to_run_again(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "newest schema" in result.output


def test_create_user_then_log_in(app, runner, client):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Finance@Example.dk",
            "--role",
            "finance",
            "--password",
            "long-enough-password",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "finance@example.dk"))
        assert user.role == "finance"
        # Only an argon2 hash is kept, never the password.
        assert user.password_hash.startswith("$argon2id$")
        assert "long-enough-password" not in user.password_hash
    from tests.conftest import login

    assert login(client, "finance@example.dk", "long-enough-password").status_code == 302


def test_create_user_refuses_bad_input_with_a_reason(app, runner):
    short = runner.invoke(
        args=["create-user", "--email", "a@example.dk", "--role", "admin", "--password", "short"]
    )
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    orphan = runner.invoke(
        args=[
            "create-user",
            "--email",
            "p@example.dk",
            "--role",
            "provider",
            "--password",
            "long-enough-password",
        ]
    )
    assert orphan.exit_code != 0 and "needs an existing provider" in orphan.output
    runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.dk",
            "--role",
            "admin",
            "--password",
            "long-enough-password",
        ]
    )
    twice = runner.invoke(
        args=[
            "create-user",
            "--email",
            "A@example.dk",
            "--role",
            "admin",
            "--password",
            "long-enough-password",
        ]
    )
    assert twice.exit_code != 0 and "exists already" in twice.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_create_token_prints_the_token_alone_on_the_last_line_and_stores_only_its_hash(app, runner):
    runner.invoke(
        args=[
            "create-user",
            "--email",
            "indkob@example.dk",
            "--role",
            "procurement",
            "--password",
            "long-enough-password",
        ]
    )
    result = runner.invoke(args=["create-token", "--email", "indkob@example.dk"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("pp_") and len(token) > 40 and " " not in token
    with app.app_context():
        stored = db.session.scalars(sa.select(ApiToken)).one()
        assert token not in (stored.token_hash, stored.prefix, stored.name)
        assert user_for_token(db.session, token).email == "indkob@example.dk"
        assert user_for_token(db.session, token + "x") is None
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert "token.created" in actions
        # The audit log knows a token was made, never the token itself.
        details = db.session.scalars(sa.select(AuditEvent.details)).all()
        assert token not in repr(details)


def test_create_token_for_an_unknown_user_fails_plainly(runner):
    result = runner.invoke(args=["create-token", "--email", "nobody@example.dk"])
    assert result.exit_code != 0 and "no active user" in result.output


@pytest.mark.usefixtures("january_ended")
def test_aggregate_enqueues_the_months_with_accepted_reports(app, runner):
    """`make run` starts the demo's invoicing with this command."""
    from provider_portal.jobs.queues import queue, redis_connection
    from tests.scenarios import accepted_sample_month

    accepted_sample_month(app)
    result = runner.invoke(args=["aggregate", "--all-months"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2019-01: enqueued as aggregate-2019-01"
    with app.app_context():
        waiting = queue("aggregation", redis_connection())
        assert waiting.count == 1 and waiting.deferred_job_registry.get_job_ids() == [
            "aggregate-2019-01"
        ]
    again = runner.invoke(args=["aggregate", "--month", "2019-13"])
    assert again.exit_code != 0 and "2019-13" in again.output
    # A month that has not ended is refused plainly, naming the day it may run.
    early = runner.invoke(args=["aggregate", "--month", "2019-02"])
    assert early.exit_code != 0 and "2019-03-01" in early.output
