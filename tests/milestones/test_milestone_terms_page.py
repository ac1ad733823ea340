"""Milestone terms entered on the contract form and shown on the contract page, in Danish."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from contracts.models import Contract, ContractMilestone
from provider_portal.extensions import db
from tests.bodies import contract_form
from tests.conftest import csrf_token, login


@pytest.fixture
def staff(app, client, make_provider, make_user):
    with app.app_context():
        make_user(db.session, "indkob@example.dk", "procurement")
        provider = make_provider(db.session, name="Nyt Fodfæste A/S", cvr="13585628")
        db.session.commit()
        client.provider_id = provider.id
    assert login(client, "indkob@example.dk").status_code == 302
    return client


def _post(client, data: dict):
    url = "/procurement/contracts/new"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_milestones_typed_the_danish_way_are_stored_and_shown_on_the_contract_page(app, staff):
    form = html.unescape(staff.get("/procurement/contracts/new").get_data(as_text=True))
    assert "Betaling efter milepæle" in form and "Job eller uddannelse varede 13 uger" in form
    data = contract_form(staff.provider_id, week13="5.000,00", week26="8000", clawback_days="60")
    assert _post(staff, data).status_code == 302
    with app.app_context():
        contract = db.session.scalar(sa.select(Contract))
        rows = db.session.execute(
            sa.select(ContractMilestone.code, ContractMilestone.amount).order_by(
                ContractMilestone.code
            )
        ).all()
        assert [(code, str(amount)) for code, amount in rows] == [
            ("week13", "5000.00"),
            ("week26", "8000.00"),
        ]
        assert contract.clawback_days == 60
        contract_id = contract.id
    page = " ".join(
        html.unescape(
            staff.get(f"/procurement/contracts/{contract_id}").get_data(as_text=True)
        ).split()
    )
    assert "Job eller uddannelse varede 13 uger" in page and "5.000,00" in page
    assert "Tilbagebetaling ved tilbagefald" in page and "60 dage" in page
    assert 'href="/procurement/claims">Milepælskrav</a>' in page


def test_a_contract_without_milestones_shows_none_and_a_negative_window_is_refused(app, staff):
    assert _post(staff, contract_form(staff.provider_id)).status_code == 302
    with app.app_context():
        contract_id = db.session.scalar(sa.select(Contract.id))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContractMilestone)) == 0
    page = html.unescape(staff.get(f"/procurement/contracts/{contract_id}").get_data(as_text=True))
    assert "varede 13 uger" not in page and "Tilbagebetaling" not in page
    refused = _post(
        staff, contract_form(staff.provider_id, reference="SÆR-2018-04", clawback_days="-1")
    )
    assert refused.status_code == 422
    assert "Fra 0 til 3660 dage." in html.unescape(refused.get_data(as_text=True))
