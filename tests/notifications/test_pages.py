"""The pages of mail: each user's choice of the optional notifications (/notifications/), and the
administrator's outbox (/admin/outbox/), which never shows a mail with a one-time link."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import lxml.html

from contracts.models import Contract
from contracts.services import reports
from contracts.services.accounts import create_user
from provider_portal import mail, transaction
from provider_portal.extensions import db
from provider_portal.mail.outbox import KIND_HEADER
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token
from tests.factories import logged_in_client, make_report, sample_report
from tests.notifications.conftest import PROCUREMENT, rejected_report
from tests.scenarios import sample_scenario


def outbox(app) -> dict[str, str]:
    """The outbox's files by the kind of mail each holds."""
    found = {}
    for path in Path(app.config["OUTBOX_DIR"]).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.setdefault(message[KIND_HEADER], []).append(path.name)
    return found


def test_the_admin_reads_the_outbox_but_never_an_invitation_or_a_reset(app):
    rejected_report(app)
    with app.app_context():
        invited = create_user(db.session, TEST_ACTOR, "ny@example.dk", "finance", TEST_PASSWORD)
        mail.send_link(invited, "invitation-token", "invitation")
        transaction.commit()
    visitor = app.test_client()
    form = visitor.get("/password/forgot").get_data(as_text=True)
    visitor.post(
        "/password/forgot", data={"email": "anna@fodfaeste.dk", "csrf_token": csrf_token(form)}
    )
    files = outbox(app)
    assert set(files) == {"report_submitted", "report_rejected", "invitation", "password_reset"}
    admin = logged_in_client(app, "admin@example.dk", "admin")
    page = admin.get("/admin/outbox/")
    listed = lxml.html.fromstring(page.get_data(as_text=True)).xpath("//tbody/tr")
    assert len(listed) == 3  # the submission to procurement, the rejection to each provider user
    text = page.get_data(as_text=True)
    assert "Rapport afvist: SÆR-2018-03, januar 2019" in text
    assert "ny@example.dk" not in text and "invitation-token" not in text
    # Not by its name either: a link mail is not found, as if it were not there.
    for name in files["invitation"] + files["password_reset"]:
        assert admin.get(f"/admin/outbox/{name}").status_code == 404
    shown = admin.get(f"/admin/outbox/{files['report_rejected'][0]}").get_data(as_text=True)
    assert "Timerne for DL-9XW3M ser for høje ud" in shown
    # Only an administrator reads the outbox.
    procurement = logged_in_client(app, "indkob2@example.dk", "procurement")
    assert procurement.get("/admin/outbox/").status_code == 403


def test_a_user_who_turns_a_kind_off_gets_no_more_of_it_and_the_others_still_do(app):
    with app.app_context():
        scenario = sample_scenario(db.session)
        provider_id = scenario.provider_id
        create_user(
            db.session, TEST_ACTOR, "bo@fodfaeste.dk", "provider", TEST_PASSWORD, provider_id
        )
        db.session.commit()
    anna = logged_in_client(app, "anna@fodfaeste.dk", "provider", provider_id)
    settings = anna.get("/notifications/").get_data(as_text=True)
    boxes = lxml.html.fromstring(settings).xpath("//input[@type='checkbox']")
    offered = {box.get("name"): box.get("checked") is not None for box in boxes}
    # Everything optional is on until turned off; a rejection is always sent, so not offered.
    assert offered == dict.fromkeys(offered, True) and "report_rejected" not in offered
    assert "report_accepted" in offered
    kept = {kind: "y" for kind in offered if kind != "report_accepted"}
    saved = anna.post("/notifications/", data={**kept, "csrf_token": csrf_token(settings)})
    assert saved.status_code == 302
    after = lxml.html.fromstring(anna.get("/notifications/").get_data(as_text=True))
    assert after.get_element_by_id("kind-report_accepted").get("checked") is None
    with app.app_context():
        contract = db.session.get(Contract, scenario.contract_id)
        report = make_report(db.session, contract, sample_report(), status="submitted")
        transaction.commit()
        reports.accept(db.session, PROCUREMENT, report)
        transaction.commit()
    to = [mail_to(app, name) for name in outbox(app).get("report_accepted", [])]
    assert to == ["bo@fodfaeste.dk"]


def mail_to(app, name: str) -> str:
    path = Path(app.config["OUTBOX_DIR"]) / name
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)["To"]
