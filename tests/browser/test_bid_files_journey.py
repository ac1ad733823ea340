"""Issue 18's journey in chromium: procurement publishes a tender with its material; a provider
reads it, asks a question, reads the published answer, bids and attaches its method
description; after the deadline procurement evaluates with every bid's files in view (points
and a written reason per bid) and awards. Then procurement attaches the signed contract to a
contract and the contract's provider finds it on its own documents page."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from contracts.models import Contract, Provider, User
from contracts.services.accounts import create_token, create_user
from tests.bid_files.conftest import send_file
from tests.bodies import PRICES, TENDER
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in, screenshot
from tests.conftest import TEST_ACTOR, TEST_PASSWORD
from tests.files.samples import pdf
from tests.procurement.conftest import Api, set_clock

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(sqlite_template, redis_server, tmp_path_factory):
    """The demo portal with a draft tender, and a second bidder (another demo provider) with a
    token; yields (url, app, tender, rival's token)."""
    from provider_portal.extensions import db

    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("bid-files"))
    set_clock(app, date(2019, 1, 24))
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == "indkob@demo.dk"))
        demo_provider = db.session.scalar(
            sa.select(User.provider_id).where(User.email == "leverandor@demo.dk")
        )
        other = db.session.scalar(
            sa.select(Provider.id).where(Provider.id != demo_provider).order_by(Provider.id)
        )
        rival = create_user(
            db.session, TEST_ACTOR, "tilbud@anden.example.dk", "provider", TEST_PASSWORD, other
        )
        staff_token = create_token(db.session, TEST_ACTOR, staff, "journey")[1]
        rival_token = create_token(db.session, TEST_ACTOR, rival, "journey")[1]
        db.session.commit()
    status, tender = Api(app.test_client())("POST", "/api/v1/tenders", staff_token, TENDER)
    assert status == 201, tender
    with serving(app, "bid-files-portal") as live:
        yield live, app, tender, rival_token


def _rival_bids_with_a_cv(app, tender: dict, token: str) -> None:
    client = app.test_client()
    url = f"/api/v1/tenders/{tender['id']}/lots/{tender['lots'][0]['id']}/bid"
    assert Api(client)("PUT", url, token, PRICES)[0] == 200
    sent = send_file(client, f"{url}/attachments", token, pdf(), "CV.pdf", kind="cv")
    assert sent.status_code == 201


def test_a_tender_from_its_material_to_an_award_with_the_bid_files_in_view(
    page: Page, portal, tmp_path
):
    live, app, tender, rival_token = portal
    tender_page = f"{live}/procurement/tenders/{tender['id']}"
    watch = ConsoleWatch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    main = page.locator("main")

    # Procurement puts the tender conditions up and publishes.
    log_in(page, live, "indkob@demo.dk")
    page.goto(tender_page)
    conditions = tmp_path / "Udbudsbetingelser.pdf"
    conditions.write_bytes(pdf())
    page.get_by_label("Titel").fill("Udbudsbetingelser")
    page.get_by_label("Dokumenttype").select_option("biddingDocuments")
    page.get_by_label("Fil (PDF, Word, Excel, ODT eller ODS, højst 25 MB)").set_input_files(
        conditions
    )
    main.get_by_role("button", name="Læg op").click()
    expect(main.get_by_role("link", name="Udbudsbetingelser")).to_be_visible()
    main.get_by_role("button", name="Offentliggør", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Gemt")

    # A provider reads the material and asks a question.
    set_clock(app, date(2019, 2, 1), time(10, 0))
    page.context.clear_cookies()
    log_in(page, live, "leverandor@demo.dk")
    page.goto(tender_page)
    with page.expect_download() as material:
        main.get_by_role("link", name="Udbudsbetingelser").click()
    assert material.value.suggested_filename == conditions.name
    page.get_by_label("Dit spørgsmål").fill("Må CV'erne være anonymiserede?")
    main.get_by_role("button", name="Send spørgsmålet").click()
    expect(main).to_contain_text("Må CV'erne være anonymiserede?")

    # Procurement answers, published to every provider without the asker's name.
    page.context.clear_cookies()
    log_in(page, live, "indkob@demo.dk")
    page.goto(tender_page)
    main.locator("textarea[id^=answer-text-]").fill("Ja, når erfaringen fremgår.")
    main.get_by_role("button", name="Offentliggør svaret for alle leverandører").click()
    expect(main).to_contain_text("Ja, når erfaringen fremgår.")

    # The provider reads the answer, bids and attaches its method description.
    set_clock(app, date(2019, 3, 1), time(10, 0))
    _rival_bids_with_a_cv(app, tender, rival_token)
    page.context.clear_cookies()
    log_in(page, live, "leverandor@demo.dk")
    page.goto(tender_page)
    expect(main).to_contain_text("Ja, når erfaringen fremgår.")
    page.get_by_role("link", name="Tilbud på delaftale 1").click()
    expect(main).to_contain_text("Send først dine priser")
    page.get_by_label("Månedspris pr. deltager").fill("8750")
    page.get_by_label("Timepris").fill("42")
    page.get_by_label("Resultatbonus (job eller uddannelse)").fill("18000")
    main.get_by_role("button", name="Kontrollér tilbuddet").click()
    main.get_by_role("button", name="Afgiv tilbuddet").click()
    page.get_by_role("link", name="Tilbud på delaftale 1").click()
    method = tmp_path / "Metodebeskrivelse Nyt Fodfæste.pdf"
    method.write_bytes(pdf())
    page.get_by_label("Hvad filen er").select_option("method_description")
    page.get_by_label("Fil (PDF, Word, Excel, ODT eller ODS, højst 25 MB)").set_input_files(method)
    main.get_by_role("button", name="Vedhæft filen").click()
    expect(main.get_by_role("link", name=method.name)).to_be_visible()
    assert_accessible(page, "bid-files")
    screenshot(page, "bid-files")

    # After the deadline procurement evaluates with the files in view, and awards.
    set_clock(app, date(2019, 3, 16))
    page.context.clear_cookies()
    log_in(page, live, "indkob@demo.dk")
    page.goto(tender_page)
    expect(main.get_by_role("link", name=method.name)).to_be_visible()
    expect(main.get_by_role("link", name="CV.pdf")).to_be_visible()
    with page.expect_download() as download:
        main.get_by_role("link", name=method.name).click()
    assert download.value.suggested_filename == method.name
    points = main.locator("input.points")
    reasons = main.locator("textarea[name^=reason-]")
    for n, (given, why) in enumerate([("8", "Klar metode"), ("6,5", "Gode CV'er")]):
        points.nth(n).fill(given)
        reasons.nth(n).fill(why)
    main.get_by_role("button", name="Gem kvalitetspoint og rangér").click()
    expect(page.get_by_role("status").first).to_contain_text("Gemt")
    assert_accessible(page, "evaluation-with-files")
    screenshot(page, "evaluation-with-files")
    main.get_by_role("button", name="Tildel").click()
    expect(main).to_contain_text("Klar metode")
    expect(main).to_contain_text("Tildelt, nr. 1")
    assert watch.problems == []


def test_procurement_attaches_the_signed_contract_and_its_provider_downloads_it(
    page: Page, portal, tmp_path
):
    live, app, _, _ = portal
    from provider_portal.extensions import db

    with app.app_context():
        provider_id = db.session.scalar(
            sa.select(User.provider_id).where(User.email == "leverandor@demo.dk")
        )
        contract_id, reference = db.session.execute(
            sa.select(Contract.id, Contract.reference)
            .where(Contract.provider_id == provider_id)
            .order_by(Contract.id)
        ).first()
    watch = ConsoleWatch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live, "indkob@demo.dk")
    page.goto(f"{live}/procurement/contracts/{contract_id}")
    main = page.locator("main")
    signed = tmp_path / "Kontrakt underskrevet.pdf"
    signed.write_bytes(pdf())
    main.get_by_text("Vedhæft et dokument").click()
    page.get_by_label("Dokumenttype").select_option("contractSigned")
    page.get_by_label("Fil (PDF, Word, Excel, ODT eller ODS, højst 25 MB)").set_input_files(signed)
    main.get_by_role("button", name="Vedhæft dokumentet").click()
    expect(main.get_by_role("link", name=signed.name)).to_be_visible()
    page.locator("#documents").scroll_into_view_if_needed()
    assert_accessible(page, "contract-documents")
    screenshot(page, "contract-documents")

    page.context.clear_cookies()
    log_in(page, live, "leverandor@demo.dk")
    page.get_by_role("link", name="Aftalens dokumenter").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dokumenter til")
    page.goto(f"{live}/provider/contracts/{contract_id}/documents")
    expect(main).to_contain_text(reference)
    with page.expect_download() as download:
        main.get_by_role("link", name=signed.name).click()
    assert download.value.suggested_filename == signed.name
    screenshot(page, "provider-contract-documents")
    assert watch.problems == []
