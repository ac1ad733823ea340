"""The month as it really runs, in chromium: during January the provider reports an exit the day
it happens and procurement confirms it, and the figures on both home pages move that same day;
after the month the provider fills in the month's template in a spreadsheet, uploads it and
submits, corrects December's invoiced report the same way, and procurement reviews both with the
differences and the invoice preview before accepting.

The clock moves by serving the same database twice: one portal whose today is 24 January 2019
(the demo's day) and one whose today is 4 February 2019. The setup is the demo plus a contract of
the demo provider with the sample files' seven participants, whose December is invoiced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from contracts.models import Contract
from contracts.services import invoicing
from provider_portal import create_app
from tests.browser.conftest import SAMPLE_REFERENCE, add_sample_contract, demo_app, serving
from tests.browser.watch import ConsoleWatch, assert_accessible, log_in
from tests.conftest import app_config
from tests.factories import make_report
from tests.scenarios import SAMPLE_REFS

pytestmark = pytest.mark.browser

REFERENCE = SAMPLE_REFERENCE
LEAVER = "DL-2HB8R"  # leaves for a job on 24 January, the day the provider tells of it
CORRECTED = "DL-9XW3M"  # December's delivered hours, corrected from 90 to 80


def _december_csv() -> bytes:
    """December 2018 as the provider reported it: all seven active, 100 planned, 90 delivered."""
    lines = [
        "participant_ref,hours_planned,hours_delivered,absence_hours,status,exit_date,exit_reason"
    ]
    lines += [f"{ref},100,90,10,active,," for ref in SAMPLE_REFS]
    return ("\r\n".join(lines) + "\r\n").encode()


@dataclass(frozen=True)
class Portals:
    january: str  # today is 24 January 2019
    february: str  # today is 4 February 2019
    contract_id: int


@pytest.fixture(scope="module")
def portals(sqlite_template, redis_server, tmp_path_factory) -> Iterator[Portals]:
    """The demo plus the sample contract (December invoiced), served on two clock days."""
    from provider_portal.extensions import db

    folder = tmp_path_factory.mktemp("month-journey")
    january = demo_app(sqlite_template, redis_server, folder)
    with january.app_context():
        contract_id = add_sample_contract(db.session)
        contract = db.session.get(Contract, contract_id)
        make_report(db.session, contract, _december_csv(), month="2018-12", today=date(2019, 1, 7))
        invoicing.invoice_contract_month(db.session, contract_id, "2018-12")
        db.session.commit()
    february: Flask = create_app(
        app_config(
            january.config["DATABASE_URL"],
            redis_server,
            folder,
            RATELIMIT_STORAGE_URI="memory://",
            PORTAL_TODAY="2019-02-04",
        )
    )
    with serving(january, "month-journey-january") as in_january:
        with serving(february, "month-journey-february") as in_february:
            yield Portals(in_january, in_february, contract_id)


def figure(page: Page, label: str) -> int:
    """A figure of the home page's 'as of today' list, by its Danish label."""
    value = page.locator(
        "dl.figures > div", has=page.locator("dt", has_text=re.compile(f"^{label}$"))
    )
    return int(value.locator("dd").inner_text().replace(".", ""))


def home_figures(page: Page) -> tuple[int, int, int]:
    return figure(page, "Deltagere"), figure(page, "Aktive i dag"), figure(page, "Afgange")


def main_menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name=name, exact=True
    ).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()


def fill_template(path: Path, delivered: dict[str, Decimal]) -> dict[str, str]:
    """Fill in the downloaded workbook as a person would in Excel: the hours of every line,
    leaving what the template already knows (participant, status, exit) as it is. Returns each
    participant's status as the template gave it."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [str(cell.value or "").strip().lower() for cell in sheet[1]]

    def column(*words: str) -> int:
        for i, name in enumerate(header):
            if all(word in name for word in words):
                return i + 1
        raise AssertionError(f"no column with {words} in {header}")

    ref_col, status_col = column("deltager"), column("status")
    planned, done, absent = column("planlagt"), column("leveret"), column("fravær")
    statuses = {}
    for row in range(2, sheet.max_row + 1):
        ref = sheet.cell(row, ref_col).value
        if not ref:
            continue
        statuses[ref] = str(sheet.cell(row, status_col).value)
        hours = delivered.get(ref, Decimal("90"))
        sheet.cell(row, planned).value = 100
        sheet.cell(row, done).value = float(hours)
        sheet.cell(row, absent).value = float(100 - hours)
    book.save(path)
    return statuses


def download_and_upload(page: Page, folder: Path, delivered: dict[str, Decimal]) -> dict[str, str]:
    """The month's xlsx template downloaded, filled in, uploaded; the draft saved."""
    with page.expect_download() as download:
        page.get_by_role("link", name="Skabelon som Excel-projektmappe (xlsx)").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    statuses = fill_template(path, delivered)
    page.get_by_label(re.compile("^Indberetningsfil")).set_input_files(str(path))
    page.get_by_role("button", name="Upload og kontrollér").click()
    expect(page.locator(".notice-success")).to_contain_text("gemt som kladde")
    return statuses


def test_a_month_from_the_exit_notice_to_the_accepted_report_and_correction(
    page: Page, portals: Portals, tmp_path: Path
):
    watch = ConsoleWatch(page)
    url, contract_id = portals.january, portals.contract_id

    # 24 January: the procurement officer's figures before anything happens.
    log_in(page, url, "indkob@demo.dk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overblik over aftaler")
    effort_before = home_figures(page)
    log_out(page)

    # The provider tells of the exit the day it happens.
    log_in(page, url, "leverandor@demo.dk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jeres aftaler og indberetninger")
    own_before = home_figures(page)
    block = page.locator("section.contract-block", has_text=REFERENCE)
    block.get_by_role("link", name="Meld hændelse (afgang eller udeblivelse)").click()
    expect(page).to_have_url(re.compile(rf"/provider/contracts/{contract_id}/notices"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld hændelse")
    assert_accessible(page, "month-notice-form")
    page.get_by_label("Deltager", exact=True).select_option(LEAVER)
    page.get_by_label("Dato", exact=True).fill("2019-01-24")
    page.get_by_label("Afgangsårsag (ved afgang)").select_option("job")
    page.get_by_role("button", name="Meld hændelsen").click()
    notice = page.locator("main table tbody tr", has_text=LEAVER)
    expect(notice).to_contain_text("24-01-2019")
    expect(notice).to_contain_text("Afgangsmelding")
    assert_accessible(page, "month-notice-recorded")
    log_out(page)

    # Procurement confirms it in the queue.
    log_in(page, url, "indkob@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name=re.compile("^Hændelser")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hændelser til behandling")
    waiting = page.locator("main table tbody tr", has_text=LEAVER)
    expect(waiting).to_contain_text(REFERENCE)
    assert_accessible(page, "month-notice-queue")
    waiting.get_by_role("button", name="Bekræft afgangen").click()
    expect(page.locator("main table tbody tr", has_text=LEAVER)).to_have_count(0)
    main_menu(page, "Overblik")
    participants, active, exits = effort_before
    assert home_figures(page) == (participants, active - 1, exits + 1)
    assert_accessible(page, "month-procurement-home-january")
    log_out(page)

    # The provider's own figures moved the same day.
    log_in(page, url, "leverandor@demo.dk")
    participants, active, exits = own_before
    assert home_figures(page) == (participants, active - 1, exits + 1)
    # January's report cannot be submitted yet: the page names the first day it can.
    page.locator("section.contract-block", has_text=REFERENCE).get_by_role(
        "link", name="januar 2019"
    ).click()
    expect(page.locator(".submit-from")).to_contain_text("01-02-2019")
    expect(page.get_by_role("button", name="Indsend til behandling")).to_have_count(0)
    assert_accessible(page, "month-report-before-month-end")
    log_out(page)

    # 4 February: the provider fills in January's template and submits it.
    url = portals.february
    log_in(page, url, "leverandor@demo.dk")
    page.locator("section.contract-block", has_text=REFERENCE).get_by_role(
        "link", name="januar 2019"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indberetning for januar 2019")
    statuses = download_and_upload(page, tmp_path, {LEAVER: Decimal("60")})
    assert set(statuses) == set(SAMPLE_REFS)
    assert statuses[LEAVER].lower() == "afgået"  # the confirmed exit is already in the template
    assert_accessible(page, "month-report-january-draft")
    page.get_by_role("button", name="Indsend til behandling").click()
    expect(page.locator("h1 .badge")).to_have_text("Indsendt")

    # December, invoiced, corrected from its template: DL-9XW3M delivered 80 hours, not 90.
    page.goto(f"{url}/provider/contracts/{contract_id}/reports/2018-12")
    expect(page.locator("section.correction")).to_be_visible()
    download_and_upload(page, tmp_path, {CORRECTED: Decimal("80")})
    assert_accessible(page, "month-report-december-correction")
    page.get_by_role("button", name="Indsend til behandling").click()
    expect(page.locator("h1 .badge")).to_have_text("Indsendt")
    log_out(page)

    # Procurement reviews January: the invoice preview, then accepts.
    log_in(page, url, "indkob@demo.dk")
    review = page.locator(
        "section", has=page.get_by_role("heading", name="Indberetninger der venter på behandling")
    )
    review.locator("tr", has_text=REFERENCE).get_by_role("link", name="januar 2019").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indberetning for januar 2019")
    preview = page.locator("#invoice-preview")
    expect(preview.get_by_role("heading", level=3)).to_have_text(
        "Hvad indberetningen vil fakturere"
    )
    for word in ("Netto", "Moms", "I alt"):
        expect(preview).to_contain_text(word)
    net, vat, total = (
        preview.locator(f"[data-amount='{kind}']").first.inner_text()
        for kind in ("net", "vat", "total")
    )
    assert all(amount.endswith("kr.") for amount in (net, vat, total)), (net, vat, total)
    assert_accessible(page, "month-review-january")
    page.get_by_role("button", name="Godkend indberetningen").click()
    expect(page.locator("h1 .badge")).to_have_text("Godkendt")

    # And December's correction: the one changed line, the credit note and new invoice.
    main_menu(page, "Overblik")
    review.locator("tr", has_text=REFERENCE).get_by_role("link", name="december 2018").click()
    differences = page.locator("#differences")
    expect(differences.get_by_role("heading", level=3)).to_have_text("Forskelle fra version 1")
    # One participant changed: 10 hours moved from delivered to absence.
    changed = differences.locator("table.review-changed tbody th[scope=row]")
    expect(changed).to_have_text([CORRECTED])
    for field, old, new in (
        ("hours_delivered", "90,00", "80,00"),
        ("absence_hours", "10,00", "20,00"),
    ):
        expect(differences.locator(f"[data-old='{field}']")).to_have_text(old)
        expect(differences.locator(f"[data-new='{field}']")).to_have_text(new)
    expect(differences.locator("table.review-changed tbody tr")).to_have_count(2)
    preview = page.locator("#invoice-preview")
    expect(preview).to_contain_text("Kreditnota")
    # The difference is told in full: net, VAT and total, each the new less the credited.
    difference = preview.locator("tr[data-row='difference'] td")
    expect(difference).to_have_count(3)
    for cell in difference.all():
        expect(cell).to_have_text(re.compile(r"^-[\d.]+,\d\d kr\.$"))
    assert_accessible(page, "month-review-december-correction")
    page.get_by_role("button", name="Godkend indberetningen").click()
    expect(page.locator("h1 .badge")).to_have_text("Godkendt")
    assert watch.problems == []
