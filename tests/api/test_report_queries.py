"""Reading a report through the API costs the same few SQL statements whatever its length."""

from __future__ import annotations

from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.api.sql_statements import statements
from tests.scenarios import sample_scenario

URL = "/api/v1/contracts/{}/reports/2019-01"


def report_of(app, client, make_token, size: int, cvr: str) -> tuple[int, list[dict]]:
    """A contract whose January report, sent by its provider, has `size` lines; its id and lines."""
    refs = [f"DL-{cvr[:2]}{n:03d}" for n in range(size)]
    with app.app_context():
        scenario = sample_scenario(
            db.session,
            provider_name=f"Leverandør {cvr}",
            cvr=cvr,
            refs=refs,
            reference=f"SÆR-{cvr}",
        )
        db.session.commit()
    token = make_token(app, f"koordinator-{cvr}@example.dk", "provider", scenario.provider_id)
    lines = [
        {
            "participant_ref": ref,
            "hours_planned": "148",
            "hours_delivered": f"{100 + n % 40}.5",
            "absence_hours": None,
            "status": "active",
            "exit_date": None,
            "exit_reason": None,
        }
        for n, ref in enumerate(refs)
    ]
    sent = client.put(
        URL.format(scenario.contract_id), json={"lines": lines}, headers=bearer(token)
    )
    assert sent.status_code == 200, sent.get_json()
    return scenario.contract_id, sent.get_json()["lines"]


def test_a_report_of_200_lines_is_read_with_as_many_statements_as_one_of_10(
    app, client, make_token
):
    small, small_lines = report_of(app, client, make_token, 10, "13585628")
    large, large_lines = report_of(app, client, make_token, 200, "29403473")
    token = make_token(app, "okonomi@example.dk", "finance")
    counts, answers = [], []
    for contract_id in (small, large):
        with statements(app) as sent:
            response = client.get(URL.format(contract_id), headers=bearer(token))
        assert response.status_code == 200
        counts.append(len(sent))
        answers.append(response.get_json()["lines"])
    assert counts[0] == counts[1], counts
    # The answer is the stored report as before: every line, in the order sent, with its reference.
    assert answers == [small_lines, large_lines]
    assert [line["participant_ref"] for line in answers[1]] == [f"DL-29{n:03d}" for n in range(200)]
    assert answers[1][3]["hours_delivered"] == "103.50"
