"""Each role's main pages pass axe-core (every rule, WCAG 2.1 A and AA among them, `region`
too: the demo-date banner sits in the header's landmark), in Danish and in English; on a
phone the header is compact, its menu folds behind a button, and references stay on one line."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contracts.services.demo import DEMO_USERS
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _menu_pages(page: Page) -> list[str]:
    """The main menu's pages of the logged-in role, the home page first."""
    return page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.href)")


@pytest.mark.parametrize(("email", "role"), DEMO_USERS, ids=[role for _email, role in DEMO_USERS])
def test_every_main_page_of_each_role_passes_axe(page: Page, live_server: str, email, role):
    watch = ConsoleWatch(page)
    log_in(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages = _menu_pages(page)
    assert pages, f"{role} has no main menu"
    for url in pages:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, f"axe-{role}-{url.rstrip('/').rsplit('/', 1)[-1]}")
    page.goto(f"{live_server}/accessibility")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgængelighedserklæring")
    assert_accessible(page, f"axe-{role}-accessibility")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    page.goto(pages[0])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, f"axe-{role}-home-en")
    page.get_by_role("button", name="Dansk").click()
    assert watch.problems == []


def test_the_login_page_and_the_statement_pass_axe_before_a_login(page: Page, live_server: str):
    page.goto(f"{live_server}/login")
    assert_accessible(page, "axe-login")
    page.get_by_role("link", name="Tilgængelighedserklæring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilgængelighedserklæring")
    assert_accessible(page, "axe-accessibility-anonymous")


def test_on_a_phone_the_header_is_compact_and_the_menu_opens_from_a_button(
    browser, live_server: str
):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = ConsoleWatch(page)
    try:
        log_in(page, live_server, "leverandor@demo.dk")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        header = page.locator("header.site-header").bounding_box()
        assert header["height"] <= PHONE["height"] * 0.15, f"header {header['height']}px tall"
        nav = page.get_by_role("navigation", name="Hovedmenu")
        expect(nav).to_be_hidden()
        button = page.get_by_role("button", name="Menu")
        expect(button).to_have_attribute("aria-expanded", "false")
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(nav).to_be_visible()
        expect(page.get_by_role("button", name="Log ud")).to_be_visible()
        assert_accessible(page, "phone-menu-open")
        button.click()
        expect(nav).to_be_hidden()
        # A participant's reference is one line, however narrow its column.
        expect(page.locator("td.mono").first).to_be_visible()
        lines = page.eval_on_selector_all(
            "td.mono",
            """cells => cells.map(cell => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                return new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size;
            })""",
        )
        assert lines and set(lines) == {1}, f"a reference breaks across lines: {lines}"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        context.close()
    assert watch.problems == []


def test_on_a_wide_screen_the_menu_is_open_and_has_no_button(page: Page, live_server: str):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, "indkob@demo.dk")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
