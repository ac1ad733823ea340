"""A provider corrects an invoiced report from its own page: a new version, reviewed and accepted
as any report, after which the month's aggregation credits the old invoice and invoices anew."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from contracts.models import Contract, Invoice
from contracts.services import invoicing
from provider_portal.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_report, sample_report
from tests.pages import PageParts
from tests.report_files.reporting import (
    API,
    PAGE,
    bearer,
    page_client,
    people,
    stored,
    upload,
    versions,
)


def _invoiced_month(app, contract_id: int) -> None:
    """January's sample report accepted and invoiced, on a day after the month."""
    app.config["PORTAL_TODAY"] = date(2019, 2, 15)
    with app.app_context():
        make_report(db.session, db.session.get(Contract, contract_id), sample_report())
        invoicing.invoice_contract_month(db.session, contract_id, "2019-01")
        db.session.commit()


def _invoices(app, contract_id: int) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            sa.select(Invoice.kind, Invoice.version, Invoice.total, Invoice.credited_invoice_id)
            .where(Invoice.contract_id == contract_id, Invoice.month == "2019-01")
            .order_by(Invoice.id)
        ).all()


def test_the_invoiced_reports_page_offers_the_correction_and_says_what_follows(app):
    team = people(app)
    _invoiced_month(app, team.contract_id)
    page = PageParts(page_client(app).get(PAGE.format(team.contract_id)).get_data(as_text=True))
    correction = " ".join(page.xpath("//section[contains(@class, 'correction')]//text()"))
    assert "kreditnota" in correction and "ny faktura" in correction
    assert page.find_all("input", type="file") and page.find_all("table", class_="report-form")
    # The form starts from what was invoiced, with the decimal comma of a Danish page.
    planned = page.xpath("//input[contains(@name, '-hours_planned')]/@value")
    invoiced = [f"{line[1]:.2f}".replace(".", ",") for line in stored(app, team.contract_id)]
    assert sorted(planned) == sorted(invoiced)


def test_a_correction_from_the_page_gives_one_credit_note_and_one_new_invoice(app):
    team = people(app)
    _invoiced_month(app, team.contract_id)
    ((old_kind, _, old_total, _),) = _invoices(app, team.contract_id)
    browser = page_client(app)

    # A bad correction is refused whole: no new version.
    refused = upload(browser, team.contract_id, b"deltager;status\r\nDL-4Q7K2;aktiv\r\n")
    assert refused.status_code == 422 and versions(app, team.contract_id) == [(1, "invoiced", 7)]

    corrected = sample_report(corrected=True)
    assert upload(browser, team.contract_id, corrected).status_code == 302
    assert versions(app, team.contract_id) == [(1, "invoiced", 7), (2, "draft", 7)]
    assert ("DL-9XW3M", Decimal("148.00"), Decimal("140.00")) in [
        line[:3] for line in stored(app, team.contract_id)
    ]

    token = csrf_token(browser.get(PAGE.format(team.contract_id)).get_data(as_text=True))
    assert (
        browser.post(
            PAGE.format(team.contract_id) + "/submit", data={"csrf_token": token}
        ).status_code
        == 302
    )
    accepted = app.test_client().post(
        API.format(team.contract_id) + "/accept", headers=bearer(team.procurement_token)
    )
    assert accepted.status_code == 200, accepted.get_json()

    with app.app_context():
        for _ in range(2):  # the month aggregated again changes nothing
            invoicing.invoice_contract_month(db.session, team.contract_id, "2019-01")
        db.session.commit()
    invoices = _invoices(app, team.contract_id)
    assert [(kind, version) for kind, version, _, _ in invoices] == [
        ("invoice", 1),
        ("credit_note", 1),
        ("invoice", 2),
    ]
    (_, _, _, _), (_, _, note_total, credited), (_, _, new_total, _) = invoices
    with app.app_context():
        first_id = db.session.scalar(
            sa.select(Invoice.id).where(
                Invoice.contract_id == team.contract_id,
                Invoice.version == 1,
                Invoice.kind == "invoice",
            )
        )
    assert credited == first_id and note_total == old_total
    # 8 hours fewer at DKK 45.00 plus 25 % VAT.
    assert old_total - new_total == Decimal("450.00")
    assert versions(app, team.contract_id) == [(1, "invoiced", 7), (2, "invoiced", 7)]
