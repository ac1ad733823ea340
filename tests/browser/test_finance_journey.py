"""Finance in chromium: approves an invoice of December 2018, downloads its PDF and the month's
provider statement (made by a real RQ worker on the documents queue), and reads both back.

The shared `live_server` runs no worker, so this module serves the demo data the same way,
invoices December 2018 as the aggregation would, and starts `worker.py` on the documents queue.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from contracts.documents.formatting import money
from tests.browser.conftest import demo_app, serving
from tests.browser.watch import ConsoleWatch, log_in, screenshot
from tests.jobs.workers import start_worker, stop_worker

pytestmark = pytest.mark.browser

# A provider whose December 2018 reports are accepted on the demo's day.
PROVIDER = "Fremad Unge A/S"


@pytest.fixture(scope="module")
def finance_portal(sqlite_template, redis_server, tmp_path_factory) -> Iterator[dict]:
    """The demo with December 2018 invoiced as drafts, a documents worker, and the web app."""
    import redis

    from contracts.models import Contract, Invoice, Provider
    from contracts.services import invoicing
    from provider_portal.extensions import db

    with redis.Redis.from_url(redis_server) as connection:
        connection.flushdb()
    app = demo_app(sqlite_template, redis_server, tmp_path_factory.mktemp("finance-journey"))
    with app.app_context():
        for contract_id in invoicing.accepted_contract_ids(db.session, "2018-12"):
            invoicing.invoice_contract_month(db.session, contract_id, "2018-12")
        db.session.commit()
        provider_id = db.session.scalar(sa.select(Provider.id).where(Provider.name == PROVIDER))
        invoices = db.session.scalars(
            sa.select(Invoice)
            .join(Contract, Contract.id == Invoice.contract_id)
            .where(Contract.provider_id == provider_id, Invoice.month == "2018-12")
            .order_by(Invoice.id)
        ).all()
        chosen = invoices[0]
        facts = {
            "invoice_id": chosen.id,
            "invoice_total": chosen.total,
            "ceiling": chosen.exceeds_ceiling,
            "statement_total": sum((i.total for i in invoices), Decimal(0)),
            "provider_id": provider_id,
        }
    with serving(app, "finance-portal") as url:
        worker = start_worker(app.config["DATABASE_URL"], redis_server, "documents")
        try:
            yield {"url": url, **facts}
        finally:
            stop_worker(worker)


def read_pdf(download) -> str:
    """The downloaded PDF's text as pdftotext reads it, whitespace collapsed."""
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    return " ".join(text.decode("utf-8").split())


def test_finance_approves_an_invoice_and_reads_back_its_pdf_and_the_provider_statement(
    page: Page, finance_portal: dict
):
    url, invoice_id = finance_portal["url"], finance_portal["invoice_id"]
    watch = ConsoleWatch(page)
    log_in(page, url, "okonomi@demo.dk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomioverblik")

    page.goto(f"{url}/finance/invoices?month=2018-12&status=draft")
    page.locator(f"main a[href='/finance/invoices/{invoice_id}']").first.click()
    expect(page).to_have_url(f"{url}/finance/invoices/{invoice_id}")
    total = money(finance_portal["invoice_total"])
    expect(page.locator("main")).to_contain_text(total)
    if finance_portal["ceiling"]:
        page.get_by_label("Hvorfor overskridelsen af loftet godkendes").fill(
            "Rammen er udvidet ved forlængelsen"
        )
    page.get_by_role("button", name="Godkend og tildel nummer").click()
    expect(page.locator("main")).to_contain_text("Godkendt som nummer 2019-000001")
    screenshot(page, "finance-approved")

    with page.expect_download() as invoice_download:
        page.get_by_role("link", name="Hent PDF").click()
    text = read_pdf(invoice_download.value)
    assert "Faktura 2019-000001" in text and f"I alt at betale {total}" in text and PROVIDER in text

    page.get_by_role("link", name="Leverandørens opgørelse for måneden (PDF)").click()
    expect(page).to_have_url(
        f"{url}/finance/documents/pdf-statement-{finance_portal['provider_id']}-2018-12"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokument")
    # The page reloads itself while the worker makes the statement, then offers the download.
    ready = page.get_by_role("link", name=re.compile(r"^Hent maanedsopgoerelse-\d+-2018-12\.pdf$"))
    expect(ready).to_be_visible(timeout=60_000)
    screenshot(page, "finance-statement-ready")
    with page.expect_download() as statement_download:
        ready.click()
    text = read_pdf(statement_download.value)
    assert "Månedsopgørelse december 2018" in text and PROVIDER in text
    assert f"I alt {money(finance_portal['statement_total'])}" in text
    assert "2019-000001 Godkendt" in text
    assert watch.problems == []
