"""A tender's material in chromium: procurement uploads the tender conditions to a draft and
publishes; after publication it uploads a new version with what changed and moves the
deadline with a reason; a provider reads the material and its earlier version, asks a
question; procurement rewords and publishes the answer, which the provider then reads without
any asker named. Each page is checked with axe-core."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from contracts.models import Provider, User
from contracts.services.accounts import create_token
from tests.bodies import TENDER
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in
from tests.conftest import TEST_ACTOR
from tests.files import samples
from tests.procurement.conftest import Api, set_clock

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(sqlite_template, redis_server, tmp_path_factory):
    """The demo portal with a draft tender; yields (url, app, tender id)."""
    from provider_portal.extensions import db

    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("material"))
    set_clock(app, date(2019, 1, 24))
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == "indkob@demo.dk"))
        token = create_token(db.session, TEST_ACTOR, staff, "journey")[1]
        asker = db.session.scalar(
            sa.select(Provider.name)
            .join(User, User.provider_id == Provider.id)
            .where(User.email == "leverandor@demo.dk")
        )
        db.session.commit()
    status, tender = Api(app.test_client())(
        "POST", "/api/v1/tenders", token, {**TENDER, "title": "Jobrettet forløb 2019"}
    )
    assert status == 201, tender
    with serving(app, "material-portal") as live:
        yield live, app, tender["id"], asker


def _upload(page: Page, path, title: str, kind: str, note: str | None = None) -> None:
    details = page.locator("details", has_text="Læg et dokument eller en ny version op")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Dokumenttype").select_option(label=kind)
    if note is not None:
        page.get_by_label("Hvad er ændret").fill(note)
    page.get_by_label("Fil (PDF").set_input_files(str(path))
    page.get_by_role("button", name="Læg op", exact=True).click()
    expect(page.get_by_text("Dokumentet er lagt op.")).to_be_visible()


def test_material_versions_questions_and_answers(page: Page, portal, tmp_path):
    live, app, tender_id, asker = portal
    watch = ConsoleWatch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    first, second = tmp_path / "Udbudsbetingelser.pdf", tmp_path / "Udbudsbetingelser v2.pdf"
    first.write_bytes(samples.pdf())
    second.write_bytes(samples.pdf() + b"\n% v2\n")
    sheet = tmp_path / "Tilbudsliste.xlsx"
    sheet.write_bytes(samples.xlsx())

    log_in(page, live, "indkob@demo.dk")
    page.goto(f"{live}/procurement/tenders/{tender_id}")
    _upload(page, first, "Udbudsbetingelser", "Udbudsbetingelser")
    _upload(page, sheet, "Tilbudsliste", "Tilbudsliste")
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text("Gemt.")).to_be_visible()
    set_clock(app, date(2019, 2, 4), time(10, 0))
    page.reload()
    _upload(page, second, "Udbudsbetingelser", "Udbudsbetingelser", "Afsnit 4 om mødepligt")
    page.locator("summary", has_text="Flyt fristen").click()
    page.get_by_label("Tilbudsfrist (dansk tid)").fill("2019-03-22T12:00")
    page.get_by_label("Begrundelse for at flytte fristen").fill("Nyt afsnit 4 i betingelserne")
    page.get_by_role("button", name="Flyt fristen").click()
    expect(page.get_by_text("Gemt.")).to_be_visible()
    assert_accessible(page, "material-procurement")
    page.get_by_role("button", name="Log ud").click()

    log_in(page, live, "leverandor@demo.dk")
    page.goto(f"{live}/procurement/tenders/{tender_id}")
    material = page.locator("#material")
    expect(material).to_contain_text("Ny version 04-02-2019")
    expect(material).to_contain_text("Afsnit 4 om mødepligt")
    deadline = page.locator("#deadlines")
    expect(deadline).to_contain_text("Nyt afsnit 4 i betingelserne")
    expect(deadline).to_contain_text("22-03-2019 12:00")
    material.locator("summary", has_text="Tidligere versioner (1)").click()
    with page.expect_download() as download:
        material.get_by_role("link", name="Version 1").click()
    assert download.value.suggested_filename == "Udbudsbetingelser.pdf"
    page.get_by_label("Dit spørgsmål").fill(f"Hvor mange timer skal {asker} dække pr. uge?")
    page.get_by_role("button", name="Send spørgsmålet").click()
    expect(page.get_by_text("Dit spørgsmål er sendt.")).to_be_visible()
    expect(page.locator("#questions")).to_contain_text("Venter på svar")
    page.get_by_role("button", name="Log ud").click()

    log_in(page, live, "indkob@demo.dk")
    page.goto(f"{live}/procurement/tenders/{tender_id}")
    questions = page.locator("#questions")
    expect(questions).to_contain_text(f"Fra {asker}")
    questions.get_by_label("Spørgsmålet som det offentliggøres").fill(
        "Hvor mange timer skal leverandøren dække pr. uge?"
    )
    questions.get_by_label("Svar", exact=True).fill("Mindst 15 timer pr. deltager.")
    questions.get_by_role("button", name="Offentliggør svaret for alle leverandører").click()
    expect(page.get_by_text("Svaret er offentliggjort.")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()

    log_in(page, live, "leverandor@demo.dk")
    page.goto(f"{live}/procurement/tenders/{tender_id}")
    answers = page.locator("#questions")
    expect(answers).to_contain_text("Spørgsmål 1")
    expect(answers).to_contain_text("Mindst 15 timer pr. deltager.")
    expect(answers.locator(".answers")).not_to_contain_text(asker)
    assert_accessible(page, "material-provider")
    assert watch.problems == []
