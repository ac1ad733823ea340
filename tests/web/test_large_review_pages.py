"""Procurement's review of a report of more lines than its page draws whole (issue 16): the lines
and the amounts per line are shown a page at a time, the same page for both, and every total a
reviewer relies on (hours, exits, the invoice's net, VAT and total, the flag counts) is of all
lines, as the invoice the month is aggregated into."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Invoice, MonthlyReport
from contracts.services import invoicing, notices
from contracts.services.audit import PARTICIPANTS_READ
from contracts.services.paging import PER_PAGE
from contracts.services.report_line_pages import LARGE_MONTH
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.factories import ACTOR, SAMPLE_TERMS, logged_in_client, make_report
from tests.pages import PageParts, text_of
from tests.scenarios import sample_scenario

COUNT = LARGE_MONTH + 20  # three pages of lines: 50, 50 and 20
REFS = [f"DL-{n:05d}" for n in range(1, COUNT + 1)]
REVIEW = "/procurement/contracts/{}/reports/2019-01"
HEADER = (
    "participant_ref,hours_planned,hours_delivered,absence_hours,status,exit_date,exit_reason\n"
)
CENT = Decimal("0.01")

# Submitted and accepted once January has ended.
pytestmark = pytest.mark.usefixtures("january_ended")


def _line(n: int) -> tuple[Decimal, Decimal, bool]:
    """Line n's hours planned and delivered, and whether it exits (on 16 January, to a job):
    every tenth exits; every seventh other delivers 2 hours above its plan; every eleventh other
    plans 160 hours, near January's ceiling of 163.86."""
    if n % 10 == 0:
        return Decimal(40), Decimal(39), True
    planned = Decimal(160) if n % 11 == 0 else Decimal(100 + n % 30)
    return planned, planned + 2 if n % 7 == 0 else planned - 1, False


def _csv(count: int) -> bytes:
    rows = []
    for n, ref in enumerate(REFS[:count], start=1):
        planned, delivered, exits = _line(n)
        status = "exited,2019-01-16,job" if exits else "active,,"
        rows.append(f"{ref},{planned},{delivered},1,{status}\n")
    return (HEADER + "".join(rows)).encode()


def _submitted(app, count: int, cvr: str, reference: str) -> int:
    """A contract of `count` participants whose January report is submitted; one absence
    notice, of the hour line 3 reports; the contract's id."""
    with app.app_context():
        found = sample_scenario(db.session, cvr=cvr, refs=REFS[:count], reference=reference)
        contract = db.session.get(Contract, found.contract_id)
        provider = Viewer(None, "provider", found.provider_id)
        notices.record(
            db.session,
            ACTOR,
            provider,
            contract.id,
            participant_ref=REFS[2],
            kind="absence",
            on=date(2019, 1, 8),
            today=date(2019, 1, 20),
            hours=Decimal(1),
        )
        make_report(db.session, contract, _csv(count), status="submitted")
        db.session.commit()
        return found.contract_id


@pytest.fixture
def large(any_app):
    return _submitted(any_app, COUNT, "13585628", "SÆR-2018-03")


def _money(value: Decimal) -> str:
    whole, cents = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{cents} kr."


def _expected() -> dict:
    """What the page must show whatever page it is on, computed here from the lines made."""
    lines = [_line(n) for n in range(1, COUNT + 1)]
    net = Decimal(0)
    for _planned, delivered, exits in lines:
        days = 16 if exits else 31
        base = (SAMPLE_TERMS["monthly_fee"] * days / 31).quantize(CENT, ROUND_HALF_UP)
        bonus = SAMPLE_TERMS["outcome_bonus"] if exits else 0
        net += base + SAMPLE_TERMS["hourly_rate"] * delivered + bonus
    vat = (net * SAMPLE_TERMS["vat_rate"]).quantize(CENT, ROUND_HALF_UP)
    planned = sum(line[0] for line in lines)
    delivered = sum(line[1] for line in lines)
    return {
        "amounts": {"net": _money(net), "vat": _money(vat), "total": _money(net + vat)},
        "foot": [
            f"{planned:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
            f"{delivered:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
            f"{COUNT},00",
            f"{COUNT // 10} afgange",
        ],
        "flags": {
            "delivered_above_planned": str(sum(d > p for p, d, _e in lines)),
            "near_ceiling": str(sum(p == 160 for p, _d, _e in lines)),
            # Every line reports an hour of absence; only line 3's was noticed.
            "absence_unlike_notices": str(COUNT - 1),
        },
    }


def _shown(parts: PageParts, table: str) -> list[str]:
    return [text_of(th) for th in parts.xpath(f"//table[contains(@class, '{table}')]/tbody/tr/th")]


def _read_counts(app) -> list[int]:
    with app.app_context():
        return [
            e.details["count"]
            for e in db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.action == PARTICIPANTS_READ)
                .order_by(AuditEvent.id)
            )
        ]


def test_the_lines_and_amounts_are_paged_and_every_total_is_of_all_lines(any_app, large):
    client = logged_in_client(any_app, "indkob@example.dk", "procurement")
    expected = _expected()
    seen = []
    for number, rows in [(1, PER_PAGE), (3, COUNT - 2 * PER_PAGE)]:
        response = client.get(REVIEW.format(large) + f"?page={number}")
        assert response.status_code == 200
        parts = PageParts(response.get_data(as_text=True))
        shown = _shown(parts, "report-lines")
        assert len(shown) == rows
        # The amounts per line are of the same lines, in the same order.
        assert _shown(parts, "invoice-preview-lines") == shown
        seen += shown
        foot = text_of(parts.xpath("//table[contains(@class, 'report-lines')]/tfoot")[0])
        assert all(total in foot for total in expected["foot"]), foot
        preview = parts.xpath("//section[@id='invoice-preview']")[0]
        amounts = {e.get("data-amount"): text_of(e) for e in preview.xpath(".//*[@data-amount]")}
        assert amounts == expected["amounts"]
        counts = {e.get("data-count"): e.get("data-lines") for e in parts.xpath("//*[@data-count]")}
        assert counts == expected["flags"]
        # The lines to look at are those of the page.
        flagged = parts.xpath("//table[contains(@class, 'review-flags')]/tbody/tr/@data-ref")
        assert flagged and set(flagged) <= set(shown)
        assert text_of(parts.xpath("//dl[contains(@class, 'report-facts')]/dd")[-1]) == str(COUNT)
        assert parts.xpath("//nav//a[@rel='next' or @rel='prev']")
    assert seen == REFS[:PER_PAGE] + REFS[2 * PER_PAGE :]
    # The audit read (once a user and day) counts the lines shown: another reviewer starts on
    # the last page.
    other = logged_in_client(any_app, "indkob2@example.dk", "procurement")
    assert other.get(REVIEW.format(large) + "?page=3").status_code == 200
    assert _read_counts(any_app) == [PER_PAGE, COUNT - 2 * PER_PAGE]


def test_a_bad_page_is_the_first_and_a_page_past_the_last_is_empty_with_the_pager(app):
    contract_id = _submitted(app, COUNT, "13585628", "SÆR-2018-03")
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    first = _shown(
        PageParts(client.get(REVIEW.format(contract_id)).get_data(as_text=True)), "report-lines"
    )
    for page in ("abc", "0", "-3", ""):
        response = client.get(REVIEW.format(contract_id) + f"?page={page}")
        assert response.status_code == 200
        assert _shown(PageParts(response.get_data(as_text=True)), "report-lines") == first
    past = client.get(REVIEW.format(contract_id) + "?page=99999999999999999999")
    assert past.status_code == 200
    parts = PageParts(past.get_data(as_text=True))
    assert _shown(parts, "report-lines") == []
    assert "Der er ingen linjer på denne side." in parts.text
    assert parts.xpath("//nav//a[@rel='prev']")
    # The totals are still all lines'.
    assert text_of(parts.xpath("//dl[contains(@class, 'report-facts')]/dd")[-1]) == str(COUNT)


def test_the_report_is_accepted_from_its_last_page_and_invoiced_as_previewed(any_app, large):
    client = logged_in_client(any_app, "indkob@example.dk", "procurement")
    page = client.get(REVIEW.format(large) + "?page=3").get_data(as_text=True)
    form = PageParts(page).xpath("//form[contains(@action, '/accept')]")[0]
    token = form.xpath(".//input[@name='csrf_token']/@value")[0]
    answer = client.post(form.get("action"), data={"csrf_token": token})
    assert answer.status_code == 302
    with any_app.app_context():
        report = db.session.scalar(
            sa.select(MonthlyReport).where(MonthlyReport.contract_id == large)
        )
        assert report.status == "accepted"
        invoicing.invoice_contract_month(db.session, large, "2019-01")
        db.session.commit()
        invoice = db.session.scalar(sa.select(Invoice).where(Invoice.contract_id == large))
        written = {"net": invoice.net, "vat": invoice.vat, "total": invoice.total}
    assert {name: _money(amount) for name, amount in written.items()} == _expected()["amounts"]


def test_a_report_of_large_month_lines_is_drawn_whole_without_a_pager(app):
    contract_id = _submitted(app, LARGE_MONTH, "13585628", "SÆR-2018-03")
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    parts = PageParts(client.get(REVIEW.format(contract_id) + "?page=2").get_data(as_text=True))
    assert _shown(parts, "report-lines") == REFS[:LARGE_MONTH]
    assert len(_shown(parts, "invoice-preview-lines")) == LARGE_MONTH
    assert not parts.xpath("//nav//a[@rel='next' or @rel='prev']")
    assert _read_counts(app) == [LARGE_MONTH]


def test_a_provider_may_not_open_procurements_review_of_its_own_large_report(app):
    contract_id = _submitted(app, COUNT, "13585628", "SÆR-2018-03")
    with app.app_context():
        provider_id = db.session.get(Contract, contract_id).provider_id
    client = logged_in_client(app, "stor@example.dk", "provider", provider_id)
    for page in ("", "?page=2"):
        assert client.get(REVIEW.format(contract_id) + page).status_code == 403
    assert _read_counts(app) == []
