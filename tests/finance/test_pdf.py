"""Invoice PDFs read back as a user would: pdftotext finds the Danish totals on every page's frame."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest

from contracts.documents import pdf
from contracts.documents.data import DocumentLine
from provider_portal.extensions import db
from tests.finance.documents import RENDERER, STATIC, approved_sample


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1]


def test_the_sample_invoice_pdf_shows_the_danish_totals_and_both_parties(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    pages = pdf_text(pdf.invoice_pdf(RENDERER, doc))
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    for expected in [
        "Faktura 2019-000001",
        "Selvfakturering. Fakturaen er udstedt af køber, Københavns Kommune, på leverandørens "
        "vegne efter aftale om selvfakturering, jf. aftale SÆR-2018-03.",
        "Tagensvej 85",
        "2200 København N",
        "Gyldenløvesgade 15",
        "1600 København V",
        "Nyt Fodfæste A/S",
        "CVR 13585628",
        "EAN 5798009800275",
        "Københavns Kommune",
        "99.118,43 kr.",
        "Moms 25 % 24.779,61 kr.",
        "I alt at betale 123.898,04 kr.",
        "DL-2HB8R 16 60,00 4.903,23 2.700,00 15.000,00 22.603,23",
        "Fakturadato 05-02-2019",
        "senest 07-03-2019",
        "Side 1 af 1",
    ]:
        assert expected in text, expected


def test_a_provider_issued_invoice_is_no_self_billing(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session, invoicing="provider_issued")
    text = " ".join(pdf_text(pdf.invoice_pdf(RENDERER, doc))[0].split())
    assert "123.898,04 kr." in text and "Tagensvej 85" in text
    assert "elvfakturering" not in text


def test_a_long_invoice_has_header_footer_and_page_numbers_on_every_page(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    line = DocumentLine(
        "DL-ÆØÅ12",
        31,
        Decimal("10.00"),
        Decimal("9500.00"),
        Decimal("450.00"),
        Decimal("0.00"),
        Decimal("9950.00"),
        None,
    )
    long = replace(doc, lines=(line,) * 120)
    pages = pdf_text(pdf.invoice_pdf(RENDERER, long))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Nyt Fodfæste A/S · CVR 13585628" in page  # header
        assert "EAN 5798009800275" in page  # footer
        assert f"Side {number} af {len(pages)}" in page
        assert "Deltager" in page  # the table's head repeats
    assert "DL-ÆØÅ12" in pages[-1]


def test_a_draft_says_so_and_has_no_number(app):
    from contracts.services.invoice_documents import invoice_document
    from tests.finance.documents import BUYER
    from tests.finance.helpers import sample_invoice

    with app.app_context():
        invoice = sample_invoice(db.session)
        doc = invoice_document(db.session, invoice.id, BUYER)
    text = " ".join(pdf_text(pdf.invoice_pdf(RENDERER, doc))[0].split())
    assert "KLADDE – ikke godkendt" in text and "123.898,04 kr." in text


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://127.0.0.1/x.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        (STATIC / "pdf" / ".." / ".." / "__init__.py").as_uri(),
        "ftp://example.com/x",
        "file://evil.example/" + str(STATIC / "pdf" / "document.css"),
    ],
)
def test_the_fetcher_refuses_everything_but_the_apps_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyFetcher(STATIC).fetch(url)


def test_the_fetcher_serves_the_pdf_stylesheet():
    response = pdf.StaticOnlyFetcher(STATIC).fetch((STATIC / "pdf" / "document.css").as_uri())
    assert response.content_type == "text/css" and b"@page" in response.read()
    response.close()


def test_a_value_that_looks_like_markup_is_printed_not_fetched(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    html = RENDERER.html(
        "pdf/invoice.html",
        doc=replace(
            doc, seller=replace(doc.seller, name='<img src="http://example.com/x.png">Evil ApS')
        ),
    )
    assert '<img src="http' not in html and "&lt;img" in html


def test_the_monthly_provider_statement_shows_outcomes_and_the_credited_amounts(app):
    from contracts.services import scoring
    from contracts.services.provider_statements import provider_statement
    from tests.finance.documents import BUYER
    from tests.finance.helpers import corrected_invoice

    with app.app_context():
        invoice, doc = approved_sample(db.session)
        scoring.compute_month(db.session, "2019-01")
        corrected_invoice(db.session, invoice)
        statement = provider_statement(db.session, doc.seller.id, "2019-01", BUYER)
    text = " ".join(" ".join(pdf_text(pdf.provider_statement_pdf(RENDERER, statement))).split())
    assert "Månedsopgørelse januar 2019" in text
    # 7 participants, 3 active at the end, 4 exits: 2 job/education, 1 benefit stopped, 1 other.
    assert "SÆR-2018-03" in text and "7 3 4 2 1 1" in text
    assert "Faktura 2019-000001 Godkendt 99.118,43 24.779,61 123.898,04" in text
    assert "Kreditnota – Kladde −99.118,43 −24.779,61 −123.898,04" in text
    # What remains is the corrected invoice: 360 kr. less (8 hours × 45 kr.) plus VAT.
    assert "I alt ekskl. moms 98.758,43 kr." in text and "I alt 123.448,04 kr." in text
