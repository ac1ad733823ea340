"""A draft tender changed on its page (`/procurement/tenders/<id>/edit`): its terms and each lot's,
milestone prices included, through the same services as the API's PATCH calls; refused as a
whole, in Danish, when a service refuses; only a draft, only procurement."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Lot, Tender, User
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import csrf_token
from tests.factories import logged_in_client
from tests.pages import PageParts
from tests.procurement.conftest import set_clock

STAFF = "indkob@example.dk"
# A tender's terms as typed; the new tender page's two lots are youth placement (the 2nd box),
# asking for milestone prices, and adult employment (the 3rd).
TERMS = {
    "title": "Beskæftigelsesindsats 2020",
    "procedure": "open",
    "contract_kind": "special_effort",
    "deadline": "2019-03-15T12:00",
    "contract_start_on": "2019-09-01",
    "contract_end_on": "2021-08-31",
}
NEW_TENDER = TERMS | {
    "lots-1-programme": "youth-placement",
    "lots-1-chosen": "y",
    "lots-1-expected_hours": "80",
    "lots-1-expected_outcome_rate": "15",
    "lots-1-w_price": "0,6",
    "lots-1-w_quality": "0,4",
    "lots-1-max_awards": "1",
    "lots-1-milestone_prices": "y",
    "lots-1-expected_week13_rate": "10",
    "lots-1-expected_week26_rate": "7,5",
    "lots-1-clawback_days": "91",
    "lots-2-programme": "adult-employment",
    "lots-2-chosen": "y",
    "lots-2-expected_hours": "60",
    "lots-2-expected_outcome_rate": "20",
    "lots-2-w_price": "0,5",
    "lots-2-w_quality": "0,5",
    "lots-2-max_awards": "1",
}
# The edit form as the page fills it in for that draft (lots-0: youth placement, lot 1).
AS_STORED = TERMS | {
    "contract_max_end_on": "2021-08-31",
    "lots-0-programme": "youth-placement",
    "lots-0-expected_hours": "80",
    "lots-0-expected_outcome_rate": "15",
    "lots-0-w_price": "0,6",
    "lots-0-w_quality": "0,4",
    "lots-0-max_awards": "1",
    "lots-0-milestone_prices": "y",
    "lots-0-expected_week13_rate": "10",
    "lots-0-expected_week26_rate": "7,5",
    "lots-0-clawback_days": "91",
    "lots-1-programme": "adult-employment",
    "lots-1-expected_hours": "60",
    "lots-1-expected_outcome_rate": "20",
    "lots-1-w_price": "0,5",
    "lots-1-w_quality": "0,5",
    "lots-1-max_awards": "1",
}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _post(client, url: str, data: dict):
    """Post a form as a browser does, with the page's own CSRF token."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _lots(app, tender_id: int) -> list[Lot]:
    with app.app_context():
        lots = db.session.scalars(
            sa.select(Lot).where(Lot.tender_id == tender_id).order_by(Lot.number)
        ).all()
        db.session.expunge_all()
        return lots


def _events(app, *actions: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.in_(actions))))


def _new_draft(app):
    """A draft tender made on the new tender page; (staff client, the tender's id, its edit URL)."""
    set_clock(app, date(2019, 1, 24))
    staff = logged_in_client(app, STAFF, "procurement")
    assert _post(staff, "/procurement/tenders/new", NEW_TENDER).status_code == 302
    with app.app_context():
        tender_id = db.session.scalar(sa.select(Tender.id))
    return staff, tender_id, f"/procurement/tenders/{tender_id}/edit"


@pytest.fixture
def draft(any_app):
    return _new_draft(any_app)


def test_the_edit_page_shows_the_draft_as_stored_with_percentages_as_typed(any_app, draft):
    staff, tender_id, url = draft
    detail = PageParts(staff.get(f"/procurement/tenders/{tender_id}").get_data(as_text=True))
    assert "Ret udkast" in detail.text
    page = staff.get(url)
    assert page.status_code == 200
    shown = PageParts(page.get_data(as_text=True))
    values = {
        attrs["name"]: attrs.get("value")
        for tag, attrs in shown.tags
        if tag == "input" and attrs.get("name") in AS_STORED
    }
    assert values == {k: v for k, v in AS_STORED.items() if k not in ("procedure", "contract_kind")}
    assert (
        "Delaftale 1: Uddannelsesforløb med vejledning, opkvalificering og virksomhedspraktik"
        in (shown.text)
    )
    assert "Delaftale 2: Beskæftigelsesrettet forløb" in shown.text


def test_a_lots_weight_and_milestone_shares_changed_on_the_page_are_what_the_api_reads(
    any_app, draft, make_token
):
    staff, tender_id, url = draft
    changed = AS_STORED | {
        "title": "Beskæftigelsesindsats 2020-2022",
        "lots-0-w_price": "0,7",
        "lots-0-w_quality": "0,3",
        "lots-0-expected_week13_rate": "12,5",
        "lots-0-expected_week26_rate": "9",
        "lots-0-clawback_days": "120",
    }
    response = _post(staff, url, changed)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/procurement/tenders/{tender_id}")

    page = PageParts(staff.get(f"/procurement/tenders/{tender_id}").get_data(as_text=True))
    assert "Udkastet" in page.text and "er gemt" in page.text
    assert "Beskæftigelsesindsats 2020-2022" in page.text
    assert "70,0 % / 30,0 %" in page.text
    assert "13 uger 12,5 %, 26 uger 9,0 %; tilbagebetaling inden for 120 dage" in page.text

    token = make_token(any_app, "api@example.dk", "procurement")
    body = any_app.test_client().get(f"/api/v1/tenders/{tender_id}", headers=bearer(token)).json
    assert body["title"] == "Beskæftigelsesindsats 2020-2022"
    first, second = sorted(body["lots"], key=lambda lot: lot["number"])
    assert [Decimal(str(first[k])) for k in ("w_price", "w_quality")] == [
        Decimal("0.7"),
        Decimal("0.3"),
    ]
    assert Decimal(str(first["expected_week13_rate"])) == Decimal("0.125")
    assert Decimal(str(first["expected_week26_rate"])) == Decimal("0.09")
    assert first["clawback_days"] == 120
    # The lot left alone is unchanged, and only the changes are audited, as through the API.
    assert Decimal(str(second["w_price"])) == Decimal("0.5")
    audited = _events(any_app, "tender.updated", "lot.updated")
    assert sorted(e.action for e in audited) == ["lot.updated", "tender.updated"]
    lot_event = next(e for e in audited if e.action == "lot.updated")
    assert set(lot_event.details["changes"]) == {
        "w_price",
        "w_quality",
        "expected_week13_rate",
        "expected_week26_rate",
        "clawback_days",
    }


def test_milestone_prices_unticked_on_the_page_are_no_longer_asked_for(any_app, draft):
    staff, tender_id, url = draft
    unticked = {k: v for k, v in AS_STORED.items() if k != "lots-0-milestone_prices"}
    assert _post(staff, url, unticked).status_code == 302
    lot = _lots(any_app, tender_id)[0]
    assert (lot.expected_week13_rate, lot.expected_week26_rate, lot.clawback_days) == (
        None,
        None,
        None,
    )


def test_weights_not_adding_up_are_refused_in_danish_and_nothing_is_changed(any_app, draft):
    staff, tender_id, url = draft
    refused = AS_STORED | {
        "title": "Et andet navn",
        "lots-0-w_price": "0,7",
        "lots-1-w_price": "0,6",
    }
    response = _post(staff, url, refused)
    assert response.status_code == 422
    text = _text(response)
    assert "Intet er gemt endnu: ret de markerede felter nedenfor." in text
    # Both lots' problems at once, next to their fields, and the form keeps what was typed.
    assert "Vægtene for pris og kvalitet skal tilsammen give 1 (0,7 + 0,4 = 1,1)." in text
    assert "Vægtene for pris og kvalitet skal tilsammen give 1 (0,6 + 0,5 = 1,1)." in text
    assert 'value="Et andet navn"' in text
    with any_app.app_context():
        assert db.session.get(Tender, tender_id).title == "Beskæftigelsesindsats 2020"
    assert [lot.w_price for lot in _lots(any_app, tender_id)] == [Decimal("0.6"), Decimal("0.5")]
    assert _events(any_app, "tender.updated", "lot.updated") == []


def test_a_deadline_moved_into_the_past_is_refused(any_app, draft):
    staff, tender_id, url = draft
    response = _post(staff, url, AS_STORED | {"deadline": "2019-01-20T12:00"})
    assert response.status_code == 422
    assert "Fristen er overskredet; sæt en frist i fremtiden." in _text(response)
    assert _events(any_app, "tender.updated") == []


def test_a_published_tender_cannot_be_edited(any_app, draft):
    staff, tender_id, url = draft
    page = staff.get(f"/procurement/tenders/{tender_id}")
    publish = f"/procurement/tenders/{tender_id}/publish"
    staff.post(publish, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    detail = _text(staff.get(f"/procurement/tenders/{tender_id}"))
    assert "Offentliggjort" in detail and "Ret udkast" not in detail

    refused = staff.get(url)
    assert refused.status_code == 409
    text = _text(refused)
    assert "Udbuddet er ikke længere et udkast" in text
    assert f'href="/procurement/tenders/{tender_id}"' in text and "Tilbage til udbuddet" in text
    token = csrf_token(detail)
    posted = staff.post(url, data={"csrf_token": token, **AS_STORED, "title": "Ændret"})
    assert posted.status_code == 409
    with any_app.app_context():
        assert db.session.get(Tender, tender_id).title == "Beskæftigelsesindsats 2020"


def test_a_provider_gets_what_it_gets_for_any_procurement_page(app, make_provider):
    _staff, tender_id, url = _new_draft(app)
    with app.app_context():
        provider = make_provider(db.session)
        db.session.commit()
        provider_id = provider.id
    provider_client = logged_in_client(app, "leverandor@example.dk", "provider", provider_id)
    # The same answer as the new tender page gives a provider.
    expected = provider_client.get("/procurement/tenders/new").status_code
    assert expected == 403
    assert provider_client.get(url).status_code == expected
    token = csrf_token(_text(provider_client.get("/provider/")))
    posted = provider_client.post(url, data={"csrf_token": token, **AS_STORED, "title": "Kapret"})
    assert posted.status_code == expected
    with app.app_context():
        assert db.session.get(Tender, tender_id).title == "Beskæftigelsesindsats 2020"


def test_the_edit_page_speaks_english_to_a_user_who_chose_it(app):
    staff, tender_id, url = _new_draft(app)
    with app.app_context():
        db.session.execute(sa.update(User).values(locale="en"))
        db.session.commit()
    assert "Edit draft" in _text(staff.get(f"/procurement/tenders/{tender_id}"))
    refused = _post(staff, url, AS_STORED | {"lots-0-w_price": "0,7"})
    assert refused.status_code == 422
    assert "The price and quality weights must add up to 1 (0.7 + 0.4 = 1.1)." in _text(refused)


def test_a_new_tender_refused_by_the_service_says_nothing_is_saved(app):
    """The notice over the form comes with a service's refusal too, not only the form's own."""
    set_clock(app, date(2019, 1, 24))
    staff = logged_in_client(app, STAFF, "procurement")
    response = _post(staff, "/procurement/tenders/new", NEW_TENDER | {"lots-2-w_price": "0,6"})
    assert response.status_code == 422
    text = _text(response)
    assert "Intet er gemt endnu: ret de markerede felter nedenfor." in text
    assert "Vægtene for pris og kvalitet skal tilsammen give 1 (0,6 + 0,5 = 1,1)." in text


def test_weights_set_through_the_api_to_four_decimals_are_saved_again_as_they_stand(
    any_app, draft, make_token
):
    """A weight of 0.625 (the API and the column take four decimals) is shown on the edit page
    and saved again unchanged, not refused as having more than two decimals."""
    staff, tender_id, url = draft
    token = make_token(any_app, "api@example.dk", "procurement")
    api = any_app.test_client()
    lot_id = _lots(any_app, tender_id)[0].id
    patched = api.patch(
        f"/api/v1/tenders/{tender_id}/lots/{lot_id}",
        headers=bearer(token),
        json={"w_price": "0.625", "w_quality": "0.375"},
    )
    assert patched.status_code == 200, patched.get_data(as_text=True)
    page = PageParts(staff.get(url).get_data(as_text=True))
    shown = {attrs["name"]: attrs.get("value") for tag, attrs in page.tags if tag == "input"}
    assert (shown["lots-0-w_price"], shown["lots-0-w_quality"]) == ("0,625", "0,375")

    kept = AS_STORED | {"title": "Nyt navn", "lots-0-w_price": "0,625", "lots-0-w_quality": "0,375"}
    assert _post(staff, url, kept).status_code == 302
    lot = _lots(any_app, tender_id)[0]
    assert (lot.w_price, lot.w_quality) == (Decimal("0.625"), Decimal("0.375"))

    five = AS_STORED | {"lots-0-w_price": "0,62505", "lots-0-w_quality": "0,37495"}
    refused = _post(staff, url, five)
    assert refused.status_code == 422
    assert "“0,62505” har mere end fire decimaler." in _text(refused)
    assert _lots(any_app, tender_id)[0].w_price == Decimal("0.625")
