"""Notifications in chromium (issue 15): procurement finds the report under "Opgaver" and
rejects it; the provider's mail is in the administrator's outbox; the provider's home shows the
report under "Opgaver" with a link to it. On the demo data, with the sample contract's January
report submitted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from contracts.models import Contract
from tests.browser.conftest import SAMPLE_REFERENCE, add_sample_contract, demo_app, serving
from tests.browser.watch import ConsoleWatch, log_in
from tests.factories import make_report, sample_report

pytestmark = pytest.mark.browser

REASON = "Timerne for DL-9XW3M ser for høje ud"


@pytest.fixture(scope="module")
def mail_server(sqlite_template, redis_server, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """The live portal on 5 February 2019 with the sample contract's January report submitted;
    yields (URL, contract id)."""
    from provider_portal.extensions import db

    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("live-mail"))
    app.config["PORTAL_TODAY"] = date(2019, 2, 5)
    with app.app_context():
        contract_id = add_sample_contract(db.session)
        contract = db.session.get(Contract, contract_id)
        make_report(db.session, contract, sample_report(), status="submitted")
        db.session.commit()
    with serving(app, "live-mail") as url:
        yield url, contract_id


def _log_out(page: Page, url: str) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(f"{url}/login")


def test_a_rejection_reaches_the_outbox_and_the_providers_tasks(page: Page, mail_server):
    url, contract_id = mail_server
    watch = ConsoleWatch(page)
    report_url = f"/contracts/{contract_id}/reports/2019-01"

    log_in(page, url, "indkob@demo.dk")
    tasks = page.locator("section.tasks")
    expect(tasks.get_by_role("heading", name="Opgaver")).to_be_visible()
    tasks.get_by_role("link", name="rapporter til gennemgang").click()
    review = page.locator("section", has=page.locator("#review-heading"))
    review.locator("tr", has_text=SAMPLE_REFERENCE).get_by_role("link", name="januar 2019").click()
    expect(page).to_have_url(f"{url}/procurement{report_url}")
    page.get_by_label("Begrundelse").fill(REASON)
    page.get_by_role("button", name="Afvis og send tilbage").click()
    expect(page.locator("body")).to_contain_text(REASON)
    _log_out(page, url)

    log_in(page, url, "admin@demo.dk")
    page.goto(f"{url}/admin/outbox/")
    subject = f"Rapport afvist: {SAMPLE_REFERENCE}, januar 2019"
    row = page.locator("tr", has_text="leverandor@demo.dk").filter(has_text=subject)
    row.get_by_role("link", name=subject).click()
    expect(page.locator("pre.mail-text").first).to_contain_text(REASON)
    _log_out(page, url)

    log_in(page, url, "leverandor@demo.dk")
    rejected = page.locator("#task-reports_rejected")
    expect(rejected).to_contain_text("1 rapport afvist: ret den og indsend den igen")
    rejected.get_by_role("link", name=f"{SAMPLE_REFERENCE}, januar 2019").click()
    expect(page).to_have_url(f"{url}/provider{report_url}")
    assert watch.problems == []
