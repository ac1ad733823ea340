"""The look the pages share, measured in chromium: select boxes as tall as the text boxes
beside them, and the tender's tables scrolling inside their own box on a narrow screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.watch import ConsoleWatch, log_in, screenshot

pytestmark = pytest.mark.browser


def _height(page: Page, selector: str) -> float:
    return page.locator(selector).evaluate("e => e.getBoundingClientRect().height")


def test_select_boxes_are_as_tall_as_text_boxes(page: Page, live_server: str):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "indkob@demo.dk")
    page.goto(f"{live_server}/procurement/contracts/new")
    text_box = _height(page, "#reference")
    for select in ("#provider_id", "#programme", "#kind", "#predecessor_id"):
        assert _height(page, select) == text_box, select


def test_the_tender_tables_scroll_inside_their_box_on_a_narrow_screen(page: Page, live_server: str):
    watch = ConsoleWatch(page)
    log_in(page, live_server, "leverandor@demo.dk")
    page.get_by_role("link", name="Udbud").first.click()
    page.locator("main table a").first.click()
    tender_url = page.url
    page.get_by_role("link", name="Tilbud på delaftale 1").click()
    page.get_by_label("Månedspris pr. deltager").fill("9500.00")
    page.get_by_label("Timepris").fill("48.00")
    page.get_by_label("Resultatbonus (job eller uddannelse)").fill("15000.00")
    page.get_by_role("button", name="Kontrollér tilbuddet").click()
    # The bid is shown back as it will be stored before it is placed.
    expect(page.locator("main")).to_contain_text("9.500,00 kr.")
    page.get_by_role("button", name="Afgiv tilbuddet").click()
    expect(page).to_have_url(tender_url)

    page.set_viewport_size({"width": 480, "height": 900})
    page.reload()
    tables = page.locator("main table.data")
    expect(tables).to_have_count(2)  # the lots, and the provider's own bid
    for n in range(2):
        table = tables.nth(n)
        assert table.evaluate("t => t.parentElement.classList.contains('table-scroll')")
        box = table.evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
        assert box[0] > box[1], "the table is wider than the screen, so its box scrolls"
    # The page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "tender-narrow")
    assert watch.problems == []
