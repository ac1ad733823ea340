"""The tender list costs the same statements however many tenders it shows: lots, their
programmes and a re-tender's replaced contracts are loaded for the whole page at once."""

from __future__ import annotations

from datetime import date

from contracts.services.demo import load_demo
from provider_portal.extensions import db
from tests.api.sql_statements import statements
from tests.bodies import TENDER
from tests.procurement.conftest import set_clock


def test_listing_three_tenders_costs_what_listing_one_does(app, api, make_token, client):
    with app.app_context():
        load_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    set_clock(app, date(2019, 1, 24))
    staff = make_token(app, "udbud@example.dk", "procurement")
    headers = {"Authorization": f"Bearer {staff}"}
    client.get("/api/v1/tenders", headers=headers)  # the token's first use is written once

    def listed() -> tuple[int, dict]:
        with statements(app) as sent:
            answer = client.get("/api/v1/tenders", headers=headers).get_json()
        return len(sent), answer

    one, answer = listed()
    [retender] = answer["items"]
    assert len(retender["predecessor_ids"]) == 4 and len(retender["lots"]) == 4
    for n in range(2):
        assert api("POST", "/api/v1/tenders", staff, {**TENDER, "title": f"Udbud {n}"})[0] == 201
    three, answer = listed()
    assert len(answer["items"]) == 3
    assert three == one, (one, three)
