"""The month's report agrees with the exits confirmed by notices (DESIGN.md §3): each confirmed
exit of the month must be on its participant's line with the same date and reason; an exit told
first in the report works as before.

The sample report of January 2019 (tests/data/samples) has DL-2HB8R exiting on 16 January for
a job, on line 4 of the file, and DL-4Q7K2 active on line 2. The portal's date here is
5 February 2019: January has ended, so its report may be submitted.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import MonthlyReport
from contracts.services.reports import enrolled_for_month
from provider_portal.extensions import db
from tests.conftest import csrf_token
from tests.factories import sample_report
from tests.notices.calls import decide, enrolment_end, exit_notice
from tests.pages import PageParts, text_of

REPORT = "/api/v1/contracts/{contract}/reports/2019-01"


@pytest.fixture(autouse=True)
def _after_january(world):
    world.app.config["PORTAL_TODAY"] = date(2019, 2, 5)


def confirmed(world, ref: str, day: str, reason: str = "job") -> int:
    notice = exit_notice(world, ref, day, reason)
    assert decide(world, notice["id"], "confirm").status_code == 200
    return notice["id"]


def put_report(world, data: bytes):
    return world.app.test_client().put(
        REPORT.format(contract=world.contract_id),
        data=data,
        content_type="text/csv",
        headers=world.headers("provider"),
    )


def report_call(world, action: str, who: str, **body):
    return world.app.test_client().post(
        REPORT.format(contract=world.contract_id) + f"/{action}",
        json=body or None,
        headers=world.headers(who),
    )


def reports_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(MonthlyReport.id)))


def problems_of(response) -> list[dict]:
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]


def test_an_exit_confirmed_on_15_january_ends_the_enrolment_on_15_january(world):
    confirmed(world, "DL-2HB8R", "2019-01-15")
    assert enrolment_end(world.app, "DL-2HB8R") == (date(2019, 1, 15), "job")


def test_a_report_with_another_date_gets_the_problem_on_that_line(world):
    confirmed(world, "DL-2HB8R", "2019-01-15")
    problems = problems_of(put_report(world, sample_report()))
    on_line = [p for p in problems if p.get("line") == 4 and p["field"] == "exit_date"]
    assert on_line, problems
    assert "2019-01-15" in on_line[0]["message"] and "(job)" in on_line[0]["message"]
    assert "confirmed" in on_line[0]["message"]
    assert reports_stored(world.app) == 0


def test_a_report_without_the_exit_gets_the_problem_on_that_line(world):
    confirmed(world, "DL-4Q7K2", "2019-01-15", "benefit_stopped")
    problems = problems_of(put_report(world, sample_report()))
    mine = [p for p in problems if "confirmed" in p["message"]]
    assert [(p["line"], p["field"]) for p in mine] == [(2, "exit_date")]
    assert "2019-01-15 (benefit_stopped)" in mine[0]["message"]
    assert reports_stored(world.app) == 0


def test_a_report_with_another_reason_gets_the_problem_on_the_reason(world):
    confirmed(world, "DL-2HB8R", "2019-01-16", "education")
    problems = problems_of(put_report(world, sample_report()))
    mine = [p for p in problems if "confirmed" in p["message"]]
    assert [(p["line"], p["field"]) for p in mine] == [(4, "exit_reason")]


def test_a_report_that_agrees_is_saved_submitted_and_accepted(world):
    confirmed(world, "DL-2HB8R", "2019-01-16", "job")
    assert put_report(world, sample_report()).status_code == 200
    assert report_call(world, "submit", "provider").status_code == 200
    # The enrolment has already ended on that day; accepting the report must not fail.
    assert report_call(world, "accept", "procurement").status_code == 200
    assert enrolment_end(world.app, "DL-2HB8R") == (date(2019, 1, 16), "job")
    # The exits told first in the report end their enrolments on acceptance, as before.
    assert enrolment_end(world.app, "DL-8KD4V") == (date(2019, 1, 19), "education")


def test_an_exit_told_first_in_the_report_works_as_before(world):
    assert put_report(world, sample_report()).status_code == 200
    assert enrolment_end(world.app, "DL-2HB8R") == (None, None)
    assert report_call(world, "submit", "provider").status_code == 200
    assert report_call(world, "accept", "procurement").status_code == 200
    assert enrolment_end(world.app, "DL-2HB8R") == (date(2019, 1, 16), "job")


def test_a_draft_saved_before_the_confirmation_is_not_submitted_until_it_agrees(world):
    assert put_report(world, sample_report()).status_code == 200
    confirmed(world, "DL-4Q7K2", "2019-01-15")
    response = report_call(world, "submit", "provider")
    problems = problems_of(response)
    assert [(p["line"], p["field"]) for p in problems] == [(1, "exit_date")]
    assert "DL-4Q7K2" in problems[0]["message"] and "2019-01-15" in problems[0]["message"]
    read = world.app.test_client().get(
        REPORT.format(contract=world.contract_id), headers=world.headers("provider")
    )
    assert read.get_json()["status"] == "draft"


def test_a_notice_for_a_month_already_reported_is_refused(world):
    assert put_report(world, sample_report()).status_code == 200
    waiting = exit_notice(world, "DL-9XW3M", "2019-01-20")
    assert report_call(world, "submit", "provider").status_code == 200
    # A new exit notice of January: told in the report, or in a correction.
    late = world.app.test_client().post(
        f"/api/v1/contracts/{world.contract_id}/notices",
        json={"participant_ref": "DL-4Q7K2", "kind": "exit", "date": "2019-01-21", "reason": "job"},
        headers=world.headers("provider"),
    )
    assert late.status_code == 409
    # A notice received before, which the submitted report leaves out, cannot be confirmed.
    assert decide(world, waiting["id"], "confirm").status_code == 409
    assert enrolment_end(world.app, "DL-9XW3M") == (None, None)
    # Rejected, it changes nothing.
    assert decide(world, waiting["id"], "reject", reason="Ikke i rapporten").status_code == 200
    assert enrolment_end(world.app, "DL-9XW3M") == (None, None)


def test_a_notice_of_an_exit_the_accepted_report_carries_is_confirmed_as_it_is(world):
    notice = exit_notice(world, "DL-2HB8R", "2019-01-16")
    other = exit_notice(world, "DL-8KD4V", "2019-01-18", "education")
    assert put_report(world, sample_report()).status_code == 200
    assert report_call(world, "submit", "provider").status_code == 200
    assert report_call(world, "accept", "procurement").status_code == 200
    # The same exit: confirmed, nothing changes. Another day: it has ended otherwise.
    assert decide(world, notice["id"], "confirm").status_code == 200
    assert enrolment_end(world.app, "DL-2HB8R") == (date(2019, 1, 16), "job")
    assert decide(world, other["id"], "confirm").status_code == 409
    assert enrolment_end(world.app, "DL-8KD4V") == (date(2019, 1, 19), "education")


def test_the_february_report_leaves_out_a_participant_who_left_in_january(world):
    # Enrolled days and who must be reported follow the enrolment the notice ended.
    confirmed(world, "DL-2HB8R", "2019-01-16")
    with world.app.app_context():
        refs = [
            e.participant_ref for e in enrolled_for_month(db.session, world.contract_id, "2019-02")
        ]
        january = {
            e.participant_ref: e.end_on
            for e in enrolled_for_month(db.session, world.contract_id, "2019-01")
        }
    assert "DL-2HB8R" not in refs and len(refs) == 6
    assert january["DL-2HB8R"] == date(2019, 1, 16)


# The same rule on the provider's report page, in Danish.

PAGE = "/provider/contracts/{contract}/reports/2019-01"


def upload(world, client, data: bytes):
    url = PAGE.format(contract=world.contract_id)
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(
        url + "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data), "januar.csv", "text/csv")},
        content_type="multipart/form-data",
    )


def test_the_report_page_shows_the_problem_on_the_files_line_in_danish(world):
    confirmed(world, "DL-2HB8R", "2019-01-15")
    client = world.client("provider")
    response = upload(world, client, sample_report())
    assert response.status_code == 422
    parts = PageParts(response.get_data(as_text=True))
    line = " ".join(text_of(row) for row in parts.xpath("//tr[@data-line = '4']"))
    assert "DL-2HB8R" in line
    assert (
        "Afgangen den 15-01-2019 (job) er bekræftet; linjen skal have samme dato og årsag" in line
    )
    assert reports_stored(world.app) == 0


def test_the_report_page_does_not_submit_a_draft_that_disagrees(world):
    client = world.client("provider")
    assert upload(world, client, sample_report()).status_code == 302
    confirmed(world, "DL-4Q7K2", "2019-01-15")
    url = PAGE.format(contract=world.contract_id)
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url + "/submit", data={"csrf_token": token})
    assert response.status_code == 422
    text = PageParts(response.get_data(as_text=True)).text
    assert (
        "Indberetningen blev ikke indsendt: Afgangen for DL-4Q7K2 den 15-01-2019 (job) er "
        "bekræftet; indberetningens linje skal have samme dato og årsag"
    ) in text
    read = world.app.test_client().get(
        REPORT.format(contract=world.contract_id), headers=world.headers("provider")
    )
    assert read.get_json()["status"] == "draft"
