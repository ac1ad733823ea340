"""Milestone and clawback lines on the PDF and the e-invoice (DESIGN.md §6, §15): the invoice and
its credit note stay valid on all three layers, the PDF names each line in Danish."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from lxml import etree

from contracts.documents import ubl
from contracts.documents.data import DocumentLine
from contracts.models import ContractMilestone
from contracts.rules.money import round_money
from contracts.services.invoice_documents import invoice_document
from provider_portal.extensions import db
from tests.finance.documents import BUYER, RENDERER, approve, approved_sample, three_layers
from tests.finance.helpers import sample_invoice

NS = {"cbc": ubl.NS_CBC, "cac": ubl.NS_CAC}


def _milestone(ref: str, item: str, amount: str) -> DocumentLine:
    value = Decimal(amount)
    return DocumentLine(ref, 0, None, Decimal(0), Decimal(0), value, value, None, item)


def _with_milestones(doc, **changes):
    """The sample invoice with DL-4Q7K2's 13 weeks paid and DL-2HB8R's start taken back."""
    lines = doc.lines + (
        _milestone("DL-4Q7K2", "week13", "5000.00"),
        _milestone("DL-2HB8R", "clawback_start", "-15000.00"),
    )
    net = sum((line.amount for line in lines), Decimal("0.00"))
    vat = round_money(net * doc.vat_rate)
    return dataclasses.replace(doc, lines=lines, net=net, vat=vat, total=net + vat, **changes)


def test_an_e_invoice_with_a_milestone_and_a_clawback_is_valid_on_all_layers(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    doc = _with_milestones(doc)
    assert doc.net == Decimal("89118.43")
    xml = ubl.build(doc)
    report = three_layers().validate(xml)
    assert report.valid, report.errors
    tree = etree.fromstring(xml)
    lines = tree.findall("cac:InvoiceLine", NS)
    taken = [
        line for line in lines if line.findtext("cbc:LineExtensionAmount", namespaces=NS)[0] == "-"
    ]
    [line] = taken
    assert line.findtext("cbc:InvoicedQuantity", namespaces=NS) == "-1"
    assert line.findtext("cac:Price/cbc:PriceAmount", namespaces=NS) == "15000.00"
    assert "Tilbageført" in line.findtext("cac:Item/cbc:Description", namespaces=NS)
    assert tree.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == (
        f"{doc.total:.2f}"
    )


def test_a_credit_note_of_such_an_invoice_is_valid_too(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    note = _with_milestones(
        doc,
        kind="credit_note",
        number="2019-000002",
        credited_id=doc.id,
        credited_number=doc.number,
        credited_issued_on=date(2019, 2, 5),
    )
    report = three_layers().validate(ubl.build(note))
    assert report.valid, report.errors


def test_the_pdf_names_the_milestone_lines_in_danish(app):
    with app.app_context():
        _invoice, doc = approved_sample(db.session)
    text = RENDERER.html("pdf/invoice.html", doc=_with_milestones(doc))
    assert "Milepæl: job eller uddannelse i 13 uger" in text
    assert "Tilbageført ved tilbagefald: resultatbonus" in text
    assert "-15.000,00" in text or "−15.000,00" in text


def test_the_issued_record_keeps_the_milestone_terms_as_approved(app):
    with app.app_context():
        invoice = sample_invoice(db.session)
        contract = invoice.contract
        contract.milestones.append(ContractMilestone(code="week13", amount=Decimal("5000.00")))
        contract.clawback_days = 60
        approve(db.session, invoice.id)
        doc = invoice_document(db.session, invoice.id, BUYER)
        assert doc.milestones == (("week13", Decimal("5000.00")),) and doc.clawback_days == 60
        # Terms changed after approval leave the issued document as it was.
        contract.milestones[0].amount = Decimal("1.00")
        contract.clawback_days = None
        db.session.flush()
        again = invoice_document(db.session, doc.id, BUYER)
    assert again.milestones == doc.milestones and again.clawback_days == 60
    text = " ".join(RENDERER.html("pdf/invoice.html", doc=again).split())
    assert "13 uger 5.000,00" in text and "inden for 60 dage" in text
