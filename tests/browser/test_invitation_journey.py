"""A provider's administrator invites a colleague in chromium; the colleague opens the link from
the outbox, chooses a password and logs in (the second factor is not built yet)."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(sqlite_template, redis_server, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The demo portal; yields its URL and its outbox."""
    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("invite"))
    with serving(app, "invitation-portal") as url:
        yield url, Path(app.config["OUTBOX_DIR"])


def _link(outbox: Path) -> str:
    (path,) = outbox.glob("*.eml")
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert mail["To"] == "kollega@fodfaeste.dk"
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"http\S+/password/set\?token=[\w-]+", text).group(0)


def test_an_administrator_invites_a_colleague_who_chooses_a_password(
    page: Page, portal: tuple[str, Path]
):
    url, outbox = portal
    watch = ConsoleWatch(page)
    log_in(page, url, "leverandor@demo.dk")
    page.get_by_role("link", name="Brugere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brugere hos Nyt Fodfæste A/S")
    assert_accessible(page, "provider-users")
    page.get_by_label("E-mail").fill("kollega@fodfaeste.dk")
    page.get_by_label("Navn").fill("Ny Kollega")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Der er sendt en invitation til kollega@fodfaeste.dk."
    )
    expect(page.locator("main table")).to_contain_text("kollega@fodfaeste.dk")
    page.get_by_role("button", name="Log ud").click()

    page.goto(_link(outbox))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vælg din adgangskode")
    assert_accessible(page, "choose-password")
    page.get_by_label("Ny adgangskode").fill("min-egen-adgangskode")
    page.get_by_label("Gentag adgangskoden").fill("min-egen-adgangskode")
    page.get_by_role("button", name="Gem adgangskode").click()
    expect(page.get_by_role("status")).to_contain_text("Din adgangskode er gemt.")
    page.get_by_label("E-mail").fill("kollega@fodfaeste.dk")
    page.get_by_label("Adgangskode").fill("min-egen-adgangskode")
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{url}/provider/")
    expect(page.locator("header")).to_contain_text("kollega@fodfaeste.dk")
    assert watch.problems == []
