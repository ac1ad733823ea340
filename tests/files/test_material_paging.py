"""The tender material's lists page as every list of the API does: documents, questions,
published answers and deadline moves, two to a page, each item once and in a stable order."""

from __future__ import annotations

from . import samples

TITLES = ("Udbudsbetingelser", "Kravspecifikation", "Prisbilag")
DEADLINES = ("2019-03-18T12:00", "2019-03-20T12:00", "2019-03-22T12:00")


def _pages(world, url, token):
    pages, number = [], 1
    while True:
        status, page = world.api("GET", f"{url}?per_page=2&page={number}", token)
        assert status == 200, page
        pages.append(page)
        if number >= page["pages"]:
            return pages
        number += 1


def _paged(world, tender, path, token, key):
    url = f"/api/v1/tenders/{tender}/{path}"
    pages = _pages(world, url, token)
    assert [(p["page"], p["pages"], p["total"]) for p in pages] == [(1, 2, 3), (2, 2, 3)]
    assert [len(p["items"]) for p in pages] == [2, 1]
    paged = [item[key] for page in pages for item in page["items"]]
    whole = world.api("GET", f"{url}?per_page=200", token)[1]["items"]
    assert paged == [item[key] for item in whole] and len(set(paged)) == 3
    past = world.api("GET", f"{url}?per_page=2&page=9", token)[1]
    assert past == {"items": [], "page": 9, "pages": 2, "total": 3}


def test_the_material_lists_page_two_at_a_time(world):
    tender = world.tender()
    for title in TITLES:
        answer = world.upload(tender, samples.pdf(), f"{title}.pdf", title=title, change_note="Ny")
        assert answer.status_code == 201, answer.get_json()
    for number in range(3):
        status, question = world.api(
            "POST",
            f"/api/v1/tenders/{tender}/questions",
            world.a,
            {"question": f"Spørgsmål {number}"},
        )
        assert status == 201, question
        url = f"/api/v1/tenders/{tender}/questions/{question['id']}/answer"
        body = {"answer": f"Svar {number}", "publish": True}
        assert world.api("POST", url, world.staff, body)[0] == 200
    for moved_to in DEADLINES:
        body = {"deadline": moved_to, "reason": "Nyt bilag"}
        assert world.api("POST", f"/api/v1/tenders/{tender}/deadline", world.staff, body)[0] == 200
    _paged(world, tender, "documents", world.b, "id")
    _paged(world, tender, "questions", world.a, "id")
    _paged(world, tender, "answers", world.b, "number")
    _paged(world, tender, "deadline-moves", world.b, "moved_to")
