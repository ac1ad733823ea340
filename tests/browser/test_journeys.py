"""Each demo user logs in through the real form in chromium and lands on a working home page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from contracts.services.demo import DEMO_USERS
from tests.browser.watch import ConsoleWatch, log_in, screenshot

pytestmark = pytest.mark.browser

# What each role's home page must say in Danish: its heading and a piece of its own content.
HOMES = {
    "procurement": (
        "/procurement/",
        "Overblik over aftaler",
        ["Udløber snart", "Indberetninger der venter på behandling", "Deltagere"],
    ),
    "provider": (
        "/provider/",
        "Jeres aftaler og indberetninger",
        ["Månedsindberetninger skal indsendes", "Deltagere"],
    ),
    "finance": (
        "/finance/",
        "Økonomioverblik",
        ["12.600.000,00 kr.", "Fakturaer der venter på godkendelse"],
    ),
    "admin": (
        "/admin/",
        "Brugere og API-nøgler",
        ["indkob@demo.dk", "leverandor@demo.dk", "Invitér en medarbejder"],
    ),
}


@pytest.mark.parametrize(("email", "role"), DEMO_USERS, ids=[role for _email, role in DEMO_USERS])
def test_demo_user_logs_in_and_sees_the_role_home(
    page: Page, live_server: str, email: str, role: str
):
    watch = ConsoleWatch(page)
    path, heading, content = HOMES[role]

    log_in(page, live_server, email)

    expect(page).to_have_url(f"{live_server}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".demo-banner")).to_have_text(
        re.compile(r"Demo: portalen kører på datoen 24-01-2019")
    )
    header = page.locator("header")
    expect(header).to_contain_text("Leverandørportal")
    expect(header).to_contain_text("Københavns Kommune")
    expect(header).to_contain_text(email)
    main = page.locator("main")
    for text in content:
        expect(main).to_contain_text(text)
    screenshot(page, role)

    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(f"{live_server}/login")
    assert watch.problems == []


def test_procurement_sees_expiring_contracts_highlighted(page: Page, live_server: str):
    watch = ConsoleWatch(page)
    log_in(page, live_server, "indkob@demo.dk")
    expiring_rows = page.locator("table.data tr.expiring")
    expect(expiring_rows.first).to_be_visible()
    expect(expiring_rows.first.locator(".badge-expiring")).to_have_text("Udløber snart")
    page.get_by_role("link", name="Aftaler", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aftaler")
    page.locator("table.data tbody a").first.click()
    expect(page.get_by_role("heading", name="Priser")).to_be_visible()
    screenshot(page, "contract")
    assert watch.problems == []


def test_language_switch_sticks_in_the_browser(page: Page, live_server: str):
    watch = ConsoleWatch(page)
    log_in(page, live_server, "okonomi@demo.dk")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance overview")
    expect(page.locator("main")).to_contain_text("DKK 12,600,000.00")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance overview")
    screenshot(page, "finance-en")
    page.get_by_role("button", name="Dansk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomioverblik")
    assert watch.problems == []


def test_wrong_password_shows_a_danish_message(page: Page, live_server: str):
    watch = ConsoleWatch(page)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("nobody@demo.dk")
    page.get_by_label("Adgangskode").fill("not the password")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_have_text("Forkert e-mail eller adgangskode.")
    screenshot(page, "login-failed")
    assert watch.problems == []


def test_pages_fit_a_phone_screen(browser, live_server: str):
    """On a narrow screen the page does not scroll sideways; wide tables scroll in their box."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    watch = ConsoleWatch(page)
    try:
        for email, _role in DEMO_USERS:
            log_in(page, live_server, email)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{email}'s home page is {overflow}px too wide for a phone"
            screenshot(page, f"phone-{_role}")
            page.get_by_role("button", name="Menu").click()  # the header's tools fold on a phone
            page.get_by_role("button", name="Log ud").click()
            expect(page).to_have_url(f"{live_server}/login")
    finally:
        context.close()
    assert watch.problems == []
