"""Notices during the month through the API (DESIGN.md §3, §8): a provider's system tells of an
exit or an absence the day it happens, procurement confirms or rejects exits.

The portal's date in tests is 24 January 2019; the sample contract's seven participants are
enrolled since 1 October 2018.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.notices.calls import (
    audit_actions,
    decide,
    enrolment_end,
    exit_notice,
    get,
    notice_count,
    send_notice,
)
from tests.notices.conftest import B_REFS


def fields(response) -> list[str]:
    return [error["field"] for error in response.get_json()["errors"]]


def test_an_exit_notice_is_received_and_changes_nothing_until_confirmed(world):
    response = send_notice(
        world,
        participant_ref="DL-4Q7K2",
        kind="exit",
        date="2019-01-15",
        reason="job",
        note="Fastansat hos Bygma",
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "exit" and body["status"] == "received"
    assert (body["participant_ref"], body["date"], body["reason"]) == (
        "DL-4Q7K2",
        "2019-01-15",
        "job",
    )
    assert body["contract_id"] == world.contract_id and body["hours"] is None
    assert body["note"] == "Fastansat hos Bygma" and body["decided_at"] is None
    assert enrolment_end(world.app, "DL-4Q7K2") == (None, None)
    assert audit_actions(world.app, body["id"]) == ["notice.recorded"]


def test_an_absence_notice_keeps_the_hours_missed(world):
    response = send_notice(
        world, participant_ref="DL-9XW3M", kind="absence", date="2019-01-24", hours="3.5"
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["kind"], body["hours"], body["reason"], body["status"]) == (
        "absence",
        "3.50",
        None,
        "received",
    )


@pytest.mark.parametrize(
    "body, field",
    [
        # Not enrolled in this contract: another provider's participant, and before the start.
        (
            {"participant_ref": B_REFS[0], "kind": "exit", "date": "2019-01-15", "reason": "job"},
            "participant_ref",
        ),
        (
            {"participant_ref": "DL-4Q7K2", "kind": "exit", "date": "2018-09-30", "reason": "job"},
            "participant_ref",
        ),
        (
            {"participant_ref": "DL-NOONE", "kind": "absence", "date": "2019-01-15", "hours": "2"},
            "participant_ref",
        ),
        # A day that has not come.
        (
            {"participant_ref": "DL-4Q7K2", "kind": "exit", "date": "2019-01-25", "reason": "job"},
            "date",
        ),
        # An exit without a reason, or with one that is none.
        ({"participant_ref": "DL-4Q7K2", "kind": "exit", "date": "2019-01-15"}, "reason"),
        (
            {
                "participant_ref": "DL-4Q7K2",
                "kind": "exit",
                "date": "2019-01-15",
                "reason": "fired",
            },
            "reason",
        ),
        # An absence without hours, with none, or with more than a day holds.
        ({"participant_ref": "DL-4Q7K2", "kind": "absence", "date": "2019-01-15"}, "hours"),
        (
            {"participant_ref": "DL-4Q7K2", "kind": "absence", "date": "2019-01-15", "hours": "0"},
            "hours",
        ),
        (
            {
                "participant_ref": "DL-4Q7K2",
                "kind": "absence",
                "date": "2019-01-15",
                "hours": "12.5",
            },
            "hours",
        ),
        (
            {
                "participant_ref": "DL-4Q7K2",
                "kind": "absence",
                "date": "2019-01-15",
                "hours": "2.125",
            },
            "hours",
        ),
        (
            {
                "participant_ref": "DL-4Q7K2",
                "kind": "absence",
                "date": "2019-01-15",
                "hours": "lots",
            },
            "hours",
        ),
        # An exit has no hours and an absence no reason.
        (
            {
                "participant_ref": "DL-4Q7K2",
                "kind": "exit",
                "date": "2019-01-15",
                "reason": "job",
                "hours": "2",
            },
            "hours",
        ),
        (
            {
                "participant_ref": "DL-4Q7K2",
                "kind": "absence",
                "date": "2019-01-15",
                "hours": "2",
                "reason": "job",
            },
            "reason",
        ),
        ({"participant_ref": "DL-4Q7K2", "kind": "holiday", "date": "2019-01-15"}, "kind"),
    ],
)
def test_what_cannot_be_so_is_refused_with_the_field_and_nothing_stored(world, body, field):
    response = send_notice(world, **body)
    assert response.status_code == 422, response.get_json()
    assert field in fields(response)
    assert notice_count(world.app) == 0


def test_every_problem_is_told_at_once(world):
    response = send_notice(
        world, participant_ref="DL-NOONE", kind="absence", date="2019-02-01", hours="13"
    )
    assert response.status_code == 422
    assert set(fields(response)) == {"participant_ref", "date", "hours"}


def test_twelve_hours_is_a_days_most(world):
    response = send_notice(
        world, participant_ref="DL-4Q7K2", kind="absence", date="2019-01-15", hours="12"
    )
    assert response.status_code == 201


def test_confirming_an_exit_ends_the_enrolment_on_its_day_at_once(world):
    notice = exit_notice(world, "DL-2HB8R", "2019-01-15", "job")
    response = decide(world, notice["id"], "confirm")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "confirmed" and body["decided_at"] is not None
    assert enrolment_end(world.app, "DL-2HB8R") == (date(2019, 1, 15), "job")
    assert audit_actions(world.app, notice["id"]) == ["notice.recorded", "notice.confirmed"]
    # The provider reads the decision.
    read = get(world, f"/api/v1/notices/{notice['id']}")
    assert read.status_code == 200 and read.get_json()["status"] == "confirmed"


def test_a_decided_notice_is_not_decided_again(world):
    confirmed = exit_notice(world, "DL-2HB8R", "2019-01-15")
    assert decide(world, confirmed["id"], "confirm").status_code == 200
    assert decide(world, confirmed["id"], "confirm").status_code == 409
    assert decide(world, confirmed["id"], "reject", reason="Fejl").status_code == 409
    rejected = exit_notice(world, "DL-9XW3M", "2019-01-15")
    assert decide(world, rejected["id"], "reject", reason="Fejl").status_code == 200
    assert decide(world, rejected["id"], "confirm").status_code == 409
    assert enrolment_end(world.app, "DL-9XW3M") == (None, None)


def test_a_rejected_notice_changes_nothing_and_the_provider_reads_why(world):
    notice = exit_notice(world, "DL-4Q7K2", "2019-01-15")
    response = decide(world, notice["id"], "reject", reason="Borgeren mødte igen dagen efter.")
    assert response.status_code == 200
    assert response.get_json()["status"] == "rejected"
    assert enrolment_end(world.app, "DL-4Q7K2") == (None, None)
    read = get(world, f"/api/v1/notices/{notice['id']}").get_json()
    assert read["rejection_reason"] == "Borgeren mødte igen dagen efter."
    assert audit_actions(world.app, notice["id"]) == ["notice.recorded", "notice.rejected"]
    # After a rejection the provider may tell of the exit again.
    assert exit_notice(world, "DL-4Q7K2", "2019-01-16")["status"] == "received"


def test_a_rejection_needs_a_reason(world):
    notice = exit_notice(world, "DL-4Q7K2", "2019-01-15")
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = decide(world, notice["id"], "reject", **body)
        assert response.status_code == 422, body
    assert get(world, f"/api/v1/notices/{notice['id']}").get_json()["status"] == "received"


def test_a_second_exit_notice_of_an_enrolment_is_a_conflict(world):
    notice = exit_notice(world, "DL-4Q7K2", "2019-01-15")
    again = send_notice(
        world, participant_ref="DL-4Q7K2", kind="exit", date="2019-01-16", reason="education"
    )
    assert again.status_code == 409
    assert decide(world, notice["id"], "confirm").status_code == 200
    # Now the enrolment has ended: the participant is not enrolled after the 15th, and on the
    # 15th itself there is nothing left to end.
    after = send_notice(
        world, participant_ref="DL-4Q7K2", kind="exit", date="2019-01-16", reason="job"
    )
    assert after.status_code == 422 and fields(after) == ["participant_ref"]
    same_day = send_notice(
        world, participant_ref="DL-4Q7K2", kind="exit", date="2019-01-15", reason="job"
    )
    assert same_day.status_code == 409
    assert notice_count(world.app) == 1


def test_the_same_absence_is_told_once(world):
    body = {"participant_ref": "DL-4Q7K2", "kind": "absence", "date": "2019-01-15", "hours": "2"}
    assert send_notice(world, **body).status_code == 201
    assert send_notice(world, **body).status_code == 409
    assert send_notice(world, **{**body, "date": "2019-01-16"}).status_code == 201


def test_an_absence_notice_is_not_decided(world):
    response = send_notice(
        world, participant_ref="DL-4Q7K2", kind="absence", date="2019-01-15", hours="2"
    )
    notice_id = response.get_json()["id"]
    assert decide(world, notice_id, "confirm").status_code == 409
    assert decide(world, notice_id, "reject", reason="Nej").status_code == 409
    assert get(world, f"/api/v1/notices/{notice_id}").get_json()["status"] == "received"


def test_only_procurement_decides_and_only_providers_tell(world):
    notice = exit_notice(world, "DL-4Q7K2", "2019-01-15")
    for who in ("provider", "finance", "admin"):
        assert decide(world, notice["id"], "confirm", who=who).status_code == 403, who
        assert decide(world, notice["id"], "reject", who=who, reason="x").status_code == 403, who
    for who in ("procurement", "finance", "admin"):
        response = send_notice(
            world, who, participant_ref="DL-9XW3M", kind="exit", date="2019-01-15", reason="job"
        )
        assert response.status_code == 403, who
    assert get(world, "/api/v1/notices", "admin").status_code == 403
    assert enrolment_end(world.app, "DL-4Q7K2") == (None, None)


def test_a_provider_never_learns_of_another_providers_notices(world):
    mine = exit_notice(world, "DL-4Q7K2", "2019-01-15")
    theirs = exit_notice(world, B_REFS[0], "2019-01-14", who="other")
    # Read by id, by list, by a filter on the other's contract: not found, or nothing.
    assert get(world, f"/api/v1/notices/{theirs['id']}").status_code == 404
    assert get(world, "/api/v1/notices/999999").status_code == 404
    listed = get(world, "/api/v1/notices").get_json()
    assert [n["id"] for n in listed["items"]] == [mine["id"]]
    filtered = get(world, f"/api/v1/notices?contract_id={world.b_contract_id}").get_json()
    assert filtered["items"] == [] and filtered["total"] == 0
    # Telling of the other's participant on the other's contract: no such contract.
    response = send_notice(
        world,
        contract_id=world.b_contract_id,
        participant_ref=B_REFS[1],
        kind="exit",
        date="2019-01-15",
        reason="job",
    )
    assert response.status_code == 404
    assert B_REFS[1] not in response.get_data(as_text=True)
    assert notice_count(world.app) == 2


def test_the_list_filters_and_pages(world):
    exit_notice(world, "DL-4Q7K2", "2019-01-15")
    exit_notice(world, "DL-9XW3M", "2018-12-20")
    absence = {"participant_ref": "DL-2HB8R", "kind": "absence", "hours": "2"}
    for day in ("2019-01-02", "2019-01-03", "2019-01-04"):
        assert send_notice(world, **absence, date=day).status_code == 201
    exit_notice(world, B_REFS[0], "2019-01-14", who="other")

    def listed(query: str, who: str = "procurement") -> dict:
        response = get(world, f"/api/v1/notices{query}", who)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    everything = listed("")
    assert everything["total"] == 6 and everything["pages"] == 1
    days = [n["date"] for n in everything["items"]]
    assert days == sorted(days, reverse=True)
    assert listed("?kind=exit")["total"] == 3
    assert listed("?kind=absence&month=2019-01")["total"] == 3
    assert listed("?month=2018-12")["total"] == 1
    assert listed(f"?contract_id={world.b_contract_id}")["total"] == 1
    assert listed("?status=confirmed")["total"] == 0
    assert listed("?status=received", "finance")["total"] == 6
    first = listed("?per_page=2&page=1")
    second = listed("?per_page=2&page=3")
    assert first["pages"] == 3 and len(first["items"]) == 2 and len(second["items"]) == 2
    assert listed("", "provider")["total"] == 5
    for bad in ("?kind=holiday", "?status=done", "?month=2019-13", "?per_page=500"):
        assert get(world, f"/api/v1/notices{bad}", "procurement").status_code == 422, bad


def test_the_openapi_document_describes_the_notice_calls(world):
    document = world.app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert "post" in paths["/api/v1/contracts/{contract_id}/notices"]
    listing = paths["/api/v1/notices"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"contract_id", "kind", "status", "month", "page", "per_page"} <= names
    assert "post" in paths["/api/v1/notices/{notice_id}/confirm"]
    reject = paths["/api/v1/notices/{notice_id}/reject"]["post"]
    assert "409" in reject["responses"] and "requestBody" in reject
    created = paths["/api/v1/contracts/{contract_id}/notices"]["post"]
    assert "201" in created["responses"] and "422" in created["responses"]
