"""API tokens: made on the command line, stored only as digests, good for the API at once."""

from __future__ import annotations

import sqlalchemy as sa

from contracts.models import ApiToken
from tests.api.conftest import bearer
from tests.conftest import TEST_PASSWORD


def test_cli_token_works_and_is_stored_only_as_a_digest(app, client, runner):
    created = runner.invoke(
        args=[
            "create-user",
            "--email",
            "okonomi@example.dk",
            "--role",
            "finance",
            "--password",
            TEST_PASSWORD,
        ]
    )
    assert created.exit_code == 0, created.output
    result = runner.invoke(args=["create-token", "--email", "okonomi@example.dk"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert len(token) > 30

    response = client.get("/api/v1/providers", headers=bearer(token))
    assert response.status_code == 200 and response.get_json() == {
        "items": [],
        "page": 1,
        "pages": 1,
        "total": 0,
    }

    from provider_portal.extensions import db

    with app.app_context():
        rows = db.session.execute(sa.select(ApiToken.__table__)).all()
    assert len(rows) == 1
    values = [str(value) for value in rows[0]]
    assert not any(token in value for value in values)
    # The digest cannot be used as a token either.
    digest = rows[0].token_hash
    assert client.get("/api/v1/providers", headers=bearer(digest)).status_code == 401
