"""Procurement and finance in chromium, two steps by two people: procurement attests an invoice of
December 2018 from its queue, finance approves it, downloads its PDF, its e-invoice and the
month's provider statement (made by a real RQ worker on the documents queue) and reads them back;
finance returns another invoice with a reason, procurement sees it returned and attests it again.

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
            # Another provider's December invoice, for finance to return.
            "returned_id": db.session.scalar(
                sa.select(Invoice.id)
                .join(Contract, Contract.id == Invoice.contract_id)
                .where(Contract.provider_id != provider_id, Invoice.month == "2018-12")
                .order_by(Invoice.id)
                .limit(1)
            ),
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


def attest_from_the_invoice_page(page: Page, url: str, invoice_id: int) -> None:
    """Procurement opens its queue from the menu and the invoice from the queue, and attests it."""
    page.get_by_role("navigation").get_by_role("link", name="Fakturaer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fakturaer til attestation")
    page.locator(f"main a[href='/finance/invoices/{invoice_id}']").first.click()
    expect(page.locator("#invoice-stage")).to_contain_text("Venter på indkøbs attestation.")
    page.get_by_role("button", name="Attestér fakturaen").click()
    expect(page.locator("main")).to_contain_text(
        "Attesteret. Fakturaen venter nu på økonomis godkendelse."
    )


def log_out(page: Page, url: str) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(f"{url}/login")


def test_procurement_attests_and_finance_approves_and_reads_back_the_documents(
    page: Page, finance_portal: dict
):
    url, invoice_id = finance_portal["url"], finance_portal["invoice_id"]
    watch = ConsoleWatch(page)
    log_in(page, url, "indkob@demo.dk")
    expect(page.locator("#attestation-waiting")).to_contain_text("venter på attestation")
    attest_from_the_invoice_page(page, url, invoice_id)
    screenshot(page, "procurement-attested")
    log_out(page, url)

    log_in(page, url, "okonomi@demo.dk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomioverblik")
    expect(page.locator("#with-procurement")).to_contain_text("venter på indkøbs attestation")
    screenshot(page, "finance-home")
    page.goto(f"{url}/finance/invoices?month=2018-12&status=attested")
    expect(page.locator("#found-count")).to_have_text("1")
    screenshot(page, "finance-desk-attested")
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

    steps = page.locator("tr[data-step]")
    expect(steps).to_have_count(3)
    expect(steps.nth(1)).to_contain_text("Mette Kjærgaard")
    expect(steps.nth(2)).to_contain_text("Nummer 2019-000001")

    with page.expect_download() as invoice_download:
        page.get_by_role("link", name="Hent PDF").click()
    text = read_pdf(invoice_download.value)
    assert "2019-000001" in text and f"I alt at betale {total}" in text and PROVIDER in text
    with page.expect_download() as xml_download:
        page.get_by_role("link", name="Hent e-faktura (XML)").click()
    with open(xml_download.value.path(), "rb") as handle:
        xml = handle.read()
    assert xml.startswith(b"<?xml") and b"2019-000001" in xml

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


def test_finance_returns_an_invoice_and_procurement_attests_it_again(
    page: Page, finance_portal: dict
):
    url, invoice_id = finance_portal["url"], finance_portal["returned_id"]
    reason = "Timerne for december stemmer ikke med den godkendte indberetning"
    watch = ConsoleWatch(page)
    log_in(page, url, "indkob@demo.dk")
    attest_from_the_invoice_page(page, url, invoice_id)
    log_out(page, url)

    log_in(page, url, "okonomi@demo.dk")
    page.goto(f"{url}/finance/invoices/{invoice_id}")
    page.set_viewport_size({"width": 390, "height": 900})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the invoice page is {overflow}px too wide for a phone"
    screenshot(page, "finance-invoice-attested-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label("Hvad er forkert (indkøb læser det)").fill(reason)
    page.get_by_role("button", name="Send retur til attestation").click()
    expect(page.locator("main")).to_contain_text("Sendt retur til attestation.")
    expect(page.locator("#return-reason")).to_contain_text(reason)
    log_out(page, url)

    log_in(page, url, "indkob@demo.dk")
    expect(page.locator("#attestation-waiting")).to_contain_text("sendt retur af økonomi")
    page.get_by_role("navigation").get_by_role("link", name="Fakturaer").click()
    returned = page.locator("section[aria-labelledby='returned-heading']")
    expect(returned).to_contain_text(reason)
    for width, name in ((1366, "wide"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the queue is {overflow}px too wide at {width}px"
        screenshot(page, f"procurement-returned-{name}")
    page.set_viewport_size({"width": 1366, "height": 900})
    returned.get_by_role("button", name=re.compile(r"^Attestér")).click()
    expect(page.locator("main")).to_contain_text("Ingen fakturaer er sendt retur.")

    # In English the page names the steps in English.
    page.get_by_role("button", name="English").click()
    page.goto(f"{url}/finance/invoices/{invoice_id}")
    expect(page.locator("#invoice-stage")).to_contain_text(
        "Attested: waits for finance's approval."
    )
    expect(page.locator("tr[data-step='invoice.returned']")).to_contain_text(reason)
    screenshot(page, "procurement-invoice-english")
    page.get_by_role("button", name="Dansk").click()
    assert watch.problems == []
