"""Starting a month's aggregation by the API and following its job on a real worker."""

import time

import pytest

from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.jobs.workers import start_worker, stop_worker
from tests.scenarios import accepted_sample_month


def tokens(app, provider_id):
    with app.app_context():
        made = {}
        for email, role, pid in [
            ("okonomi@example.dk", "finance", None),
            ("indkob@example.dk", "procurement", None),
            ("lev@example.dk", "provider", provider_id),
        ]:
            user = create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, pid)
            made[role] = create_token(db.session, TEST_ACTOR, user)[1]
        db.session.commit()
    return made


@pytest.mark.usefixtures("january_ended")
def test_finance_aggregates_a_month_and_reads_its_scores(any_app):
    [contract_id] = accepted_sample_month(any_app)
    with any_app.app_context():
        from contracts.models import Contract

        provider_id = db.session.get(Contract, contract_id).provider_id
    token = tokens(any_app, provider_id)
    client = any_app.test_client()
    worker = start_worker(
        any_app.config["DATABASE_URL"], any_app.config["REDIS_URL"], "aggregation"
    )
    try:
        started = client.post(
            "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(token["finance"])
        )
        assert started.status_code == 202
        job_id = started.get_json()["job_id"]
        assert job_id == "aggregate-2019-01"
        # Someone else's job is not theirs to see.
        assert (
            client.get(f"/api/v1/jobs/{job_id}", headers=bearer(token["procurement"])).status_code
            == 404
        )
        deadline = time.monotonic() + 60
        while True:
            job = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(token["finance"])).get_json()
            if job["status"] in ("finished", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert job["status"] == "finished", job
        assert job["progress"] == {"done": 2, "total": 2}
    finally:
        stop_worker(worker)
    scores = client.get(
        "/api/v1/scores?scope=all&month=2019-01&cumulative=true", headers=bearer(token["finance"])
    )
    body = scores.get_json()
    assert scores.status_code == 200, body
    assert (body["participants"], body["active_end"], body["exits"], body["positive"]) == (
        7,
        3,
        4,
        2,
    )
    assert body["outcome_rate"] == "0.5000" and body["score"] is None
    mine = client.get(
        f"/api/v1/scores?scope=contract&id={contract_id}&month=2019-01",
        headers=bearer(token["provider"]),
    )
    assert mine.status_code == 200 and mine.get_json()["exits"] == 4
    refusals = [  # what an API client is told, in English sentences naming what to do
        (
            "scope=all&month=2019-01",
            "provider",
            403,
            "scope",
            "Providers see the scores of their own provider and contracts.",
        ),
        (
            "scope=programme&id=1&month=2019-01",
            "provider",
            403,
            "scope",
            "Providers see the scores of their own provider and contracts.",
        ),
        ("scope=contract&month=2019-01", "finance", 422, "id", "The scope contract needs an id."),
        (
            "scope=all&month=2019-02",
            "finance",
            404,
            None,
            "There are no scores for 2019-02 yet: aggregate the month first.",
        ),
    ]
    for query, role, status, field, message in refusals:
        answer = client.get(f"/api/v1/scores?{query}", headers=bearer(token[role]))
        assert answer.status_code == status, (query, answer.get_json())
        assert answer.get_json()["errors"] == [{"field": field, "message": message}], query
    bad = client.post(
        "/api/v1/aggregations", json={"month": "2019-13"}, headers=bearer(token["finance"])
    )
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "month"
    assert (
        client.post(
            "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(token["provider"])
        ).status_code
        == 403
    )
