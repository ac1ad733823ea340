"""The reports API: CSV or JSON in, the same stored report out, every problem listed."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.models import MonthlyReport, ReportLine
from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.scenarios import other_provider_scenario, sample_scenario

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
URL = "/api/v1/contracts/{}/reports/2019-01"


def setup_tokens(app):
    """The sample contract, its provider's user, another provider's user and procurement."""
    with app.app_context():
        scenario = sample_scenario(db.session)
        other = other_provider_scenario(db.session)
        tokens = {}
        for email, role, provider_id in [
            ("koordinator@example.dk", "provider", scenario.provider_id),
            ("anden@example.dk", "provider", other.provider_id),
            ("indkob@example.dk", "procurement", None),
            ("okonomi@example.dk", "finance", None),
        ]:
            user = create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, provider_id)
            tokens[
                role if role != "provider" or provider_id == scenario.provider_id else "other"
            ] = create_token(db.session, TEST_ACTOR, user)[1]
        db.session.commit()
    return scenario, tokens


def put(client, token, contract_id, name, content_type):
    return client.put(
        URL.format(contract_id),
        data=(SAMPLES / name).read_bytes(),
        headers={**bearer(token), "Content-Type": content_type},
    )


def test_three_good_files_give_identical_stored_reports(app, client):
    scenario, tokens = setup_tokens(app)
    answers = []
    for name, content_type in [
        ("report-2019-01-excel-da.csv", "text/csv"),
        ("report-2019-01-utf8-bom.csv", "text/csv; charset=utf-8"),
        ("report-2019-01.json", "application/json"),
    ]:
        response = put(client, tokens["provider"], scenario.contract_id, name, content_type)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        answers.append(body["lines"])
        assert body["status"] == "draft" and body["version"] == 1
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == {
        "participant_ref": "DL-4Q7K2",
        "hours_planned": "148.00",
        "hours_delivered": "131.50",
        "absence_hours": "16.50",
        "status": "active",
        "exit_date": None,
        "exit_reason": None,
    }
    read = client.get(URL.format(scenario.contract_id), headers=bearer(tokens["procurement"]))
    assert read.status_code == 200 and read.get_json()["lines"] == answers[0]


def test_the_bad_file_is_refused_whole_with_every_problem(app, client):
    scenario, tokens = setup_tokens(app)
    put(client, tokens["provider"], scenario.contract_id, "report-2019-01.json", "application/json")
    response = put(
        client, tokens["provider"], scenario.contract_id, "bad-report-2019-01.csv", "text/csv"
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {e["line"] for e in errors if "line" in e} == {3, 4, 5, 6, 7, 8, 9, 10}
    assert all(set(e) <= {"line", "field", "message"} for e in errors)
    assert any("163.86" in e["message"] for e in errors)
    with app.app_context():
        # The earlier draft is as it was: seven lines of the good report.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportLine)) == 7


def test_files_that_are_not_reports_get_4xx_with_an_errors_list(app, client):
    scenario, tokens = setup_tokens(app)
    for data, content_type in [
        (b"PK\x03\x04xlsx", "text/csv"),
        (b"", "text/csv"),
        (b"\xff\xfeh\x00i\x00", "text/csv"),
        (b"{", "application/json"),
        (b"a,b", "image/png"),
    ]:
        response = client.put(
            URL.format(scenario.contract_id),
            data=data,
            headers={**bearer(tokens["provider"]), "Content-Type": content_type},
        )
        assert 400 <= response.status_code < 500, (data, response.status_code)
        assert response.get_json()["errors"], data
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) == 0


@pytest.mark.usefixtures("january_ended")
def test_flow_and_isolation(app, client):
    scenario, tokens = setup_tokens(app)
    url = URL.format(scenario.contract_id)
    # Another provider cannot read, write or even learn that the contract exists.
    assert (
        put(
            client, tokens["other"], scenario.contract_id, "report-2019-01.json", "application/json"
        ).status_code
        == 404
    )
    put(client, tokens["provider"], scenario.contract_id, "report-2019-01.json", "application/json")
    assert client.get(url, headers=bearer(tokens["other"])).status_code == 404
    assert client.post(url + "/submit", headers=bearer(tokens["other"])).status_code == 404
    # Procurement cannot submit on a provider's behalf; the provider cannot accept its own.
    assert client.post(url + "/submit", headers=bearer(tokens["procurement"])).status_code == 403
    assert client.post(url + "/submit", headers=bearer(tokens["provider"])).get_json() == {
        "status": "submitted",
        "version": 1,
    }
    assert client.post(url + "/accept", headers=bearer(tokens["provider"])).status_code == 403
    assert (
        client.post(url + "/reject", headers=bearer(tokens["procurement"]), json={}).status_code
        == 422
    )
    assert (
        client.post(url + "/accept", headers=bearer(tokens["procurement"])).get_json()["status"]
        == "accepted"
    )
    again = put(
        client, tokens["provider"], scenario.contract_id, "report-2019-01.json", "application/json"
    )
    assert again.status_code == 409 and "locked" in again.get_json()["errors"][0]["message"]
    assert client.get(url, headers=bearer(tokens["finance"])).get_json()["status"] == "accepted"
    bad_month = client.get(
        URL.format(scenario.contract_id).replace("2019-01", "2019-13"),
        headers=bearer(tokens["procurement"]),
    )
    assert bad_month.status_code == 422
    assert bad_month.get_json()["errors"] == [
        {"field": "month", "message": "The month must be written YYYY-MM, such as 2019-01."}
    ]
    missing = client.get(
        URL.format(scenario.contract_id).replace("2019-01", "2019-02"),
        headers=bearer(tokens["provider"]),
    )
    assert missing.status_code == 404
    assert missing.get_json()["errors"][0]["message"] == "There is no report for 2019-02 yet."


def test_reading_a_report_by_api_is_audited_once_a_day_per_reader(app, client):
    """The report names participants (GDPR art. 10 data): every reader's first read of the day
    is an audit event, with who read it; reading it again that day adds nothing."""
    from contracts.models import AuditEvent

    scenario, tokens = setup_tokens(app)
    assert (
        put(
            client,
            tokens["provider"],
            scenario.contract_id,
            "report-2019-01.json",
            "application/json",
        ).status_code
        == 200
    )
    for role in ("procurement", "procurement", "finance", "provider"):
        answer = client.get(URL.format(scenario.contract_id), headers=bearer(tokens[role]))
        assert answer.status_code == 200
    with app.app_context():
        readers = db.session.scalars(
            sa.select(AuditEvent.actor_label)
            .where(AuditEvent.action == "participants.viewed")
            .order_by(AuditEvent.id)
        ).all()
    assert readers == ["indkob@example.dk", "okonomi@example.dk", "koordinator@example.dk"]
