"""The finance home: what waits for approval (attested), summed with credit notes taken off, and
what still waits for procurement's attestation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import lxml.html

from contracts.services import invoice_steps
from provider_portal.extensions import db
from tests.finance.demo_approvals import ATTESTER
from tests.finance.helpers import at, corrected_invoice, sample_invoice

DAY = date(2019, 2, 5)


def danish(amount: Decimal) -> str:
    """An amount as the Danish pages write it: 123.898,04 kr."""
    return f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " kr."


def test_waiting_sums_take_attested_credit_notes_off(app, finance):
    with app.app_context():
        invoice = sample_invoice(db.session)
        note, new = corrected_invoice(db.session, invoice)
        db.session.commit()
        before = lxml.html.fromstring(finance.get("/finance/").get_data(as_text=True))
        assert "3 fakturaer og kreditnotaer venter på indkøbs attestation" in (
            before.get_element_by_id("with-procurement").text_content()
        )
        assert not before.get_element_by_id("waiting-heading").getparent().xpath(".//tbody/tr")
        for attested in (invoice, note, new):
            invoice_steps.attest(db.session, *ATTESTER, attested.id, at(DAY))
        assert (invoice.status, note.status, new.status) == ("attested",) * 3
        assert note.kind == "credit_note" and note.total == invoice.total
        expected = [
            invoice.net + new.net - note.net,
            invoice.vat + new.vat - note.vat,
            invoice.total + new.total - note.total,
        ]
        assert expected[2] == new.total  # the credit note takes the first invoice off again
        db.session.commit()

    page = lxml.html.fromstring(finance.get("/finance/").get_data(as_text=True))
    waiting = page.get_element_by_id("waiting-heading").getparent()
    assert len(waiting.xpath(".//tbody/tr")) == 3
    sums = [cell.text_content().strip() for cell in waiting.xpath(".//tfoot//td[@class='num']")]
    assert sums == [danish(amount) for amount in expected]
