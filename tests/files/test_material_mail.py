"""The mails of a published tender's changes: a new version and a moved deadline reach every
provider user in Danish, and a user who turned the kind off gets none."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import sqlalchemy as sa

from contracts.models import NotificationOptOut, User
from provider_portal.extensions import db

from . import samples


def _mails(app) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
    ]


def test_a_new_version_and_a_moved_deadline_are_mailed_in_danish(world):
    tender = world.tender()
    world.upload(
        tender, samples.pdf(), "b.pdf", title="Kravspecifikation", change_note="Nyt krav 7"
    )
    world.api(
        "POST",
        f"/api/v1/tenders/{tender}/deadline",
        world.staff,
        {"deadline": "2019-03-22T12:00", "reason": "Nyt krav 7 kræver mere tid"},
    )
    mails = _mails(world.app)
    versions = [
        m for m in mails if m["Subject"].strip().startswith("Ny version af udbudsmaterialet")
    ]
    moved = [m for m in mails if m["Subject"].strip().startswith("Fristen er flyttet")]
    assert sorted(m["To"] for m in versions) == ["a2@example.dk", "a@example.dk", "b@example.dk"]
    assert len(moved) == 3
    text = versions[0].get_body(("plain",)).get_content()
    assert "Ny version 1 af “Kravspecifikation”. Ændret: Nyt krav 7" in text
    text = moved[0].get_body(("plain",)).get_content()
    assert "Fra 15-03-2019 12:00 til 22-03-2019 12:00 (dansk tid)." in text
    assert "Begrundelse: Nyt krav 7 kræver mere tid" in text


def test_a_user_who_turned_the_kind_off_gets_no_mail(world):
    with world.app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == "b@example.dk"))
        db.session.add(NotificationOptOut(user_id=user_id, kind="tender_material_changed"))
        db.session.commit()
    tender = world.tender()
    world.upload(tender, samples.pdf(), "b.pdf", change_note="Rettet")
    recipients = [
        m["To"] for m in _mails(world.app) if m["Subject"].strip().startswith("Ny version")
    ]
    assert sorted(recipients) == ["a2@example.dk", "a@example.dk"]
