"""A month of many participants in chromium (issue 16): the report page links to the web form on a
page of its own, the form saves the draft, and the stored lines are read a page at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.conftest import add_sample_contract, demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

REFERENCE = "SÆR-2018-STOR"
EXTRA = 143  # with the sample's seven: 150 participants, three pages of lines


@pytest.fixture(scope="module")
def large_server(sqlite_template, redis_server, tmp_path_factory) -> Iterator[tuple]:
    """The live portal on the demo data plus a contract of 150 participants; yields
    (URL, contract id, app)."""
    from provider_portal.extensions import db

    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("live-large"))
    also = tuple((f"DL-{n:05d}", date(2018, 10, 1)) for n in range(1, EXTRA + 1))
    with app.app_context():
        contract_id = add_sample_contract(db.session, REFERENCE, also=also)
        db.session.commit()
    with serving(app, "live-large") as url:
        yield url, contract_id, app


def test_a_large_month_is_reported_through_the_form_page(page: Page, large_server):
    url, contract_id, app = large_server
    watch = ConsoleWatch(page)
    log_in(page, url, "leverandor@demo.dk")
    report = f"{url}/provider/contracts/{contract_id}/reports/2019-01"
    page.goto(report)
    expect(page.get_by_text("Webformularen har 150 linjer")).to_be_visible()
    assert page.locator("input[name^='lines-']").count() == 0
    assert_accessible(page, "large report page")

    page.get_by_role("link", name="Åbn webformularen").click()
    expect(page).to_have_url(f"{report}/form")
    expect(page.get_by_role("heading", name="Webformular for januar 2019")).to_be_visible()
    inputs = page.locator("input[name$='-hours_planned']")
    assert inputs.count() == 150
    assert_accessible(page, "large report form page")
    page.evaluate(
        """() => {
          for (const i of document.querySelectorAll("input[name$='-hours_planned']")) i.value = "20";
          for (const i of document.querySelectorAll("input[name$='-hours_delivered']")) i.value = "18";
          for (const i of document.querySelectorAll("input[name$='-absence_hours']")) i.value = "2";
        }"""
    )
    # One line over the hours ceiling: the form comes back with it in its cell, as typed.
    bad = page.locator("input[name='lines-4-hours_delivered']")
    bad.fill("400")
    page.get_by_role("button", name="Gem som kladde").click()
    expect(page).to_have_url(f"{report}/form")
    expect(bad).to_have_value("400")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#err-5-hours_delivered")).to_contain_text("loftet")
    expect(page.locator("input[name='lines-3-hours_delivered']")).to_have_value("18")
    assert_accessible(page, "large report form page with a refused line")
    screenshot(page, "large-form-refused")
    # The refusal's own answer (422), as the console reports it too, and nothing else.
    assert watch.problems[0] == f"422 {report}/form"
    assert all("422" in problem for problem in watch.problems), watch.problems
    watch.problems.clear()
    bad.fill("18")
    page.get_by_role("button", name="Gem som kladde").click()
    expect(page).to_have_url(report)
    expect(page.get_by_text("Linje 1–50 af 150")).to_be_visible()
    # The totals are of all 150 lines, on every page.
    foot = page.locator("table.report-lines tfoot")
    expect(foot).to_contain_text("3.000,00")
    page.get_by_role("link", name="Næste side").click()
    expect(page.get_by_text("Linje 51–100 af 150")).to_be_visible()
    expect(foot).to_contain_text("3.000,00")
    assert_accessible(page, "large report page, lines page 2")
    # A stale link past the last page: no lines, the totals of all, and the way back.
    page.goto(f"{report}?page=9")
    expect(page.get_by_text("Der er ingen linjer på denne side.")).to_be_visible()
    expect(foot).to_contain_text("3.000,00")
    page.get_by_role("link", name="Forrige side").click()
    expect(page.locator("table.report-lines tbody tr").first).to_be_visible()
    assert_accessible(page, "large report page, a page past the last")
    assert watch.problems == []

    shots = os.environ.get("BROWSER_SCREENSHOTS")
    if shots:
        from contracts.models import User
        from provider_portal.extensions import db

        for locale in ("da", "en"):
            with app.app_context():
                db.session.execute(
                    sa.update(User).where(User.email == "leverandor@demo.dk").values(locale=locale)
                )
                db.session.commit()
            for width in (1366, 390):
                page.set_viewport_size({"width": width, "height": 900})
                for name, address in [
                    ("report", report + "?page=2"),
                    ("past", report + "?page=9"),
                    ("form", report + "/form"),
                ]:
                    page.goto(address)
                    screenshot(page, f"large-{name}-{locale}-{width}")
