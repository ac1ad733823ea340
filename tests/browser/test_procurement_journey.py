"""Procurement in chromium: open an expiring contract, extend it, see a refusal past the option,
start the re-tender."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.watch import ConsoleWatch, log_in, screenshot

pytestmark = pytest.mark.browser


def test_procurement_extends_an_expiring_contract_and_starts_the_retender(
    page: Page, live_server: str
):
    watch = ConsoleWatch(page)
    log_in(page, live_server, "indkob@demo.dk")
    # The framework agreement RAM-2016-01 ends on 31 March 2019 without a successor: expiring.
    expiring = page.locator("table.data tr.expiring", has_text="RAM-2016-01").first
    expect(expiring).to_be_visible()
    expiring.get_by_role("link", name="RAM-2016-01").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RAM-2016-01")
    contract_url = page.url

    page.goto(f"{contract_url}/extend")
    main = page.locator("main")
    page.locator("#end_date").fill("2020-06-30")
    page.locator("#reason").fill("Mere tid")
    main.locator("form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("31-03-2020")
    screenshot(page, "extension-refused")

    page.locator("#end_date").fill("2019-08-31")
    page.locator("#reason").fill("Forlænget til genudbuddet er gennemført")
    main.locator("form button[type=submit]").click()
    expect(page).to_have_url(contract_url)
    expect(main).to_contain_text("31-08-2019")
    expect(main).to_contain_text("Forlænget til genudbuddet er gennemført")

    page.goto(f"{contract_url}/extend")
    page.locator("main a[href*='retender']").click()
    expect(page.locator("input[name=contract_ids]:checked")).to_have_count(1)
    page.locator("#deadline").fill("2019-05-15T12:00")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/procurement/tenders/\d+$"))
    expect(main).to_contain_text("RAM-2016-01")
    expect(main).to_contain_text("01-09-2019")
    screenshot(page, "retender-draft")
    # The refused extension is answered 422 on purpose (the form with its reason); nothing else failed.
    expected_refusal = {
        f"422 {contract_url}/extend",
        "console error: Failed to load resource: the server responded with a status of 422 "
        "(UNPROCESSABLE ENTITY)",
    }
    assert [p for p in watch.problems if p not in expected_refusal] == []
