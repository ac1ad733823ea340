"""Questions and answers through the API: a question is seen by procurement and its asker
only, never counted for another provider; a published answer is seen by all without the asker;
after the question deadline asking is refused with a clear message."""

from __future__ import annotations

from datetime import date, time

from tests.procurement.conftest import set_clock


def _ask(world, tender, token, text):
    return world.api("POST", f"/api/v1/tenders/{tender}/questions", token, {"question": text})


def test_a_question_is_for_procurement_and_its_asker_alone(world):
    tender = world.tender()
    status, asked = _ask(world, tender, world.a, "Må vi bruge underleverandører?")
    assert status == 201, asked
    assert asked["status"] == "asked" and asked["provider_id"] is None
    url = f"/api/v1/tenders/{tender}/questions"
    assert world.api("GET", url, world.a2)[1]["total"] == 1  # the same provider's colleague
    assert world.api("GET", url, world.b)[1] == {"items": [], "page": 1, "pages": 1, "total": 0}
    assert world.api("GET", url, world.finance)[0] == 403
    [seen] = world.api("GET", url, world.staff)[1]["items"]
    assert seen["provider_id"] == world.provider_ids[0]
    assert world.api("GET", f"/api/v1/tenders/{tender}/answers", world.b)[1]["total"] == 0


def test_a_published_answer_is_seen_by_all_without_the_asker(world):
    tender = world.tender()
    question = _ask(world, tender, world.a, "Leverandør 0 spørger: hvem betaler bussen?")[1]
    url = f"/api/v1/tenders/{tender}/questions/{question['id']}/answer"
    saved = world.api("POST", url, world.staff, {"answer": "Leverandøren.", "publish": False})
    assert saved[1]["status"] == "answered"
    mine = world.api("GET", f"/api/v1/tenders/{tender}/questions", world.a)[1]["items"][0]
    assert mine["answer"] is None  # not before it is published
    assert world.api("GET", f"/api/v1/tenders/{tender}/answers", world.b)[1]["total"] == 0
    body = {"answer": "Leverandøren.", "question": "Hvem betaler bussen?", "publish": True}
    assert world.api("POST", url, world.staff, body)[1]["status"] == "published"
    answers = world.api("GET", f"/api/v1/tenders/{tender}/answers", world.b)[1]
    assert answers["items"] == [
        {
            "number": 1,
            "question": "Hvem betaler bussen?",
            "answer": "Leverandøren.",
            "published_at": "2019-01-24T09:00:00+01:00",
        }
    ]
    again = world.api("POST", url, world.staff, body)
    assert again[0] == 409


def test_a_provider_cannot_answer_and_procurement_cannot_ask(world):
    tender = world.tender()
    question = _ask(world, tender, world.a, "?")[1]
    url = f"/api/v1/tenders/{tender}/questions/{question['id']}/answer"
    assert world.api("POST", url, world.a, {"answer": "x"})[0] == 403
    assert _ask(world, tender, world.staff, "x")[0] == 403


def test_after_the_question_deadline_asking_is_refused(world):
    tender = world.tender()
    status, changed = world.api(
        "POST",
        f"/api/v1/tenders/{tender}/question-deadline",
        world.staff,
        {"question_deadline": "2019-02-01T12:00"},
    )
    assert status == 200 and changed["question_deadline"] == "2019-02-01T12:00:00+01:00"
    set_clock(world.app, date(2019, 2, 1), time(12, 0))
    status, refused = _ask(world, tender, world.a, "For sent?")
    assert status == 409
    assert refused["errors"][0]["message"] == (
        "the deadline for questions was 2019-02-01 12:00; questions can no longer be asked"
    )


def test_the_question_deadline_must_come_before_the_bid_deadline(world):
    tender = world.tender()
    status, refused = world.api(
        "POST",
        f"/api/v1/tenders/{tender}/question-deadline",
        world.staff,
        {"question_deadline": "2019-03-15T12:00"},
    )
    assert status == 422 and refused["errors"][0]["field"] == "question_deadline"


def test_a_draft_has_no_questions_for_providers(world):
    tender = world.tender(publish=False)
    assert _ask(world, tender, world.a, "?")[0] == 404
