"""The demo's re-tender carries its material, a question answered and one waiting, and its 2018
agreements their signed documents (issue 18): what `make run` shows on 24 January 2019."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from contracts.models import Contract, ContractDocument, Notification, Tender, User
from contracts.rules.periods import COPENHAGEN
from contracts.services.demo import DEMO_PASSWORD, material
from provider_portal.extensions import db
from tests.conftest import login
from tests.pages import PageParts, text_of


@pytest.fixture
def demo(app):
    """The demo loaded: the re-tender's id and the signed contract of each 2018 agreement."""
    loaded = app.test_cli_runner().invoke(args=["demo-data"])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        tender = db.session.scalar(sa.select(Tender.id).where(Tender.reference == "UDB-2019-001"))
        signed = dict(
            db.session.execute(
                sa.select(Contract.reference, ContractDocument.id)
                .join(ContractDocument, ContractDocument.contract_id == Contract.id)
                .where(ContractDocument.title == "Underskrevet kontrakt")
            ).all()
        )
        contracts = dict(db.session.execute(sa.select(Contract.reference, Contract.id)).all())
    return tender, signed, contracts


def _client(app, email):
    client = app.test_client()
    assert login(client, email, DEMO_PASSWORD).status_code == 302
    return client


def _section(html: str, name: str) -> str:
    (section,) = PageParts(html).xpath("//section[@id = $name]", name=name)
    return text_of(section)


def test_the_provider_reads_the_material_and_the_published_answer_only(app, demo):
    tender, _, _ = demo
    html = _client(app, "leverandor@demo.dk").get(f"/procurement/tenders/{tender}").text
    shown = _section(html, "material")
    for title in ("Udbudsbetingelser", "Kravspecifikation", "Kontraktudkast", "Tilbudsliste"):
        assert title in shown
    assert "Intet udbudsmateriale" not in shown
    # Kravspecifikation at version 2, marked new on 23 January with what changed.
    assert "version 2" in shown and "Ny version 23-01-2019" in shown
    assert material.REVISION_NOTE in shown
    answers = PageParts(html).xpath("//section[@id = 'questions']//ol[@class = 'answers']")
    (published,) = [text_of(a) for a in answers]
    assert material.PUBLIC_QUESTION in published and material.ANSWER in published
    assert "Fodfæste" not in published
    # Its own question as it asked it, not the other provider's.
    questions = _section(html, "questions")
    assert material.QUESTION in questions
    assert material.OTHER_QUESTION not in html


def test_procurement_sees_both_questions_one_to_answer(app, demo):
    tender, _, _ = demo
    html = _client(app, "indkob@demo.dk").get(f"/procurement/tenders/{tender}").text
    questions = _section(html, "questions")
    assert material.QUESTION in questions and material.OTHER_QUESTION in questions
    assert "Fremad Unge A/S" in questions


def test_the_provider_downloads_its_signed_contract_and_not_anothers(app, demo):
    _, signed, contracts = demo
    assert set(signed) == {"SÆR-2018-01", "SÆR-2018-02", "SÆR-2018-03", "SÆR-2018-04"}
    client = _client(app, "leverandor@demo.dk")
    own, other = contracts["SÆR-2018-03"], contracts["SÆR-2018-01"]
    page = client.get(f"/provider/contracts/{own}/documents").text
    assert "Underskrevet kontrakt" in page and "Tillæg 1: forlængelse til 31-08-2019" in page
    got = client.get(f"/provider/contracts/{own}/documents/{signed['SÆR-2018-03']}")
    assert got.status_code == 200 and got.data.startswith(b"%PDF")
    assert got.headers["Content-Disposition"].startswith("attachment")
    refused = client.get(f"/provider/contracts/{other}/documents/{signed['SÆR-2018-01']}")
    assert refused.status_code == 404


def test_the_new_version_is_told_to_the_provider_on_the_day_it_was_put_up(app, demo):
    with app.app_context():
        told = db.session.execute(
            sa.select(User.email, Notification.created_at)
            .join(User, Notification.user_id == User.id)
            .where(Notification.kind == "tender_material_changed")
        ).all()
    assert [(email, at.astimezone(COPENHAGEN).date()) for email, at in told] == [
        ("leverandor@demo.dk", date(2019, 1, 23))
    ]
