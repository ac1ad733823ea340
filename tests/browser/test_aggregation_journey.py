"""Finance starts a month's aggregation in chromium, watches the progress bar finish on a real
RQ worker, then opens the month's scores and one of its invoices.

The shared `live_server` fixture runs no worker and does not tell its database's URL, so this
module serves the demo data the same way and starts `worker.py` against that database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from contracts.services.demo import plan_citizens, plan_reports
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, log_in, screenshot
from tests.jobs.workers import start_worker, stop_worker

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal_with_worker(sqlite_template, redis_server, tmp_path_factory) -> Iterator[str]:
    """The portal on the demo data (not yet aggregated) with one RQ worker on its database."""
    import redis

    with redis.Redis.from_url(redis_server) as connection:
        connection.flushdb()  # no job ids or workers left by other tests
    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("aggregation-journey"))
    with serving(app, "aggregation-portal") as url:
        worker = start_worker(app.config["DATABASE_URL"], redis_server, "aggregation")
        try:
            yield url
        finally:
            stop_worker(worker)


def test_finance_aggregates_a_month_and_opens_its_scores_and_an_invoice(
    page: Page, portal_with_worker: str
):
    url = portal_with_worker
    watch = ConsoleWatch(page)
    polls = []
    page.on(
        "request", lambda request: request.url.endswith("/status") and polls.append(request.url)
    )
    log_in(page, url, "okonomi@demo.dk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomioverblik")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Opgørelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opgør en måned")
    page.get_by_label("Måned").fill("2018-12")
    page.get_by_role("button", name="Start opgørelse").click()

    expect(page).to_have_url(f"{url}/jobs/aggregate-2018-12")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opgørelse af december 2018")
    bar = page.locator("progress")
    expect(bar).to_be_visible()
    status_at_load = page.locator("#job").get_attribute("data-status")
    # The page updates itself: no reload here, the script polls until the job is done.
    label = page.locator('[data-role="label"]')
    expect(label).to_have_text(re.compile("Færdig|Fejlet|Gået i stå"), timeout=60_000)
    assert label.inner_text() == "Færdig", page.locator('[data-role="error-text"]').inner_text()
    total = bar.get_attribute("max")
    assert total is not None and int(total) > 1  # one job per contract, then the scores
    expect(bar).to_have_attribute("value", total)
    expect(page.locator('[data-role="progress-text"]')).to_have_text(
        f"{total} af {total} job færdige"
    )
    if status_at_load in ("queued", "started"):
        assert polls, "the page reached the end without asking for the job's status"
        assert all(p == f"{url}/jobs/aggregate-2018-12/status" for p in polls)
    screenshot(page, "aggregation-finished")

    page.get_by_role("link", name="Resultatmålinger for december 2018").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultatmålinger · december 2018")
    expect(page.locator("tr", has_text="Alle indsatser")).to_be_visible()
    page.get_by_role("link", name="Akkumuleret fra start").click()
    # Cumulated, the scores count what the accepted reports up to December 2018 say.
    accepted = [r for r in plan_reports(plan_citizens()) if r.status == "accepted"]
    participants = {line.citizen.ref for r in accepted for line in r.lines}
    exits = sum(line.exits for r in accepted for line in r.lines)
    whole = page.locator("tr", has_text="Alle indsatser")
    expect(whole.locator('[data-figure="participants"]')).to_have_text(str(len(participants)))
    expect(whole.locator('[data-figure="exits"]')).to_have_text(str(exits))
    screenshot(page, "aggregation-scores")
    page.goto(f"{url}/jobs/aggregate-2018-12")

    invoices = page.get_by_role("link", name="Fakturaer for december 2018")
    expect(invoices).to_be_visible()
    invoices.click()
    expect(page).to_have_url(re.compile(r"/finance/invoices\?month=2018-12$"))
    page.locator("main table a[href^='/finance/invoices/']").first.click()
    expect(page).to_have_url(re.compile(r"/finance/invoices/\d+$"))
    expect(page.locator("main")).to_contain_text("december 2018")
    screenshot(page, "aggregation-invoice")
    assert watch.problems == []
