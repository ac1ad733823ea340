"""The procurement pages for tenders, extensions and referrals, driven through the real forms."""

from __future__ import annotations

import re
from datetime import date, time

import sqlalchemy as sa

from contracts.models import Amendment, Contract, Tender
from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.pages import PageParts
from tests.procurement.conftest import bearer, set_clock


def _demo(app):
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        return {c.reference: c.id for c in db.session.scalars(sa.select(Contract))}


def test_procurement_extends_a_contract_and_sees_a_refusal_past_the_option(app, client):
    contracts = _demo(app)
    set_clock(app, date(2019, 1, 24))
    login(client, "indkob@demo.dk", "demo-password")
    framework = contracts["RAM-2016-01"]
    page = client.get(f"/procurement/contracts/{framework}/extend")
    assert page.status_code == 200
    token = csrf_token(page.get_data(as_text=True))
    refused = client.post(
        f"/procurement/contracts/{framework}/extend",
        data={"csrf_token": token, "end_date": "2020-06-30", "reason": "Mere tid"},
    )
    assert refused.status_code == 422
    # The service's refusal in Danish, with the dates as Danish pages write them.
    assert (
        "aftalens forlængelsesoption løber højst til 31-03-2020; 30-06-2020 ligger efter"
        in refused.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.get(Contract, framework).end_on == date(2019, 3, 31)
    done = client.post(
        f"/procurement/contracts/{framework}/extend",
        data={"csrf_token": token, "end_date": "2019-08-31", "reason": "Til genudbuddet"},
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Contract, framework).end_on == date(2019, 8, 31)
        amendment = db.session.scalars(
            sa.select(Amendment).where(Amendment.contract_id == framework)
        ).one()
        assert (amendment.old_value, amendment.new_value, amendment.reason) == (
            "2019-03-31",
            "2019-08-31",
            "Til genudbuddet",
        )
    # The contract page lists the amendment with its dates as Danish pages write them.
    page = client.get(f"/procurement/contracts/{framework}").get_data(as_text=True)
    assert re.search(
        r"<td[^>]*>31-03-2019</td>\s*<td[^>]*>31-08-2019</td>\s*<td>Til genudbuddet</td>", page
    )


def test_the_demo_shows_the_open_retender_with_its_four_lots_and_sealed_bids(app, client):
    _demo(app)
    set_clock(app, date(2019, 1, 24))
    login(client, "indkob@demo.dk", "demo-password")
    listing = client.get("/procurement/tenders").get_data(as_text=True)
    with app.app_context():
        tender = db.session.scalars(sa.select(Tender)).one()
    assert tender.reference in listing
    page = client.get(f"/procurement/tenders/{tender.id}").get_data(as_text=True)
    assert all(ref in page for ref in ("SÆR-2018-01", "SÆR-2018-02", "SÆR-2018-03", "SÆR-2018-04"))
    assert len(re.findall(r'<td class="num">[1-4]</td>\s*<td>', page)) == 4
    assert "15-03-2019 12:00" in page


def test_a_provider_bids_through_the_page_and_procurement_cannot_see_it(app, client):
    _demo(app)
    set_clock(app, date(2019, 1, 24))
    with app.app_context():
        tender = db.session.scalars(sa.select(Tender)).one()
        lot = tender.lots[2]
    login(client, "leverandor@demo.dk", "demo-password")
    form = client.get(f"/procurement/tenders/{tender.id}/lots/{lot.id}/bid")
    assert form.status_code == 200
    sent = client.post(
        f"/procurement/tenders/{tender.id}/lots/{lot.id}/bid",
        data={
            "csrf_token": csrf_token(form.get_data(as_text=True)),
            "monthly_fee": "10234.56",
            "hourly_rate": "50.00",
            "outcome_bonus": "20000.00",
            "confirmed": "yes",
        },
    )
    assert sent.status_code == 302
    assert "10.234,56" in client.get(f"/procurement/tenders/{tender.id}").get_data(as_text=True)
    client.post(
        "/logout", data={"csrf_token": csrf_token(client.get("/provider/").get_data(as_text=True))}
    )
    login(client, "indkob@demo.dk", "demo-password")
    page = client.get(f"/procurement/tenders/{tender.id}").get_data(as_text=True)
    assert "10.234,56" not in page and "10234.56" not in page
    assert "Tilbuddene er forseglet indtil tilbudsfristen." in PageParts(page).text


def test_a_bid_after_the_deadline_is_refused_in_danish_on_the_page_and_in_english_on_the_api(
    app, client, make_token
):
    _demo(app)
    set_clock(app, date(2019, 1, 24))
    with app.app_context():
        tender = db.session.scalars(sa.select(Tender)).one()
        lot = tender.lots[2]
        provider_id = db.session.scalar(
            sa.select(Contract.provider_id).where(Contract.reference == "SÆR-2018-03")
        )
    login(client, "leverandor@demo.dk", "demo-password")
    url = f"/procurement/tenders/{tender.id}/lots/{lot.id}/bid"
    token = csrf_token(client.get(url).get_data(as_text=True))
    # The provider fills in the form while the tender is open and sends it after the deadline.
    set_clock(app, date(2019, 3, 15), time(12, 0))
    late = client.post(
        url,
        data={
            "csrf_token": token,
            "monthly_fee": "10234.56",
            "hourly_rate": "50.00",
            "outcome_bonus": "20000.00",
            "confirmed": "yes",
        },
    )
    assert late.status_code == 422
    assert (
        "tilbudsfristen var 15-03-2019 12:00 (dansk tid); der modtages ingen tilbud efter den"
        in late.get_data(as_text=True)
    )
    api_token = make_token(app, "tilbud@example.dk", "provider", provider_id)
    answer = client.put(
        f"/api/v1/tenders/{tender.id}/lots/{lot.id}/bid",
        headers=bearer(api_token),
        json={"monthly_fee": "10234.56", "hourly_rate": "50.00", "outcome_bonus": "20000.00"},
    )
    assert answer.status_code == 409
    assert answer.get_json()["errors"] == [
        {
            "field": "deadline",
            "message": "the deadline for bids was 2019-03-15 12:00 (Copenhagen time); no bid is accepted after it",
        }
    ]


def test_referral_page_never_sends_the_cpr_number_back(app, client):
    contracts = _demo(app)
    set_clock(app, date(2019, 1, 24))
    login(client, "indkob@demo.dk", "demo-password")
    url = f"/procurement/contracts/{contracts['SÆR-2018-03']}/refer"
    token = csrf_token(client.get(url).get_data(as_text=True))
    refused = client.post(
        url, data={"csrf_token": token, "cpr": "010200-4321", "start_date": "2019-01-24"}
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "30" in body
    assert "010200" not in body
    done = client.post(
        url, data={"csrf_token": token, "cpr": "150785-1234", "start_date": "2019-01-24"}
    )
    assert done.status_code == 302
