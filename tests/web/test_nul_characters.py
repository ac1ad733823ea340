"""A NUL character (U+0000) in what a page request sends: PostgreSQL cannot hold it, and a
search, a filter or a posted reason carrying one answered 500 (found by `make fuzz`'s walk).
Now the page answers 400 in the person's language, names the field, and stores nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask

from contracts.models import AuditEvent, Enrolment
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.pages import PageParts
from tests.participants.conftest import MISTAKE, enrol
from tests.scenarios import two_providers

pytestmark = pytest.mark.postgres


@dataclass
class World:
    app: Flask
    contract_id: int
    enrolment_id: int


@pytest.fixture
def world(pg_app) -> World:
    with pg_app.app_context():
        made = two_providers(db.session)
        enrolment = enrol(db.session, made.a.contract_id, *MISTAKE)
        db.session.commit()
        return World(pg_app, made.a.contract_id, enrolment.id)


def _procurement(world: World):
    client = world.app.test_client()
    assert login(client, "procurement@example.dk").status_code == 302
    return client


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/procurement/contracts/{contract}/participants?q=DL%00", "q"),
        ("/benchmark/?programme=%00", "programme"),
    ],
)
def test_a_nul_in_a_search_or_filter_is_refused_with_the_field_named(world, path, field):
    answer = _procurement(world).get(path.format(contract=world.contract_id))
    assert answer.status_code == 400
    text = PageParts(answer.get_data(as_text=True)).text
    assert f"Feltet »{field}« indeholder et tegn, der ikke kan bruges (NUL, U+0000)" in text


def test_a_nul_in_a_posted_reason_stores_nothing_and_says_so_in_english_too(world):
    client = _procurement(world)
    page = client.get(f"/procurement/contracts/{world.contract_id}/participants")
    token = csrf_token(page.get_data(as_text=True))
    client.post("/language", data={"language": "en", "csrf_token": token})
    withdraw = (
        f"/procurement/contracts/{world.contract_id}/participants/{world.enrolment_id}/withdraw"
    )
    answer = client.post(withdraw, data={"csrf_token": token, "reason": "Forkert\x00 aftale"})
    assert answer.status_code == 400
    text = PageParts(answer.get_data(as_text=True)).text
    assert "The field “reason” contains a character that cannot be used (NUL, U+0000)" in text
    with world.app.app_context():
        assert db.session.get(Enrolment, world.enrolment_id).end_on is None
        withdrawn = sa.select(AuditEvent).where(AuditEvent.action == "enrolment.withdrawn")
        assert db.session.scalars(withdrawn).all() == []
    # The same reason without the NUL is taken.
    again = client.post(withdraw, data={"csrf_token": token, "reason": "Forkert aftale"})
    assert again.status_code == 302
