"""Tender material through the API: versions, visibility, refusals that store nothing, and the
deadline moved with a reason."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from contracts.models import AuditEvent, Notification, StoredFile
from provider_portal.extensions import db
from tests.api.conftest import bearer, count
from tests.procurement.conftest import set_clock

from . import samples


def _documents(world, tender_id, token):
    return world.api("GET", f"/api/v1/tenders/{tender_id}/documents", token)


def test_the_material_is_invisible_before_publishing_and_seen_by_every_provider_after(world):
    tender = world.tender(publish=False)
    assert world.upload(tender, samples.pdf(), "Udbudsbetingelser.pdf").status_code == 201
    assert _documents(world, tender, world.a)[0] == 404
    assert _documents(world, tender, world.staff)[1]["total"] == 1
    assert world.api("POST", f"/api/v1/tenders/{tender}/publish", world.staff)[0] == 200
    for token in (world.a, world.b, world.finance):
        status, listed = _documents(world, tender, token)
        assert status == 200
        [document] = listed["items"]
        assert document["current"]["media_type"] == "application/pdf"
        assert document["current"]["after_publication"] is False
        download = world.client.get(document["current"]["url"], headers=bearer(token))
        assert download.status_code == 200
        assert download.data == samples.pdf()
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_same_title_makes_a_new_version_that_needs_a_note_once_published(world):
    tender = world.tender()
    first = world.upload(tender, samples.pdf(), "Kravspecifikation.pdf", change_note="Første")
    assert first.status_code == 201
    second = world.upload(tender, samples.docx(), "Kravspecifikation.docx")
    assert second.status_code == 422
    assert second.get_json()["errors"][0]["field"] == "change_note"
    second = world.upload(
        tender, samples.docx(), "Kravspecifikation.docx", change_note="Afsnit 3 om mødepligt"
    )
    assert second.status_code == 201, second.get_json()
    document = second.get_json()
    assert [v["number"] for v in document["versions"]] == [1, 2]
    assert document["current"]["change_note"] == "Afsnit 3 om mødepligt"
    assert document["current"]["after_publication"] is True
    old = world.client.get(document["versions"][0]["url"], headers=bearer(world.b))
    assert old.data == samples.pdf()


def test_a_new_version_after_publishing_is_mailed_to_every_provider_user(world):
    tender = world.tender()
    world.upload(tender, samples.pdf(), "Bilag.pdf", change_note="Nyt bilag")
    with world.app.app_context():
        told = db.session.scalars(
            sa.select(Notification.user_id).where(Notification.kind == "tender_material_changed")
        ).all()
    assert len(told) == 3  # a, a2 and b; not procurement or finance


def test_refused_files_are_4xx_and_store_nothing(world):
    tender = world.tender()
    before = count(world.app, StoredFile)
    cases = [
        (b"<html>not a pdf</html>", "falsk.pdf", 422, "content is no PDF"),
        (samples.encrypted_pdf(), "krypteret.pdf", 422, "password"),
        (samples.javascript_pdf(), "script.pdf", 422, "JavaScript"),
        (b"%PDF-1.7\n" + b"0" * (26 * 1024 * 1024), "stor.pdf", 413, "25 MB"),
    ]
    for data, name, status, words in cases:
        answer = world.upload(tender, data, name, change_note="x")
        assert answer.status_code == status, name
        assert words in answer.get_json()["errors"][0]["message"], answer.get_json()
    assert count(world.app, StoredFile) == before
    assert _documents(world, tender, world.staff)[1]["total"] == 0


def test_a_provider_may_not_upload(world):
    tender = world.tender()
    assert world.upload(tender, samples.pdf(), "a.pdf", token=world.a).status_code == 403


def test_every_download_is_audited(world):
    tender = world.tender()
    document = world.upload(tender, samples.pdf(), "a.pdf", change_note="x").get_json()
    before = count(world.app, AuditEvent)
    world.client.get(document["current"]["url"], headers=bearer(world.a))
    world.client.get(document["current"]["url"], headers=bearer(world.a))
    with world.app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(2)
        ).all()
    assert count(world.app, AuditEvent) == before + 2
    assert set(actions) == {"tender.material_downloaded"}


def test_a_published_deadline_moves_later_with_a_reason_that_every_provider_sees(world):
    tender = world.tender()
    url = f"/api/v1/tenders/{tender}/deadline"
    status, answer = world.api("POST", url, world.staff, {"deadline": "2019-03-22T12:00"})
    assert status == 422 and answer["errors"][0]["field"] == "reason"
    status, answer = world.api(
        "POST", url, world.staff, {"deadline": "2019-03-01T12:00", "reason": "Kortere"}
    )
    assert status == 422 and "later" in answer["errors"][0]["message"]
    status, answer = world.api(
        "POST", url, world.staff, {"deadline": "2019-03-22T12:00", "reason": "Nyt bilag 4"}
    )
    assert status == 200, answer
    assert answer["deadline"] == "2019-03-22T12:00:00+01:00"
    assert answer["question_deadline"] == "2019-03-16T12:00:00+01:00"
    status, moves = world.api("GET", f"/api/v1/tenders/{tender}/deadline-moves", world.b)
    assert moves["items"] == [
        {
            "moved_at": "2019-01-24T09:00:00+01:00",
            "moved_from": "2019-03-15T12:00:00+01:00",
            "moved_to": "2019-03-22T12:00:00+01:00",
            "reason": "Nyt bilag 4",
        }
    ]
    with world.app.app_context():
        kinds = db.session.scalars(sa.select(Notification.kind)).all()
    assert kinds.count("tender_deadline_moved") == 3


def test_after_the_deadline_the_material_no_longer_changes(world):
    tender = world.tender()
    set_clock(world.app, date(2019, 3, 15), time(12, 0))
    answer = world.upload(tender, samples.pdf(), "sent.pdf", change_note="for sent")
    assert answer.status_code == 409


def test_control_characters_in_the_form_are_dropped_not_a_500(world):
    """Found by schemathesis: PostgreSQL stores no NUL in text."""
    tender = world.tender()
    answer = world.upload(
        tender, samples.pdf(), "a.pdf", title="Bilag\x00 1\x1b", change_note="Ny\x00 tekst\n"
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["title"] == "Bilag 1"
    assert answer.get_json()["current"]["change_note"] == "Ny tekst"
