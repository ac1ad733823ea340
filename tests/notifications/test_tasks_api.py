"""GET /api/v1/tasks: the home page's "Opgaver" as JSON for the providers' own systems, declared
in the OpenAPI document and scoped to the caller."""

from __future__ import annotations

from datetime import date

from contracts.models import Contract
from contracts.services import reports
from provider_portal.extensions import db
from tests.api.answers import check_against_document
from tests.api.conftest import bearer
from tests.factories import make_report, sample_report
from tests.notifications.conftest import PROCUREMENT
from tests.scenarios import two_providers


def test_a_provider_system_reads_its_own_tasks_in_english(any_app):
    any_app.config["PORTAL_TODAY"] = date(2019, 2, 5)
    with any_app.app_context():
        world = two_providers(db.session)
        contract = db.session.get(Contract, world.a.contract_id)
        report = make_report(db.session, contract, sample_report(), status="submitted")
        reports.reject(db.session, PROCUREMENT, report, "Timerne ser for høje ud")
        db.session.commit()
    client = any_app.test_client()
    answer = client.get("/api/v1/tasks", headers=bearer(world.tokens["provider"]))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["today"] == "2019-02-05"
    kinds = {task["kind"]: task for task in body["tasks"]}
    assert list(kinds) == ["reports_rejected", "reports_overdue"]
    rejected = kinds["reports_rejected"]
    assert rejected["title"] == "1 report rejected: correct it and send it again"
    assert rejected["items"] == [
        {
            "contract_id": world.a.contract_id,
            "contract": "SÆR-2018-03",
            "month": "2019-01",
            "date": "2019-02-10",
            "url": f"/provider/contracts/{world.a.contract_id}/reports/2019-01",
        }
    ]
    assert kinds["reports_overdue"]["count"] == 10
    assert "SÆR-B" not in answer.get_data(as_text=True)
    doc = client.get("/api/v1/openapi.json").get_json()
    check_against_document(doc, "GET", "/api/v1/tasks", answer)
    # Provider B has its own months to send (January due on the 10th), and not A's rejected one.
    other = client.get("/api/v1/tasks", headers=bearer(world.tokens["other"])).get_json()
    assert [(t["kind"], t["count"]) for t in other["tasks"]] == [
        ("reports_overdue", 10),
        ("reports_due", 1),
    ]
    assert {item["contract"] for task in other["tasks"] for item in task["items"]} == {"SÆR-B"}


def test_staff_read_theirs_and_nobody_without_a_token(app):
    app.config["PORTAL_TODAY"] = date(2019, 2, 5)
    with app.app_context():
        world = two_providers(db.session)
        db.session.commit()
    client = app.test_client()
    for who in ("finance", "admin"):
        answer = client.get("/api/v1/tasks", headers=bearer(world.tokens[who]))
        assert answer.status_code == 200
        assert answer.get_json()["tasks"] == [], who
    assert client.get("/api/v1/tasks").status_code == 401
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["paths"]["/api/v1/tasks"]["get"]["summary"] == "What waits for you now"
