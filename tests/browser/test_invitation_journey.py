"""A provider's administrator invites a colleague in chromium; the colleague opens the link from
the outbox, chooses a password, sets up the second factor with an authenticator app (pyotp
reading the key the page shows, as a phone reads the QR code) and logs in with it; the portal's
administrator reads the audit log filtered by that colleague (issue 14's journey)."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from contracts.models import ROLES
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal(sqlite_template, redis_server, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The demo portal; yields its URL and its outbox."""
    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("invite"))
    # As installed: every role gives a second factor (the demo's own users are exempt).
    app.config["TWO_FACTOR_ROLES"] = ROLES
    with serving(app, "invitation-portal") as url:
        app.config["PORTAL_URL"] = url  # where the mails' links lead
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
    _password(page, "kollega@fodfaeste.dk", "min-egen-adgangskode")
    # Nothing opens before the second factor is set up.
    expect(page).to_have_url(f"{url}/two-factor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opsæt totrinsbekræftelse")
    assert_accessible(page, "two-factor-enrolment")
    phone = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Kode fra din godkendelsesapp").fill(phone.now())
    page.get_by_role("button", name="Slå totrinsbekræftelse til").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dine gendannelseskoder")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page, "recovery-codes")
    page.get_by_role("link", name="Jeg har gemt dem: fortsæt").click()
    expect(page).to_have_url(f"{url}/provider/")
    page.get_by_role("button", name="Log ud").click()

    # The next login asks for the code after the password; a code is never taken twice, so
    # the phone's next one.
    _password(page, "kollega@fodfaeste.dk", "min-egen-adgangskode")
    expect(page).to_have_url(f"{url}/login/code")
    assert_accessible(page, "login-code")
    page.get_by_label("Kode fra din godkendelsesapp").fill(phone.at(time.time(), counter_offset=1))
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(f"{url}/provider/")
    expect(page.locator("header")).to_contain_text("kollega@fodfaeste.dk")
    page.get_by_role("button", name="Log ud").click()

    # The portal's administrator reads what the colleague did.
    log_in(page, url, "admin@demo.dk")
    page.goto(f"{url}/admin/audit")
    page.get_by_label("Bruger (del af e-mailadressen)").fill("kollega@")
    page.get_by_role("button", name="Vis").click()
    log = page.locator("main table")
    expect(log).to_contain_text("second_factor.enrolled")
    expect(log).to_contain_text("login.succeeded")
    expect(log).not_to_contain_text("leverandor@demo.dk")
    assert watch.problems == []


def _password(page: Page, address: str, password: str) -> None:
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
