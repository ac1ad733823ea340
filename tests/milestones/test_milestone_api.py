"""Milestone terms, claims and relapses through the API (DESIGN.md §8, §15)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from contracts.models import AuditEvent
from provider_portal.extensions import db
from tests.milestones.story import TERMS, january_exits, new_story


def test_the_contract_reads_back_its_milestones_and_a_plain_one_its_outcome_bonus(app):
    story = new_story(app)
    status, contract = story.call("GET", f"/contracts/{story.contract_id}", "provider")
    assert status == 200
    assert contract["milestones"] == TERMS["milestones"]
    assert contract["clawback_days"] == 60
    plain = {k: v for k, v in TERMS.items() if k not in ("milestones", "clawback_days")}
    status, created = story.call(
        "POST", "/contracts", "procurement", {**plain, "provider_id": contract["provider"]["id"]}
    )
    assert status == 201, created
    assert created["milestones"] == [{"code": "start", "amount": "2000.00"}]
    assert created["clawback_days"] is None


def test_terms_with_a_wrong_start_a_code_twice_or_a_negative_amount_are_refused(app):
    story = new_story(app)
    status, body = story.call(
        "POST",
        "/contracts",
        "procurement",
        {
            **TERMS,
            "provider_id": 1,
            "milestones": [
                {"code": "start", "amount": "1.00"},
                {"code": "week13", "amount": "-1.00"},
                {"code": "week13", "amount": "2.00"},
            ],
        },
    )
    assert status == 422
    messages = " | ".join(e["message"] for e in body["errors"])
    assert "week13 milestone is given twice" in messages
    assert "start milestone is the outcome bonus (2000.00)" in messages
    assert "week13 milestone's amount must not be negative" in messages


def test_a_claim_before_its_day_after_a_relapse_or_twice_is_refused_with_the_reason(app):
    story = new_story(app)
    january_exits(story)
    app.config["CLAIM_CHECK_SHARE"] = "0"
    story.on(date(2019, 4, 16))
    status, body = story.claim("P1", "week13", "2019-01-16")
    assert status == 422
    assert "reached on 2019-04-17; claim it on or after that day" in body["errors"][0]["message"]
    # P2 never left: nothing to claim.
    status, body = story.claim("P2", "week13", "2019-01-02")
    assert status == 422 and body["errors"][0]["field"] == "participant_ref"
    story.on(date(2019, 4, 17))
    status, claim = story.claim("P1", "week13", "2019-01-16")
    assert status == 201, claim
    assert claim["status"] == "claimed" and claim["check_required"] is False
    assert claim["payable_on"] == "2019-04-17" and claim["milestone_date"] == "2019-04-17"
    status, body = story.claim("P1", "week13", "2019-01-16")
    assert status == 422 and "already claimed" in body["errors"][0]["message"]
    # P3 relapses on 1 March, before its week-13 day (2 May): never reached, never claimed.
    status, relapse = story.relapse("P3", "2019-03-01", who="procurement")
    assert status == 201, relapse
    story.on(date(2019, 5, 10))
    status, body = story.claim("P3", "week13", "2019-02-01", employer_cvr=None, institution="KEA")
    assert status == 422 and "never reached" in body["errors"][0]["message"]
    status, body = story.relapse("P3", "2019-03-02")
    assert status == 422 and "already recorded" in body["errors"][0]["message"]
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"milestone_claim.made", "relapse.recorded"} <= actions


def test_a_drawn_claim_waits_for_procurement_who_verifies_or_rejects_it_once(app):
    story = new_story(app)
    january_exits(story)
    app.config["CLAIM_CHECK_SHARE"] = "1"
    story.on(date(2019, 4, 20))
    status, claim = story.claim("P1", "week13", "2019-01-16")
    assert status == 201 and claim["check_required"] and claim["payable_on"] is None
    assert story.call("POST", f"/claims/{claim['id']}/verify", "provider")[0] == 403
    status, listed = story.call("GET", "/claims?status=claimed", "procurement")
    assert [c["id"] for c in listed["items"]] == [claim["id"]]
    assert story.call("GET", "/claims", "other")[1]["items"] == []
    assert story.call("GET", f"/claims/{claim['id']}", "other")[0] == 404
    story.on(date(2019, 5, 3))
    status, verified = story.call("POST", f"/claims/{claim['id']}/verify", "procurement")
    assert status == 200 and verified["payable_on"] == "2019-05-03"
    assert story.call("POST", f"/claims/{claim['id']}/verify", "procurement")[0] == 409
    status, rejected = story.call(
        "POST", f"/claims/{claim['id']}/reject", "procurement", {"reason": "Ingen ansættelse."}
    )
    assert status == 200 and rejected["status"] == "rejected" and rejected["payable_on"] is None
    assert (
        story.call("POST", f"/claims/{claim['id']}/reject", "procurement", {"reason": "Igen."})[0]
        == 409
    )
