"""The web form's rows as a coordinator gets them back after a refused save: what was typed,
markup characters and all, is shown as typed (escaped, never run), and each problem sits in its
cell, tied to its input for a screen reader. The rows are written outside the template
(provider_portal/provider/report_form_rows.py, issue 16), so these are checked here."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from contracts.models import ReportLine
from contracts.services.accounts import create_user
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, login
from tests.pages import PageParts
from tests.scenarios import sample_scenario
from tests.web.report_page_client import PAGE, filled_with_one_bad_line, form_fields

TYPED = '12<script>alert("x")</script>&'


@pytest.fixture
def client(app):
    with app.app_context():
        found = sample_scenario(db.session)
        create_user(
            db.session,
            TEST_ACTOR,
            "koordinator@example.dk",
            "provider",
            TEST_PASSWORD,
            found.provider_id,
        )
        db.session.commit()
    client = app.test_client()
    assert login(client, "koordinator@example.dk").status_code == 302
    client.contract_id = found.contract_id
    return client


def _refused(client, change) -> tuple[PageParts, str, dict]:
    page = client.get(PAGE.format(client.contract_id)).get_data(as_text=True)
    fields = form_fields(page)
    row = filled_with_one_bad_line(fields, sorted(v for k, v in fields.items() if "ref" in k)[0])
    change(fields, row)
    response = client.post(PAGE.format(client.contract_id) + "/form", data=fields)
    assert response.status_code == 422
    return PageParts(response.get_data(as_text=True)), row, fields


def test_typed_markup_comes_back_as_typed_text_and_nothing_is_stored(app, client):
    def change(fields, row):
        fields[row + "absence_hours"] = TYPED
        fields[row + "status"] = "<b>gone</b>"

    page, row, _ = _refused(client, change)
    [hours] = page.xpath(f"//input[@name='{row}absence_hours']")
    assert hours.get("value") == TYPED
    [chosen] = page.xpath(f"//select[@name='{row}status']/option[@selected]")
    assert chosen.get("value") == "<b>gone</b>" and chosen.text_content() == "<b>gone</b>"
    assert not page.xpath("//script[contains(., 'alert')]") and not page.xpath("//main//b")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportLine)) == 0


def test_each_problem_is_in_its_cell_and_described_to_its_input(client):
    page, row, _ = _refused(client, lambda fields, row: None)
    [delivered] = page.xpath(f"//input[@name='{row}hours_delivered']")
    assert delivered.get("aria-invalid") == "true"
    [message] = page.xpath(f"//*[@id='{delivered.get('aria-describedby')}']")
    assert "loftet" in message.text_content()
    assert message.getparent().get("class") == "has-error"
    labelled = delivered.get("aria-labelledby").split()
    assert [page.xpath(f"//*[@id='{name}']")[0].tag for name in labelled] == ["th", "th"]
    # The other inputs of the line are not marked.
    [planned] = page.xpath(f"//input[@name='{row}hours_planned']")
    assert planned.get("aria-invalid") == "false" and planned.get("aria-describedby") is None
    assert planned.get("value") == "148"


def test_the_sent_form_keeps_every_value_a_browser_sends_back(client):
    """What the page draws is what a browser posts: resending the refused page's own fields,
    with the bad hours fixed, stores the month."""
    page, row, fields = _refused(client, lambda fields, row: None)
    [form] = [f for f in page.xpath("//form") if f.get("action", "").endswith("/form")]
    again = dict(form.form_values())
    assert {k: v for k, v in again.items() if k != "csrf_token"} == {
        k: v for k, v in fields.items() if k != "csrf_token"
    }
    again[row + "hours_delivered"] = "148"
    response = client.post(PAGE.format(client.contract_id) + "/form", data=again)
    assert response.status_code == 302


def test_stored_hours_are_shown_as_the_page_language_writes_them_and_saved_unchanged(app, client):
    """A draft's hours come back with a decimal comma on a Danish page and a point on an
    English one; saving the form as shown keeps every hour as it was."""
    _, row, fields = _refused(client, lambda fields, row: None)
    fields[row + "hours_delivered"] = "120,5"
    fields[row + "absence_hours"] = "0.25"
    assert client.post(PAGE.format(client.contract_id) + "/form", data=fields).status_code == 302
    with app.app_context():
        before = db.session.execute(
            sa.select(ReportLine.position, ReportLine.hours_delivered, ReportLine.absence_hours)
        ).all()
    page = client.get(PAGE.format(client.contract_id)).get_data(as_text=True)
    shown = form_fields(page)
    assert shown[row + "hours_delivered"] == "120,50"
    assert shown[row + "absence_hours"] == "0,25"
    assert client.post(PAGE.format(client.contract_id) + "/form", data=shown).status_code == 302
    with app.app_context():
        after = db.session.execute(
            sa.select(ReportLine.position, ReportLine.hours_delivered, ReportLine.absence_hours)
        ).all()
    assert sorted(after) == sorted(before)
    client.post("/language", data={"language": "en", "csrf_token": shown["csrf_token"]})
    english = form_fields(client.get(PAGE.format(client.contract_id)).get_data(as_text=True))
    assert english[row + "hours_delivered"] == "120.50"
