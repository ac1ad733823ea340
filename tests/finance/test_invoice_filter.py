"""The invoice desk's filter: each criterion finds exactly the matching invoices and sums them
(credit notes deducted) over every page; a value it cannot use gets a Danish message, not a list.

The expected rows and sums are worked out here in Python from every invoice in the database,
independently of the SQL that the desk uses.

Decision: a filter value that cannot be used answers 400 with the form, the Danish message at
its field and no list. Ignoring the value would show a list whose count and sums the user did
not ask for (a month of 2019-13 would quietly sum every month), and 400 is the portal's answer
to bad input everywhere else; the page is still a normal page from which to correct the filter.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.documents.formatting import money
from contracts.models import AuditEvent, Contract, Invoice, Programme, Provider
from contracts.services import invoicing
from contracts.services.demo import DEMO_PASSWORD
from provider_portal.extensions import db
from provider_portal.finance.commands import DEMO_FINANCE_EMAIL, approve_up_to
from tests.conftest import login
from tests.finance.demo_books import invoice_demo
from tests.pages import PageParts


@dataclass(frozen=True)
class Books:
    """The demo's books as `make run` leaves them (approved up to November 2018, December
    waiting), one credit note and one waiting invoice over its ceiling."""

    ids: dict
    credit_note_id: int
    credited_number: str


@pytest.fixture
def books(app) -> Books:
    with app.app_context():
        session = db.session
        invoice_demo(session, app.config["PSEUDONYM_KEY"].encode())
        approve_up_to("2018-11", DEMO_FINANCE_EMAIL, date(2019, 1, 24))
        credited = session.scalar(
            sa.select(Invoice).where(Invoice.month == "2018-06").order_by(Invoice.id).limit(1)
        )
        note = invoicing.credit(session, credited)
        over = session.scalar(
            sa.select(Invoice)
            .where(Invoice.month == "2018-12")
            .order_by(Invoice.id.desc())
            .limit(1)
        )
        over.exceeds_ceiling = True
        contract = session.get(Contract, credited.contract_id)
        programme = session.get(Programme, contract.programme_id)
        session.commit()
        return Books(
            {
                "provider": contract.provider_id,
                "contract": contract.id,
                "programme": programme.code,
            },
            note.id,
            credited.number,
        )


@pytest.fixture
def finance(app, books):
    client = app.test_client()
    login(client, DEMO_FINANCE_EMAIL, DEMO_PASSWORD)
    return client


def expected(app, keep) -> tuple[set[int], list[str]]:
    """The ids of the invoices `keep` admits, and their count, net, VAT and total as the page shows them."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Invoice, Contract.provider_id, Programme.code)
            .join(Contract, Contract.id == Invoice.contract_id)
            .join(Programme, Programme.id == Contract.programme_id)
        ).all()
        kept = [invoice for invoice, provider_id, code in rows if keep(invoice, provider_id, code)]
        sign = {"invoice": 1, "credit_note": -1}
        sums = [
            sum((sign[i.kind] * getattr(i, name) for i in kept), Decimal(0))
            for name in ("net", "vat", "total")
        ]
        return {i.id for i in kept}, [str(len(kept)), *(money(amount) for amount in sums)]


def _invoice_links(parts: PageParts) -> list[int]:
    """The invoices a page of the desk links to, in page order."""
    hrefs = parts.xpath("//a/@href")
    return [int(h.rsplit("/", 1)[1]) for h in hrefs if re.fullmatch(r"/finance/invoices/\d+", h)]


def listed(client, query: str) -> tuple[set[int], list[str], int]:
    """Follow the desk from its first page through its "next" links: the ids, figures and page count."""
    url, ids, pages, figures = f"/finance/invoices?{query}", [], 0, None
    while url:
        page = client.get(url)
        text = page.get_data(as_text=True)
        assert page.status_code == 200, text
        pages += 1
        parts = PageParts(text)
        ids += _invoice_links(parts)
        shown = [
            parts.xpath("string(//dd[@id = $id])", id=f"found-{name}")
            for name in ("count", "net", "vat", "total")
        ]
        assert figures in (None, shown), "the sums are of everything found, the same on every page"
        figures = shown
        following = parts.xpath("//a[@rel = 'next']/@href")
        url = following[0] if following else None
    assert len(ids) == len(set(ids)), "no invoice is listed on two pages"
    return set(ids), figures, pages


CRITERIA = [
    ("provider_id={provider}", lambda i, provider, programme, ids: provider == ids["provider"]),
    (
        "contract_id={contract}",
        lambda i, provider, programme, ids: i.contract_id == ids["contract"],
    ),
    ("programme={programme}", lambda i, provider, programme, ids: programme == ids["programme"]),
    ("month_from=2018-10&month_to=2018-12", lambda i, *_: "2018-10" <= i.month <= "2018-12"),
    ("month_from=2018-12", lambda i, *_: i.month >= "2018-12"),
    ("month_to=2018-04", lambda i, *_: i.month <= "2018-04"),
    ("month=2018-06", lambda i, *_: i.month == "2018-06"),
    # The demo's contracts are self-billed: a draft waits for procurement's attestation.
    ("status=awaiting_attestation", lambda i, *_: i.status in ("draft", "issued")),
    ("status=approved", lambda i, *_: i.status == "approved"),
    ("kind=credit_note", lambda i, *_: i.kind == "credit_note"),
    ("kind=invoice", lambda i, *_: i.kind == "invoice"),
    ("exceeds_ceiling=1", lambda i, *_: i.exceeds_ceiling),
    (
        "provider_id={provider}&month_from=2018-05&month_to=2018-08&kind=invoice&status=approved",
        lambda i, provider, programme, ids: (
            provider == ids["provider"]
            and "2018-05" <= i.month <= "2018-08"
            and i.kind == "invoice"
            and i.status == "approved"
        ),
    ),
    ("", lambda *_: True),
]


@pytest.mark.parametrize("query, keep", CRITERIA, ids=[q or "no filter" for q, _ in CRITERIA])
def test_each_criterion_finds_exactly_the_matching_invoices_and_sums_them(
    app, books, finance, query, keep
):
    want, figures = expected(
        app, lambda i, provider, programme: keep(i, provider, programme, books.ids)
    )
    assert want, "the demo's books have invoices of this kind"
    found, shown, pages = listed(finance, query.format(**books.ids))
    assert found == want
    assert shown == figures
    assert pages == max(1, -(-len(want) // 50))


def test_a_credit_note_counts_against_the_sums(app, books, finance):
    with app.app_context():
        note = db.session.get(Invoice, books.credit_note_id)
        amounts = note.net, note.vat, note.total
    found, shown, _ = listed(finance, "kind=credit_note")
    assert found == {books.credit_note_id}
    assert shown == ["1", *(money(-amount) for amount in amounts)]


@pytest.mark.parametrize(
    "query, message",
    [
        ("month_from=2019-13", "»2019-13« er ikke en måned: skriv den som ÅÅÅÅ-MM, fx 2019-01."),
        ("month=2019-13", "»2019-13« er ikke en måned"),
        ("month_to=januar", "»januar« er ikke en måned"),
        ("month_from=2019-01&month_to=2018-12", "Til-måneden ligger før fra-måneden."),
        ("status=paid", "“paid” er ikke en status: vælg en fra listen."),
        ("kind=receipt", "»receipt« er ikke en type: vælg faktura eller kreditnota."),
        ("provider_id=abc", "Der er ingen leverandør »abc«: vælg en fra listen."),
        ("provider_id=99999999999999999999", "Der er ingen leverandør »99999999999999999999«"),
        ("provider_id=999999", "Der er ingen leverandør »999999«"),
        ("contract_id=1%3B+DROP+TABLE+invoice", "Der er ingen aftale »1; DROP TABLE invoice«"),
        ("programme=NOPE", "Der er ingen indsats »NOPE«"),
        ("exceeds_ceiling=yes", "Sæt flueben i feltet, eller lad det være tomt."),
        ("page=0", "»0« er ikke et sidetal: brug et helt tal fra 1."),
        ("page=x", "»x« er ikke et sidetal"),
    ],
)
def test_a_value_the_filter_cannot_use_gets_a_danish_message_and_no_list(
    app, books, finance, query, message
):
    page = finance.get(f"/finance/invoices?{query}")
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 400
    assert message in text
    assert "Filteret kan ikke bruges: ret de markerede felter ovenfor." in text
    assert 'id="found-count"' not in text and "<table" not in text
    assert '<form method="get"' in text  # the filter, to correct it


def test_an_export_with_a_bad_filter_is_refused_and_not_audited(app, books, finance):
    for url in [
        "/finance/invoices/export.csv?month_from=2019-13",
        "/finance/invoices/export.xlsx?status=paid",
    ]:
        refused = finance.get(url)
        assert refused.status_code == 400 and refused.mimetype == "text/html"
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditEvent.action == "invoices.exported")
            )
            == 0
        )


def test_the_exports_hold_what_is_filtered(app, books, finance):
    exported = finance.get("/finance/invoices/export.csv?kind=credit_note")
    assert exported.headers["Content-Disposition"] == 'attachment; filename="fakturaer-alle.csv"'
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and rows[1][1] == "Kreditnota" and rows[1][9] == books.credited_number
    want, _ = expected(
        app,
        lambda i, provider, programme: provider == books.ids["provider"] and i.month >= "2018-11",
    )
    ranged = finance.get(
        f"/finance/invoices/export.csv?provider_id={books.ids['provider']}"
        "&month_from=2018-11&month_to=2019-01"
    )
    assert (
        ranged.headers["Content-Disposition"]
        == 'attachment; filename="fakturaer-2018-11-2019-01.csv"'
    )
    assert len(ranged.data.decode("utf-8-sig").splitlines()) == 1 + len(want)
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "invoices.exported")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        assert event.details["provider_id"] == str(books.ids["provider"]) and event.details[
            "rows"
        ] == len(want)


def test_the_form_shows_the_filter_back_and_pages_keep_it(app, books, finance):
    text = finance.get("/finance/invoices?status=approved&month_from=2018-03").get_data(
        as_text=True
    )
    parts = PageParts(text)
    assert "approved" in parts.xpath("//option[@selected]/@value")
    assert parts.find_all("input", value="2018-03")
    [following] = parts.xpath("//a[@rel = 'next']/@href")
    assert (
        "status=approved" in following
        and "month_from=2018-03" in following
        and "page=2" in following
    )
    # Past the last page is the last page (54 approved invoices, six contracts' March to
    # November 2018: the last 4), not an empty one.
    last = PageParts(finance.get("/finance/invoices?status=approved&page=9").get_data(as_text=True))
    assert last.xpath("//*[@aria-current = 'page'][normalize-space() = '2']")
    assert "Viser 51–54 af 54." in last.text
    assert len(_invoice_links(last)) == 4


def test_a_month_that_is_not_one_is_shown_back_as_typed(app, books, finance):
    """The browser's month control shows a value it cannot read as empty: such a value is drawn in
    a text box, so the user sees what the message beside it quotes."""
    text = finance.get("/finance/invoices?month_from=januar&month_to=2019-01").get_data(
        as_text=True
    )
    parts = PageParts(text)
    [month_from] = parts.find_all("input", id="filter-month_from")
    [month_to] = parts.find_all("input", id="filter-month_to")
    assert (month_from["type"], month_from["value"]) == ("text", "januar")
    assert month_to["type"] == "month"


@pytest.mark.parametrize(
    "email, role",
    [
        ("leverandor@demo.dk", "provider"),
        ("indkob@demo.dk", "procurement"),
        ("admin@demo.dk", "admin"),
    ],
)
def test_only_finance_reaches_the_filtered_desk_and_its_exports(app, books, email, role):
    client = app.test_client()
    login(client, email, DEMO_PASSWORD)
    with app.app_context():
        other = db.session.scalar(
            sa.select(Provider.id).where(Provider.id != books.ids["provider"]).limit(1)
        )
    for url in [
        "/finance/invoices",
        f"/finance/invoices?provider_id={other}&month_from=2018-03&kind=invoice",
        f"/finance/invoices/export.csv?provider_id={other}",
        "/finance/invoices/export.xlsx?status=awaiting_attestation",
        "/finance/invoices?month_from=2019-13",
    ]:
        assert client.get(url).status_code == 403, (role, url)
