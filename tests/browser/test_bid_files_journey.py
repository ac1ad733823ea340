"""A tender's bid files and a contract's documents in chromium: a provider bids and attaches its
method description on the bid page; after the deadline procurement evaluates with the files in
view (points and a written reason per bid) and awards; procurement attaches the signed contract
to a contract and the contract's provider finds it on its own documents page."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from contracts.models import Contract, Provider, User
from contracts.services.accounts import create_token, create_user
from tests.api.conftest import bearer
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
    """The demo portal, a published tender, and a second bidder (another demo provider) that
    bids with a CV through the API; yields (url, app, tender id)."""
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
    client = app.test_client()
    api = Api(client)
    status, tender = api("POST", "/api/v1/tenders", staff_token, TENDER)
    assert status == 201, tender
    url = f"/api/v1/tenders/{tender['id']}"
    assert api("POST", f"{url}/publish", staff_token)[0] == 200
    set_clock(app, date(2019, 3, 1), time(10, 0))
    lot = tender["lots"][0]["id"]
    assert api("PUT", f"{url}/lots/{lot}/bid", rival_token, PRICES)[0] == 200
    sent = send_file(
        client, f"{url}/lots/{lot}/bid/attachments", rival_token, pdf(), "CV.pdf", kind="cv"
    )
    assert sent.status_code == 201
    assert client.get("/api/v1/tenders", headers=bearer(staff_token)).status_code == 200
    with serving(app, "bid-files-portal") as live:
        yield live, app, tender["id"]


def test_a_bid_with_its_method_description_is_evaluated_with_the_files_in_view(
    page: Page, portal, tmp_path
):
    live, app, tender_id = portal
    watch = ConsoleWatch(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live, "leverandor@demo.dk")
    page.goto(f"{live}/procurement/tenders/{tender_id}")
    page.get_by_role("link", name="Tilbud på delaftale 1").click()
    main = page.locator("main")
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

    set_clock(app, date(2019, 3, 16))
    page.context.clear_cookies()
    log_in(page, live, "indkob@demo.dk")
    page.goto(f"{live}/procurement/tenders/{tender_id}")
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
    assert watch.problems == []


def test_procurement_attaches_the_signed_contract_and_its_provider_downloads_it(
    page: Page, portal, tmp_path
):
    live, app, _ = portal
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
    page.goto(f"{live}/procurement/contracts/{contract_id}/documents")
    expect(main).to_contain_text(reference)
    with page.expect_download() as download:
        main.get_by_role("link", name=signed.name).click()
    assert download.value.suggested_filename == signed.name
    screenshot(page, "provider-contract-documents")
    assert watch.problems == []
