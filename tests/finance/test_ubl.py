"""The Peppol BIS 3.0 e-invoice: the sample invoice and its credit note pass all three layers,
self-billed (Self-Billing 3.0, the default term) and provider-issued (Billing 3.0)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from contracts.documents import ubl
from contracts.services.invoice_documents import invoice_document
from provider_portal.extensions import db
from tests.finance.documents import BUYER, approve, approved_sample, three_layers
from tests.finance.helpers import corrected_invoice

NS = {"cbc": ubl.NS_CBC, "cac": ubl.NS_CAC}


def texts(tree):
    return lambda path: tree.findtext(path, namespaces=NS)


def test_the_sample_invoice_is_a_valid_danish_self_billed_peppol_invoice(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
        xml = ubl.build(doc)
    report = three_layers().validate(xml)
    assert report.valid, report.errors
    if three_layers().peppol_available:
        assert "Peppol BIS Self-Billing 3.0" in report.layers, report.layers
    tree = etree.fromstring(xml)
    text = texts(tree)
    assert text("cbc:CustomizationID") == ubl.SELF_BILLING_CUSTOMIZATION_ID
    assert text("cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:selfbilling:01:1.0"
    assert text("cbc:InvoiceTypeCode") == "389"
    assert text("cbc:Note").startswith(
        "Selvfakturering (self-billing). Udstedt af Københavns Kommune på vegne af "
        "Nyt Fodfæste A/S jf. aftale om selvfakturering SÆR-2018-03."
    )
    assert text("cac:ContractDocumentReference/cbc:ID") == "SÆR-2018-03"
    assert text("cbc:ID") == "2019-000001"
    assert (text("cbc:IssueDate"), text("cbc:DueDate")) == ("2019-02-05", "2019-03-07")
    assert text("cac:TaxTotal/cbc:TaxAmount") == "24779.61"
    assert text("cac:LegalMonetaryTotal/cbc:PayableAmount") == "123898.04"
    seller = tree.find(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS
    )
    assert (seller.text, seller.get("schemeID")) == ("13585628", "0184")
    buyer = tree.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)
    assert (buyer.text, buyer.get("schemeID")) == ("5798009800275", "0088")
    assert addresses(tree) == [
        ("Tagensvej 85", "København N", "2200", "DK"),
        ("Gyldenløvesgade 15", "København V", "1600", "DK"),
    ]
    lines = tree.findall("cac:InvoiceLine", NS)
    assert [
        line.findtext("cac:Item/cac:SellersItemIdentification/cbc:ID", namespaces=NS)
        for line in lines
    ] == sorted(
        ["DL-4Q7K2", "DL-9XW3M", "DL-2HB8R", "DL-7TZ5C", "DL-3PJ6N", "DL-8KD4V", "DL-5MR2F"]
    )
    assert sum(
        Decimal(line.findtext("cbc:LineExtensionAmount", namespaces=NS)) for line in lines
    ) == Decimal("99118.43")


def addresses(tree) -> list[tuple[str, ...]]:
    """(street, city, postcode, country) of the seller and the buyer."""
    return [
        tuple(
            tree.findtext(f"cac:{party}/cac:Party/cac:PostalAddress/{part}", namespaces=NS)
            for part in (
                "cbc:StreetName",
                "cbc:CityName",
                "cbc:PostalZone",
                "cac:Country/cbc:IdentificationCode",
            )
        )
        for party in ("AccountingSupplierParty", "AccountingCustomerParty")
    ]


def test_a_provider_issued_invoice_is_a_valid_billing_invoice(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session, invoicing="provider_issued")
        xml = ubl.build(doc)
    report = three_layers().validate(xml)
    assert report.valid, report.errors
    if three_layers().peppol_available:
        assert "Peppol BIS Billing 3.0" in report.layers, report.layers
    text = texts(etree.fromstring(xml))
    assert text("cbc:CustomizationID") == ubl.CUSTOMIZATION_ID
    assert text("cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert text("cbc:InvoiceTypeCode") == "380"
    assert "Selvfakturering" not in text("cbc:Note")
    assert text("cac:LegalMonetaryTotal/cbc:PayableAmount") == "123898.04"
    assert addresses(etree.fromstring(xml))[0] == ("Tagensvej 85", "København N", "2200", "DK")


def test_a_rule_set_is_picked_by_the_documents_customization_id(app):
    # The Billing rules refuse a self-billed document (R004/R007), so a wrong pick would show.
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
        xml = ubl.build(doc)
    if not three_layers().peppol_available:
        return
    as_billing = xml.replace(
        ubl.SELF_BILLING_CUSTOMIZATION_ID.encode(), ubl.CUSTOMIZATION_ID.encode()
    )
    rules = {finding.rule for finding in three_layers().validate(as_billing).errors}
    assert "PEPPOL-EN16931-R007" in rules, rules  # the Billing profile list has no self-billing
    unknown = xml.replace(ubl.SELF_BILLING_CUSTOMIZATION_ID.encode(), b"urn:example:invoice")
    assert [f.rule for f in three_layers().validate(unknown).errors] == ["CustomizationID"]


@pytest.mark.parametrize(
    "invoicing, type_code, customization",
    [
        ("self_billing", "261", ubl.SELF_BILLING_CUSTOMIZATION_ID),
        ("provider_issued", "381", ubl.CUSTOMIZATION_ID),
    ],
)
def test_a_credit_note_refers_to_what_it_credits_and_is_never_negative(
    app, invoicing, type_code, customization
):
    with app.app_context():
        invoice, _doc = approved_sample(db.session, invoicing=invoicing)
        note, _new = corrected_invoice(db.session, invoice)
        approve(db.session, note.id)
        xml = ubl.build(invoice_document(db.session, note.id, BUYER))
    report = three_layers().validate(xml)
    assert report.valid, report.errors
    tree = etree.fromstring(xml)
    assert tree.tag == f"{{{ubl.NS_CREDIT_NOTE}}}CreditNote"
    assert tree.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == type_code
    assert tree.findtext("cbc:CustomizationID", namespaces=NS) == customization
    note_text = tree.findtext("cbc:Note", namespaces=NS)
    assert note_text.startswith("Selvfakturering") == (invoicing == "self_billing")
    assert (
        tree.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS)
        == "2019-000001"
    )
    assert tree.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "123898.04"
    assert len(tree.findall("cac:CreditNoteLine", NS)) == 7


def test_the_validator_finds_what_the_rules_forbid(app):
    # Billing, since the Danish national rules are not part of Self-Billing.
    with app.app_context():
        _invoice, doc = approved_sample(db.session, invoicing="provider_issued")
        xml = ubl.build(doc)
    # The Danish rule wants the CVR scheme on the seller's legal entity; EN 16931 wants totals that add up.
    broken = xml.replace(
        b'<cbc:CompanyID schemeID="0184">13585628</cbc:CompanyID>',
        b'<cbc:CompanyID schemeID="0088">13585628</cbc:CompanyID>',
        1,
    )
    broken = broken.replace(
        b'<cbc:PayableAmount currencyID="DKK">123898.04',
        b'<cbc:PayableAmount currencyID="DKK">123898.05',
    )
    report = three_layers().validate(broken)
    rules = {finding.rule for finding in report.errors}
    assert "BR-CO-16" in rules, rules  # amount due = total with VAT - paid amount
    if three_layers().peppol_available:
        assert "DK-R-014" in rules
    assert not three_layers().validate(b"<Invoice/>").valid


def test_vat_one_ore_off_is_refused_by_our_own_rule(app):
    # EN 16931 allows a krone of slack on VAT; the rounding rule of DESIGN.md §6 does not.
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    from dataclasses import replace

    off = replace(doc, vat=doc.vat + Decimal("0.01"), total=doc.total + Decimal("0.01"))
    assert ubl.check_figures(off) == [
        "VAT 24779.62 is not 0.2500 × 99118.43 rounded half up to øre"
    ]
    try:
        ubl.build(off)
    except ubl.NotIssuable as refused:
        assert "VAT" in str(refused)
    else:
        raise AssertionError("an invoice with VAT off by an øre was built")


def test_a_draft_is_no_e_invoice(app):
    from tests.finance.helpers import sample_invoice

    with app.app_context():
        invoice = sample_invoice(db.session)
        doc = invoice_document(db.session, invoice.id, BUYER)
    try:
        ubl.build(doc)
    except ubl.NotIssuable as refused:
        assert "approve" in str(refused)
    else:
        raise AssertionError("a draft was built as an e-invoice")
