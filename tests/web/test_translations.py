"""Every page speaks Danish: the catalogue covers every message, the demo pages show no English
left-overs, and each role's menu reaches its sections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from contracts.models import Contract, Invoice, Lot, MonthlyReport, Tender
from tests.pages import PageParts, text_of

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "provider_portal" / "translations" / "da" / "LC_MESSAGES" / "messages.po"
# The keywords of the extraction command in babel.cfg.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "N_": None}


def _extracted() -> dict[tuple[str | None, str], list[str]]:
    """Every (context, msgid) the extractor finds, with where it was found."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[tuple[str | None, str], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((context, msgid), []).append(f"{filename}:{lineno}")
    return found


def test_every_extracted_message_has_a_danish_translation():
    with open(CATALOGUE, "rb") as po:
        catalogue = read_po(po, locale="da")
    missing = []
    for (context, msgid), where in _extracted().items():
        # pgettext("button", "Award") and pgettext("column", "Award") are two entries.
        entry = catalogue.get(msgid, context=context)
        strings = (
            entry.string
            if entry is not None and isinstance(entry.string, tuple)
            else ((entry.string,) if entry is not None else ("",))
        )
        if not all(strings) or (entry is not None and entry.fuzzy):
            missing.append(f"{context + ': ' if context else ''}{msgid!r} ({where[0]})")
    assert not missing, "untranslated in messages.po:\n" + "\n".join(missing)


def test_the_catalogue_has_no_message_twice():
    # Several engineers append to the catalogue; a duplicate would silently shadow one translation.
    text = CATALOGUE.read_text(encoding="utf-8")
    ids = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"$', text, flags=re.MULTILINE)
    seen, twice = set(), []
    for pair in ids:
        if pair in seen and pair != ("", ""):
            twice.append(pair[1])
        seen.add(pair)
    assert not twice, twice


# Words that show an English string slipped through on a Danish page.
ENGLISH_TELLTALES = (
    "Approve",
    "Invoices",
    "Tender",
    "Base fee",
    "Submit",
    "Bid",
    "Lot",
    "Extend",
    "Download",
    "Overview",
    "Contracts",
    "Scores",
)


def _demo_ids(app) -> dict:
    """Ids of the demo records the pages below show, with the invoices of December 2018 made."""
    from contracts.services.invoicing import accepted_contract_ids, invoice_contract_month
    from provider_portal.extensions import db

    with app.app_context():
        session = db.session
        for contract_id in accepted_contract_ids(session, "2018-12"):
            invoice_contract_month(session, contract_id, "2018-12")
        session.commit()
        tender = session.scalar(sa.select(Tender).order_by(Tender.id))
        report = session.scalar(sa.select(MonthlyReport).order_by(MonthlyReport.id))
        return {
            "contract": session.scalar(
                sa.select(Contract.id)
                .where(Contract.successor == None)  # noqa: E711
                .where(Contract.end_on >= sa.func.date("2019-01-24"))
                .order_by(Contract.end_on)
            ),
            "tender": tender.id,
            "lot": session.scalar(
                sa.select(Lot.id).where(Lot.tender_id == tender.id).order_by(Lot.id)
            ),
            "invoice": session.scalar(sa.select(Invoice.id).order_by(Invoice.id)),
            "report": (report.contract_id, report.month),
        }


def _pages(ids: dict) -> dict[str, list[str]]:
    contract, (report_contract, month) = ids["contract"], ids["report"]
    return {
        "procurement": [
            "/procurement/",
            "/procurement/contracts",
            f"/procurement/contracts/{contract}",
            f"/procurement/contracts/{report_contract}/reports/{month}",
            f"/procurement/contracts/{contract}/extend",
            f"/procurement/contracts/{contract}/refer",
            f"/procurement/contracts/{contract}/participants",
            "/procurement/tenders",
            f"/procurement/tenders/{ids['tender']}",
            "/procurement/tenders/retender",
            "/scores/",
            "/jobs/",
        ],
        "finance": [
            "/finance/",
            "/finance/invoices",
            f"/finance/invoices/{ids['invoice']}",
            f"/procurement/contracts/{ids['contract']}/participants",
            "/scores/",
            "/jobs/",
        ],
        "provider": [
            "/provider/",
            "/procurement/tenders",
            f"/procurement/tenders/{ids['tender']}",
            f"/procurement/tenders/{ids['tender']}/lots/{ids['lot']}/bid",
            "/scores/",
        ],
        "admin": ["/admin/", "/jobs/failed"],
    }


def test_demo_pages_of_every_role_show_no_english_words(demo_app, client_as):
    ids = _demo_ids(demo_app)
    assert ids["invoice"] is not None, "the demo month made no invoice to show"
    english = []
    for role, urls in _pages(ids).items():
        client = client_as(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            text = PageParts(response.get_data(as_text=True)).text
            for word in ENGLISH_TELLTALES:
                if re.search(rf"\b{re.escape(word)}\b", text):
                    english.append(f"{role} {url}: {word!r}")
    assert not english, english


def test_the_same_pages_switch_to_english(demo_app, client_as):
    # The tell-tale words are English words, not leftovers of any page: in English they appear.
    from tests.conftest import csrf_token

    ids = _demo_ids(demo_app)
    client = client_as("finance")
    token = csrf_token(client.get("/finance/").get_data(as_text=True))
    client.post("/language", data={"language": "en", "next": "/finance/", "csrf_token": token})
    text = PageParts(client.get(f"/finance/invoices/{ids['invoice']}").get_data(as_text=True)).text
    assert "Invoices" in text and "Base fee" in text


# The menu of each role, in Danish, with where each item leads.
NAVIGATION = {
    "procurement": {
        "Overblik": "/procurement/",
        "Aftaler": "/procurement/contracts",
        "Fakturaer": "/procurement/invoices",
        "Hændelser": "/procurement/notices",
        "Leverandører": "/procurement/providers",
        "Udbud": "/procurement/tenders",
        "Resultatmålinger": "/scores/",
        "Sammenlign kommuner": "/benchmark/",
        "Opgørelse": "/jobs/",
        "Brugere": "/procurement/users",
    },
    "finance": {
        "Overblik": "/finance/",
        "Fakturaer": "/finance/invoices",
        "Konteringer": "/finance/postings",
        "Aftaler": "/procurement/contracts",
        "Resultatmålinger": "/scores/",
        "Sammenlign kommuner": "/benchmark/",
        "Opgørelse": "/jobs/",
    },
    "provider": {
        "Overblik": "/provider/",
        "Fakturaer": "/provider/invoices",
        "Udbud": "/procurement/tenders",
        "Resultatmålinger": "/scores/",
    },
    "admin": {
        "Brugere og API-nøgler": "/admin/",
        "Revisionslog": "/admin/audit",
        "Fejlede job": "/jobs/failed",
        "Udbakke": "/admin/outbox/",
    },
}


def _menu(html: str) -> dict[str, str]:
    """The main menu's items: label → link, and which one is marked as the current page."""
    items = {}
    for link in PageParts(html).xpath("//nav[@class = 'site-nav']//a"):
        current = " (current)" if link.get("aria-current") == "page" else ""
        items[text_of(link)] = link.get("href") + current
    return items


@pytest.mark.parametrize("role", sorted(NAVIGATION))
def test_each_role_menu_reaches_its_sections(demo_app, client_as, role):
    client = client_as(role)
    home = next(iter(NAVIGATION[role].values()))
    menu = _menu(client.get(home).get_data(as_text=True))
    assert {label: href.removesuffix(" (current)") for label, href in menu.items()} == NAVIGATION[
        role
    ]
    assert menu[next(iter(NAVIGATION[role]))].endswith("(current)")
    for label, href in NAVIGATION[role].items():
        assert client.get(href).status_code == 200, (role, label)


@pytest.mark.parametrize(
    "role, url, current",
    [
        ("procurement", "tender", "Udbud"),
        ("procurement", "contract", "Aftaler"),
        ("provider", "tender", "Udbud"),
        ("finance", "invoice", "Fakturaer"),
        ("finance", "contract", "Aftaler"),
        ("procurement", "invoice", "Fakturaer"),
    ],
)
def test_a_page_deeper_in_a_section_marks_the_section(demo_app, client_as, role, url, current):
    ids = _demo_ids(demo_app)
    path = {
        "tender": f"/procurement/tenders/{ids['tender']}",
        "contract": f"/procurement/contracts/{ids['contract']}",
        "invoice": f"/finance/invoices/{ids['invoice']}",
    }[url]
    menu = _menu(client_as(role).get(path).get_data(as_text=True))
    assert [label for label, href in menu.items() if href.endswith("(current)")] == [current]


def test_contract_page_links_to_its_actions_and_monthly_reports(demo_app, client_as):
    ids = _demo_ids(demo_app)
    client = client_as("procurement")
    contract = ids["contract"]
    parts = PageParts(client.get(f"/procurement/contracts/{contract}").get_data(as_text=True))
    links = {a.get("href") for a in parts.find_all("a")}
    assert f"/procurement/contracts/{contract}/extend" in links
    assert f"/procurement/contracts/{contract}/refer" in links
    assert f"/procurement/tenders/retender?contract_id={contract}" in links
    report_links = [
        href
        for href in links
        if href and href.startswith(f"/procurement/contracts/{contract}/reports/")
    ]
    assert report_links, "no month links to the contract's reports"
    for href in links - {None}:
        if href.startswith("/procurement/contracts/"):
            assert client.get(href).status_code == 200, href
