"""The warnings of a re-tender and a conclusion: Danish on the tender pages, English on the API."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from contracts.models import Bid, Contract, Tender
from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.conftest import csrf_token, login
from tests.procurement.conftest import bearer, set_clock

GAP_DA = "91 dag(e) uden aftale mellem RAM-2016-02, som slutter 31-03-2019, og starten 01-07-2019."
GAP_EN = "91 day(s) without a contract between RAM-2016-02, which ends 2019-03-31, and the start on 2019-07-01."


def _demo(app) -> dict[str, int]:
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
        return {c.reference: c.id for c in db.session.scalars(sa.select(Contract))}


def _post(client, url: str, **data):
    """A form posted with the session's CSRF token, following the redirect to the page it lands on."""
    token = csrf_token(client.get("/procurement/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=True)


def test_a_retender_leaving_a_gap_warns_in_danish_on_the_tender_page(app, client, make_token):
    contracts = _demo(app)
    set_clock(app, date(2019, 1, 24))
    login(client, "indkob@demo.dk", "demo-password")
    # One framework contract runs three months longer, so re-tendering both leaves the other's gap.
    extended = _post(
        client,
        f"/procurement/contracts/{contracts['RAM-2016-01']}/extend",
        end_date="2019-06-30",
        reason="Til genudbuddet",
    )
    assert extended.status_code == 200
    started = _post(
        client,
        "/procurement/tenders/retender",
        contract_ids=[contracts["RAM-2016-01"], contracts["RAM-2016-02"]],
    )
    assert started.status_code == 200
    assert GAP_DA in started.get_data(as_text=True)  # the notice after creating it
    with app.app_context():
        tender_id = db.session.scalar(sa.select(Tender.id).where(Tender.status == "draft"))
    page = client.get(f"/procurement/tenders/{tender_id}").get_data(as_text=True)
    assert GAP_DA in page and "without a contract" not in page
    # The API speaks English.
    token = make_token(app, "indkob-api@example.dk", "procurement")
    body = client.get(f"/api/v1/tenders/{tender_id}", headers=bearer(token)).get_json()
    assert body["warnings"] == [GAP_EN]


def test_a_conclusion_names_the_contracts_left_without_a_successor_in_danish(app, client):
    contracts = _demo(app)
    set_clock(app, date(2019, 1, 24))
    with app.app_context():
        tender = db.session.scalars(sa.select(Tender)).one()
        tender_id, first_lot = tender.id, tender.lots[0]
        lot_id, predecessor = first_lot.id, first_lot.programme_id
    login(client, "leverandor@demo.dk", "demo-password")
    token = csrf_token(
        client.get(f"/procurement/tenders/{tender_id}/lots/{lot_id}/bid").get_data(as_text=True)
    )
    assert (
        client.post(
            f"/procurement/tenders/{tender_id}/lots/{lot_id}/bid",
            data={
                "csrf_token": token,
                "monthly_fee": "9000.00",
                "hourly_rate": "50.00",
                "outcome_bonus": "15000.00",
                "confirmed": "yes",
            },
        ).status_code
        == 302
    )
    client.post(
        "/logout", data={"csrf_token": csrf_token(client.get("/provider/").get_data(as_text=True))}
    )

    # Only the first lot has a bid: after the deadline it is evaluated, awarded and concluded.
    set_clock(app, date(2019, 3, 18))
    login(client, "indkob@demo.dk", "demo-password")
    with app.app_context():
        bid_id = db.session.scalar(sa.select(Bid.id).where(Bid.lot_id == lot_id))
    _post(
        client,
        f"/procurement/tenders/{tender_id}/evaluation",
        **{f"points-{bid_id}": "7,5", f"reason-{bid_id}": "God metode"},
    )
    _post(client, f"/procurement/tenders/{tender_id}/award")
    set_clock(app, date(2019, 4, 1))
    concluded = _post(client, f"/procurement/tenders/{tender_id}/conclude").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Tender, tender_id).status == "concluded"
        left = sorted(
            c.reference
            for c in db.session.scalars(
                sa.select(Contract).where(
                    Contract.id.in_(
                        [
                            contracts[r]
                            for r in ("SÆR-2018-01", "SÆR-2018-02", "SÆR-2018-03", "SÆR-2018-04")
                        ]
                    ),
                    Contract.programme_id != predecessor,
                )
            )
        )
    assert len(left) == 3
    for reference in left:
        assert (
            f"Aftalen {reference} har ingen efterfølger: intet tildelt tilbud viderefører dens indsats."
            in concluded
        )
    assert "has no successor" not in concluded
