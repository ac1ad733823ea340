"""Each quality score carries the evaluators' written reason: required with the points on the
API and the evaluation page, shown beside them, audited as they are, and told to the bidder in
the award mail with its own points (never another bidder's reason)."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import sqlalchemy as sa

from contracts.models import AuditEvent, Bid
from tests.bid_files.conftest import AFTER_DEADLINE
from tests.conftest import csrf_token, login
from tests.pages import PageParts
from tests.procurement.conftest import Api, set_clock


def _scores(bidding, reason_a="Stærk metodebeskrivelse", reason_b="Tynde CV'er") -> dict:
    return {
        "quality_points": [
            {"bid_id": bidding.bids["a"], "points": "8.00", "reason": reason_a},
            {"bid_id": bidding.bids["b"], "points": "5.50", "reason": reason_b},
        ]
    }


def _reasons(app) -> list:
    from provider_portal.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(Bid.quality_reason).order_by(Bid.id)))


def test_the_api_requires_a_reason_with_every_score_and_shows_it(app, client, bidding):
    api = Api(client)
    set_clock(app, AFTER_DEADLINE)
    url = f"{bidding.url}/evaluation"
    missing = {"quality_points": [{"bid_id": bidding.bids["a"], "points": "8.00"}]}
    status, body = api("POST", url, bidding.staff, missing)
    assert status == 422 and body["errors"][0]["field"] == "quality_points.0.reason"
    status, body = api("POST", url, bidding.staff, _scores(bidding, reason_b="   "))
    assert status == 422, body
    assert _reasons(app) == [None, None]
    status, body = api("POST", url, bidding.staff, _scores(bidding))
    assert status == 200, body
    lines = {line["bid_id"]: line for line in body["lots"][0]["lines"]}
    assert lines[bidding.bids["a"]]["quality_reason"] == "Stærk metodebeskrivelse"
    assert lines[bidding.bids["b"]]["quality_points"] == "5.50"
    from provider_portal.extensions import db

    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "tender.evaluated")
        )
        assert event.details["quality_reasons"] == {
            str(bidding.bids["a"]): "Stærk metodebeskrivelse",
            str(bidding.bids["b"]): "Tynde CV'er",
        }


def test_the_award_mail_gives_each_bidder_its_own_points_and_reason(app, client, bidding):
    api = Api(client)
    set_clock(app, AFTER_DEADLINE)
    assert api("POST", f"{bidding.url}/evaluation", bidding.staff, _scores(bidding))[0] == 200
    assert api("POST", f"{bidding.url}/award", bidding.staff)[0] == 200
    mails = {}
    for path in Path(app.config["OUTBOX_DIR"]).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = message.get_body(("plain",)).get_content()
        mails[str(message["To"])] = text
    a_mail = next(text for to, text in mails.items() if "a@example.dk" in to)
    b_mail = next(text for to, text in mails.items() if "b@example.dk" in to)
    assert "Bedømmernes begrundelse: Stærk metodebeskrivelse" in a_mail
    assert "Tynde CV'er" not in a_mail
    assert "kvalitetspoint: 5,50" in b_mail or "kvalitetspoint: 5.50" in b_mail
    assert "Tynde CV'er" in b_mail and "Stærk metodebeskrivelse" not in b_mail


def test_the_evaluation_page_asks_the_reason_beside_the_points(app, client, bidding):
    set_clock(app, AFTER_DEADLINE)
    staff = app.test_client()
    login(staff, "indkob@example.dk")
    page_url = f"/procurement/tenders/{bidding.tender_id}"
    page = staff.get(page_url).get_data(as_text=True)
    parts = PageParts(page)
    assert parts.find_all("textarea", name=f"reason-{bidding.bids['a']}")
    form = {
        "csrf_token": csrf_token(page),
        f"points-{bidding.bids['a']}": "8",
        f"points-{bidding.bids['b']}": "5,5",
        f"reason-{bidding.bids['a']}": "Stærk metodebeskrivelse",
    }
    staff.post(f"{page_url}/evaluation", data=form)
    shown = PageParts(staff.get(page_url).get_data(as_text=True)).text
    assert "angiv bedømmernes begrundelse for kvalitetspointene" in shown
    assert _reasons(app) == [None, None]
    form[f"reason-{bidding.bids['b']}"] = "Tynde CV'er"
    assert staff.post(f"{page_url}/evaluation", data=form).status_code == 302
    assert _reasons(app) == ["Stærk metodebeskrivelse", "Tynde CV'er"]
    page = staff.get(page_url).get_data(as_text=True)
    assert "Tynde CV&#39;er" in page or "Tynde CV'er" in page
