"""Procurement's invoice preview for a contract paid by milestones (issue 20): the review page
lists the milestones the month's invoice will pay and take back, and its totals are the invoice's
to the øre, for a correction of an invoiced month too (whose invoice is credited and made again).

P1 leaves for a job on 15 January and claims 13 weeks on 20 April (paid on the provider's word);
P3 leaves for education on 31 January and relapses on 20 March, recorded 5 April, 48 days after
the start bonus paid in January: taken back in April. April is then corrected (more hours for P2).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.documents.formatting import money as written
from contracts.services import invoicing
from provider_portal.extensions import db
from tests.conftest import login
from tests.milestones.story import (
    january_exits,
    line,
    money,
    new_story,
    previewed,
    submit_month,
)

APRIL_FEE_AND_HOURS = Decimal("3100") + Decimal("1000")


def _invoice_month(app, contract_id: int, month: str) -> tuple[str, str, str]:
    """The month invoiced as its aggregation does; net, VAT and total as the page writes them."""
    with app.app_context():
        invoice = invoicing.invoice_contract_month(db.session, contract_id, month)
        db.session.commit()
        return tuple(written(v, "da") for v in (invoice.net, invoice.vat, invoice.total))


def test_the_preview_pays_and_takes_back_milestones_as_the_invoice_does(any_app):
    story = new_story(any_app)
    app, contract_id = any_app, story.contract_id
    january_exits(story)
    _invoice_month(app, contract_id, "2019-01")
    staying = [ref for name, ref in story.refs.items() if name not in ("P1", "P3")]
    story.on(date(2019, 4, 5))
    assert story.relapse("P3", "2019-03-20")[0] == 201
    story.on(date(2019, 4, 20))
    app.config["CLAIM_CHECK_SHARE"] = "0"
    assert story.claim("P1", "week13", "2019-01-16")[0] == 201
    url = submit_month(story, "2019-04", [line(ref) for ref in staying], date(2019, 5, 1))

    reviewer = app.test_client()
    assert login(reviewer, "procurement@example.dk").status_code == 302
    preview = previewed(reviewer, story, "2019-04")
    assert preview.lines == [
        ("P1", "week13", "Milepæl: 13 uger", "5.000,00"),
        ("P3", "clawback_start", "Tilbageført: resultatbonus", "-2.000,00"),
    ]
    net = 5 * APRIL_FEE_AND_HOURS + Decimal("5000") - Decimal("2000")
    expected = tuple(written(v, "da") for v in (net, money(net / 4), net + money(net / 4)))
    assert (
        tuple(preview.amounts[k] for k in ("net", "vat", "total")) == expected
        and preview.credits == 0
    )
    assert story.call("POST", url + "/accept", "procurement")[0] == 200
    assert _invoice_month(app, contract_id, "2019-04") == expected

    # A correction: April's invoice is credited whole and made again, milestones and all.
    corrected = [line(ref) for ref in staying]
    corrected[0]["hours_delivered"] = "12.00"
    corrected[0]["hours_planned"] = "12.00"
    url = submit_month(story, "2019-04", corrected, date(2019, 5, 10))
    preview = previewed(reviewer, story, "2019-04")
    net += Decimal("200")
    expected = tuple(written(v, "da") for v in (net, money(net / 4), net + money(net / 4)))
    assert preview.credits == 1 and len(preview.lines) == 2
    assert tuple(preview.amounts[k] for k in ("net", "vat", "total")) == expected
    assert story.call("POST", url + "/accept", "procurement")[0] == 200
    assert _invoice_month(app, contract_id, "2019-04") == expected
