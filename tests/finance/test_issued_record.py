"""An approved invoice is a fixed record: renaming its provider, changing the provider's CVR or
address, the contract's terms or the municipality's settings, leaves its PDF and e-invoice as
issued; a draft shows today's."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from contracts.documents import pdf, ubl
from contracts.models import Contract, Provider
from contracts.services.invoice_documents import invoice_document
from provider_portal.extensions import db
from tests.finance.documents import BUYER, RENDERER, approved_sample
from tests.finance.helpers import corrected_invoice
from tests.finance.queue import pdf_text

# The municipality after a move (its settings changed): an issued invoice keeps the old address.
MOVED_BUYER = replace(BUYER, street="Rådhuspladsen 1", postcode="1550", city="København V")


def documents(invoice_id: int, buyer=BUYER) -> tuple[str, bytes]:
    """The PDF's text and the e-invoice of an invoice, as downloaded now."""
    doc = invoice_document(db.session, invoice_id, buyer)
    return pdf_text(pdf.invoice_pdf(RENDERER, doc)), ubl.build(doc)


def change_everything(invoice) -> None:
    """Rename and move the provider, give it another CVR, and change the contract's terms."""
    provider = db.session.get(Provider, invoice.contract.provider_id)
    provider.name, provider.cvr = "Fodfæste Nord ApS", "29403473"
    provider.street, provider.postcode, provider.city = "Nørrebrogade 1", "2200", "København N"
    contract = db.session.get(Contract, invoice.contract_id)
    contract.monthly_fee, contract.hourly_rate = Decimal("9900.00"), Decimal("50.00")
    contract.invoicing = "provider_issued"
    db.session.flush()


@pytest.mark.postgres
def test_renaming_moving_and_new_terms_leave_an_approved_invoice_as_issued(any_app):
    with any_app.app_context():
        invoice, _doc = approved_sample(db.session)
        text, xml = documents(invoice.id)
        change_everything(invoice)
        text_after, xml_after = documents(invoice.id, MOVED_BUYER)
    assert (
        "Gyldenløvesgade 15" in text
        and "Nyt Fodfæste A/S" in text
        and "Tagensvej 85" in text
        and "Selvfakturering" in text
    )
    assert "9.500,00 kr. pr. måned" in text
    assert text_after == text
    assert xml_after == xml


def test_a_draft_shows_the_parties_and_terms_as_they_are_now(app):
    with app.app_context():
        invoice, _doc = approved_sample(db.session)
        change_everything(invoice)
        _note, draft = corrected_invoice(db.session, invoice)
        text, _xml = documents(invoice.id)
        draft_doc = invoice_document(db.session, draft.id, MOVED_BUYER)
        draft_text = pdf_text(pdf.invoice_pdf(RENDERER, draft_doc))
    assert "Nyt Fodfæste A/S" in text and "CVR 13585628" in text
    assert "KLADDE" in draft_text
    for now in [
        "Fodfæste Nord ApS",
        "CVR 29403473",
        "Nørrebrogade 1",
        "Rådhuspladsen 1",
        "9.900,00 kr. pr. måned",
    ]:
        assert now in draft_text, now
    assert "Nyt Fodfæste" not in draft_text and "Selvfakturering" not in draft_text
