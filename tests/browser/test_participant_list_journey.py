"""Procurement's participant list in chromium: from the contract's page to its participants,
a search and a status filter, and a referral made by mistake ended with a reason; axe-core finds
nothing on the list, the confirmation, or the confirmation refused for want of a reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import add_sample_contract, demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in
from tests.scenarios import SAMPLE_REFS

pytestmark = pytest.mark.browser

REFERENCE = "SÆR-2018-LISTE"
MISTAKE = "DL-W0001"


@pytest.fixture(scope="module")
def portal(sqlite_template, redis_server, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """The demo plus a contract of the demo provider with the sample's seven participants since
    1 October 2018 and one referred on 7 January 2019 by mistake; its URL and the contract."""
    from provider_portal.extensions import db

    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("participant-list"))
    with app.app_context():
        contract_id = add_sample_contract(
            db.session, REFERENCE, also=((MISTAKE, date(2019, 1, 7)),)
        )
        db.session.commit()
    with serving(app, "participant-list") as url:
        yield url, contract_id


def test_procurement_finds_a_participant_and_ends_a_referral_made_by_mistake(page: Page, portal):
    url, contract_id = portal
    console = ConsoleWatch(page)
    log_in(page, url, "indkob@demo.dk")
    page.goto(f"{url}/procurement/contracts/{contract_id}")
    page.get_by_role("link", name="Se deltagerne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Deltagere i {REFERENCE}")
    table = page.locator("table.participants tbody tr")
    expect(table).to_have_count(len(SAMPLE_REFS) + 1)
    assert_accessible(page, "participants-list")

    page.get_by_label("Deltagerens reference").fill("w0001")
    page.get_by_role("button", name="Vis").click()
    expect(table).to_have_count(1)
    expect(table.first).to_contain_text(MISTAKE)
    page.get_by_label("Status").select_option("exited")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_text("Ingen deltagere passer til søgningen.")).to_be_visible()
    page.get_by_role("link", name="Nulstil filteret").click()

    page.locator("tr", has_text=MISTAKE).get_by_role("link", name="Oprettet ved en fejl?").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(MISTAKE)
    assert_accessible(page, "participants-confirm")
    button = page.get_by_role("button", name="Afslut forløbet som oprettet ved en fejl")
    button.click()
    expect(page.get_by_text("Skriv, hvorfor forløbet blev oprettet ved en fejl.")).to_be_visible()
    assert_accessible(page, "participants-confirm-refused")
    page.get_by_label("Hvorfor blev forløbet oprettet ved en fejl?").fill(
        "Henvist til den forkerte aftale"
    )
    page.get_by_role("button", name="Afslut forløbet som oprettet ved en fejl").click()
    expect(
        page.get_by_text(f"Forløbet for {MISTAKE} er afsluttet som oprettet ved en fejl.")
    ).to_be_visible()
    expect(page.locator("tr", has_text=MISTAKE)).to_contain_text("Oprettet ved en fejl")
    expect(page.locator("tr", has_text=MISTAKE).get_by_role("link")).to_have_count(0)
    # The 422 of the refused form is the page's own answer, not a failure.
    assert [p for p in console.problems if " 422 " not in f" {p} "] == []
