"""A month's report in chromium: upload the Danish Excel file, then the bad one, fix, submit;
procurement accepts. On the demo data, with an extra contract of the demo provider whose seven
participants are those of the sample files (`tests/data/samples/README.md`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SAMPLE_REFERENCE, add_sample_contract, demo_app, serving
from tests.browser.watch import ConsoleWatch, log_in, screenshot
from tests.factories import SAMPLES

pytestmark = pytest.mark.browser

REFERENCE = SAMPLE_REFERENCE


@pytest.fixture(scope="module")
def report_server(sqlite_template, redis_server, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """The live portal on the demo data plus the sample contract; yields (URL, contract id)."""
    from provider_portal.extensions import db

    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("live-reports"))
    app.config["PORTAL_TODAY"] = date(2019, 2, 4)  # January has ended: its report can be submitted
    with app.app_context():
        contract_id = add_sample_contract(db.session)
        db.session.commit()
    with serving(app, "live-reports") as url:
        yield url, contract_id


def _upload(page: Page, name: str) -> None:
    page.get_by_label(re.compile("^Indberetningsfil")).set_input_files(str(SAMPLES / name))
    page.get_by_role("button", name="Upload og kontrollér").click()


def test_provider_uploads_fixes_and_submits_then_procurement_accepts(page: Page, report_server):
    url, contract_id = report_server
    watch = ConsoleWatch(page)
    log_in(page, url, "leverandor@demo.dk")

    # From the home page's month table to the month's report page.
    block = page.locator("section.contract-block", has_text=REFERENCE)
    block.get_by_role("link", name="januar 2019").click()
    expect(page).to_have_url(f"{url}/provider/contracts/{contract_id}/reports/2019-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indberetning for januar 2019")
    expect(page.locator("table.report-form tbody tr")).to_have_count(7)
    screenshot(page, "report-empty")

    _upload(page, "report-2019-01-excel-da.csv")
    expect(page.locator(".notice-success")).to_contain_text("Filen er læst og gemt som kladde")
    expect(page.locator("h1 .badge")).to_have_text("Kladde")
    # The form is now prefilled with the stored draft.
    row = page.locator("tr", has_text="DL-4Q7K2")
    expect(row.locator("input[name$='hours_delivered']")).to_have_value("131,50")
    screenshot(page, "report-draft")

    # The bad file: refused whole, every problem next to its line, the draft kept.
    _upload(page, "bad-report-2019-01.csv")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Indberetningen blev ikke gemt")
    expect(alert).to_contain_text("den tidligere kladde er uændret")
    problems = page.locator("table.file-problems")
    expected = {
        3: "DL-4Q7K2 står der igen (første gang på linje 2)",
        4: "400 timer er over loftet på 163,86 t",
        5: "en afgået deltager skal have en afgangsårsag",
        6: "en aktiv deltager har ingen afgangsårsag",
        7: "afgangsdatoen 10-02-2019 ligger uden for januar 2019",
        8: "'vacation' er ikke en afgangsårsag",
        9: "kan ikke være negativ (-5)",
        10: "DL-6WQ1Z er ikke tilmeldt denne aftale",
    }
    for line, message in expected.items():
        expect(problems.locator(f"tr[data-line='{line}']", has_text=message)).to_have_count(1)
    expect(problems.locator("tr[data-line='10']", has_text="Timer planlagt mangler")).to_have_count(
        1
    )
    expect(problems.locator("tr[data-line='4']", has_text="390 timer")).to_have_count(1)
    expect(
        page.locator("tr", has_text="DL-4Q7K2").locator("input[name$='hours_delivered']")
    ).to_have_value("131,50")
    screenshot(page, "report-bad-file")

    # Fixed: the good file again, then submit.
    _upload(page, "report-2019-01-excel-da.csv")
    expect(page.locator(".notice-success")).to_be_visible()
    page.get_by_role("button", name="Indsend til behandling").click()
    expect(page.locator("h1 .badge")).to_have_text("Indsendt")
    expect(page.locator("table.report-lines tbody tr")).to_have_count(7)
    expect(page.get_by_role("button", name="Upload og kontrollér")).to_have_count(0)
    screenshot(page, "report-submitted")
    page.get_by_role("button", name="Log ud").click()

    # Procurement finds it among the reports waiting, and accepts it.
    log_in(page, url, "indkob@demo.dk")
    waiting = page.locator(
        "section", has=page.get_by_role("heading", name="Indberetninger der venter på behandling")
    )
    waiting.locator("tr", has_text=REFERENCE).get_by_role("link", name="januar 2019").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indberetning for januar 2019")
    expect(page.locator("main")).to_contain_text("Nyt Fodfæste A/S")
    expect(page.locator("table.report-lines tbody tr")).to_have_count(7)
    screenshot(page, "review-submitted")
    page.get_by_role("button", name="Godkend indberetningen").click()
    expect(page.locator(".notice-success")).to_have_text("Indberetningen er godkendt.")
    expect(page.locator("h1 .badge")).to_have_text("Godkendt")
    screenshot(page, "review-accepted")
    # The refused file is answered 422 on purpose (the page with every problem); nothing else failed.
    upload = f"{url}/provider/contracts/{contract_id}/reports/2019-01/upload"
    expected_refusal = {
        f"422 {upload}",
        "console error: Failed to load resource: the server responded with a status of 422 "
        "(UNPROCESSABLE ENTITY)",
    }
    assert [p for p in watch.problems if p not in expected_refusal] == []
