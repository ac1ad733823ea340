"""On the demo's day every role finds work waiting on its home page (issue 12): procurement a
December report to review and exit notices to decide; finance December's invoices to approve
(after `make run`'s aggregation, attestation and approval up to November, and procurement's
attestation of December); the provider its late December report and its January draft, which
it cannot submit before January has ended."""

from __future__ import annotations

import sqlalchemy as sa

from contracts.models import MonthlyReport
from contracts.services import invoicing
from provider_portal.extensions import db
from provider_portal.finance.commands import DEMO_FINANCE_EMAIL, approve_up_to, attest_month
from tests.pages import PageParts


def _books_as_make_run_leaves_them(app) -> None:
    """Every month with accepted reports invoiced, finance's approvals replayed up to November."""
    with app.app_context():
        months = db.session.scalars(
            sa.select(MonthlyReport.month).distinct().order_by(MonthlyReport.month)
        ).all()
        for month in months:
            for contract_id in invoicing.accepted_contract_ids(db.session, month):
                invoicing.invoice_contract_month(db.session, contract_id, month)
        approve_up_to("2018-11", DEMO_FINANCE_EMAIL, app.config["PORTAL_TODAY"])
        attest_month("2018-12", app.config["PORTAL_TODAY"])
        db.session.commit()


def _text(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    return PageParts(page.get_data(as_text=True)).text


def test_procurement_has_a_december_report_to_review_and_exit_notices_to_decide(client_as):
    text = _text(client_as("procurement"), "/procurement/")
    assert "Indberetninger der venter på behandling" in text
    assert "SÆR-2018-01" in text and "december 2018" in text
    assert "3 afgangsmeldinger venter på afgørelse." in text
    # The figures of the day are still the seed's, the waiting notices not counted.
    assert "107" in text and "70" in text and "37" in text


def test_the_provider_has_december_late_and_a_january_draft_it_cannot_submit_yet(client_as):
    client = client_as("provider")
    home = _text(client, "/provider/")
    assert "1 månedsindberetning er forsinket." in home
    with client.application.app_context():
        draft = db.session.scalar(
            sa.select(MonthlyReport).where(
                MonthlyReport.month == "2019-01", MonthlyReport.status == "draft"
            )
        )
        contract_id = draft.contract_id
    january = _text(client, f"/provider/contracts/{contract_id}/reports/2019-01")
    assert "Indberetningen for januar 2019 kan indsendes fra 01-02-2019" in january
    december = _text(client, f"/provider/contracts/{contract_id}/reports/2018-12")
    assert "Indberetningen er for sent på den." in december
    # December has ended: once its draft is saved, it can be submitted (no waiting notice).
    assert "kan indsendes fra" not in december


def test_finance_has_decembers_invoices_to_approve_which_procurement_attested(demo_app, client_as):
    _books_as_make_run_leaves_them(demo_app)
    text = _text(client_as("finance"), "/finance/")
    assert "Fakturaer der venter på godkendelse" in text
    assert "december 2018" in text and "november 2018" not in text
    # Procurement's queue has nothing left to attest; its home has the report and the notices.
    queue = _text(client_as("procurement"), "/procurement/invoices")
    assert "december 2018" not in queue and "november 2018" not in queue
