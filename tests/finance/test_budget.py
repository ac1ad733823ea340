"""The annual budget statement: what counts, the burn-down chart, the PDF read back (the forecast
and the committed spend: tests/finance/test_budget_forecast.py)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.documents import charts, pdf
from contracts.documents.budget import (
    BudgetStatement,
    ContractRate,
    ProgrammeSpend,
    budget_statement_pdf,
    burndown_svg,
)
from contracts.models import Invoice
from contracts.rules.periods import COPENHAGEN
from contracts.services import invoice_steps
from contracts.services.audit import Actor
from contracts.services.budget import budget_statement
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.api.conftest import bearer
from tests.conftest import login
from tests.finance.demo_approvals import ATTESTER, approve_demo, approve_invoice
from tests.finance.documents import BUYER, DAY, RENDERER, STATIC
from tests.finance.helpers import FINANCE, corrected_invoice, sample_invoice
from tests.finance.queue import pdf_text, queued_api_pdf, queued_pdf

BUDGET = Decimal("12600000.00")
APPROVER = (Actor("okonomi@example.dk"), FINANCE)
D = Decimal


def statement_of(months: dict[int, str], waiting: str = "0.00") -> BudgetStatement:
    amounts = tuple(D(months.get(m, "0.00")) for m in range(1, 13))
    rates = tuple(
        ContractRate("SÆR-2018-03", ((f"2018-{m:02d}", amounts[m - 1]),))
        for m in sorted(months)[-1:]
    )
    return BudgetStatement(
        2018,
        BUDGET,
        BUYER,
        date(2019, 1, 24),
        (ProgrammeSpend(3, "adult-employment", "Beskæftigelsesrettet forløb", amounts),),
        D(waiting),
        rates,
    )


def test_the_burn_down_chart_is_deterministic_danish_and_plain_svg():
    statement = statement_of({3: "2100000.00", 4: "2100000.00"})
    svg = burndown_svg(statement)
    assert svg == burndown_svg(statement)
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert labels[:12] == [
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ]
    assert {"10,0 mio.", "0,0 mio.", "Budget", "Tilbage af budget", "Prognose"} <= set(labels)
    # Overspending is drawn below zero, not clipped: 12,6 mio. less 10 months at 2,1 mio.
    assert "-5,0 mio." in labels
    assert 'href="http' not in svg and "<image" not in svg and "<script" not in svg
    with pytest.raises(ValueError):
        charts.burndown_chart(
            ["jan"],
            [],
            [],
            BUDGET,
            remaining_label="r",
            forecast_label="f",
            budget_label="b",
            tick_label=str,
        )


def test_approved_invoices_less_approved_credit_notes_net_per_programme_and_month(app):
    with app.app_context():
        invoice = sample_invoice(db.session)
        approve_invoice(db.session, invoice.id, DAY, APPROVER)
        statement = budget_statement(db.session, FINANCE, 2019, BUDGET, BUYER, DAY)
        adult = next(p for p in statement.programmes if p.code == "adult-employment")
        assert adult.months[0] == D("99118.43") and statement.invoiced == D("99118.43")
        assert [p.code for p in statement.programmes] == [
            "youth-bridging",
            "youth-placement",
            "adult-employment",
            "utility-work",
        ]
        note, new = corrected_invoice(db.session, invoice)
        approve_invoice(db.session, note.id, DAY, APPROVER)
        statement = budget_statement(db.session, FINANCE, 2019, BUDGET, BUYER, DAY)
        # Credited in full; the new invoice is a draft, waiting and not counted.
        assert statement.invoiced == D("0.00") and statement.waiting_net == D("98758.43")
        # Attested, it waits for finance still: waiting, not yet invoiced.
        moment = datetime.combine(DAY, time(12), tzinfo=COPENHAGEN)
        invoice_steps.attest(db.session, *ATTESTER, new.id, moment)
        statement = budget_statement(db.session, FINANCE, 2019, BUDGET, BUYER, DAY)
        assert statement.invoiced == D("0.00") and statement.waiting_net == D("98758.43")
        approve_invoice(db.session, new.id, DAY, APPROVER)
        statement = budget_statement(db.session, FINANCE, 2019, BUDGET, BUYER, DAY)
        assert statement.invoiced == D("98758.43") and statement.remaining == D("12501241.57")
        assert budget_statement(db.session, FINANCE, 2018, BUDGET, BUYER, DAY).invoiced == D("0.00")
        with pytest.raises(Exception) as refused:
            budget_statement(
                db.session,
                Viewer(None, "provider", invoice.contract.provider_id),
                2019,
                BUDGET,
                BUYER,
                DAY,
            )
        assert refused.value.status == 403


@pytest.fixture
def approved_2018(app):
    """The demo with 2018 approved as `approve-demo` does; returns 2018's net, summed invoice by invoice."""
    approve_demo(app, "2018-12")
    with app.app_context():
        rows = db.session.execute(
            sa.select(Invoice.kind, Invoice.net).where(
                Invoice.status == "approved", Invoice.month.like("2018-%")
            )
        ).all()
    return sum((net if kind == "invoice" else -net for kind, net in rows), D("0"))


def test_the_budget_pdf_of_the_demo_year_shows_the_danish_totals_and_fetches_nothing(
    app, approved_2018, monkeypatch
):
    from contracts.documents.formatting import money

    fetched = []
    original = pdf.StaticOnlyFetcher.fetch
    monkeypatch.setattr(
        pdf.StaticOnlyFetcher,
        "fetch",
        lambda self, url, headers=None: (fetched.append(url), original(self, url, headers))[1],
    )
    with app.app_context():
        statement = budget_statement(db.session, FINANCE, 2018, BUDGET, BUYER, date(2019, 1, 24))
        data = budget_statement_pdf(RENDERER, statement)
    assert statement.invoiced == approved_2018 > 0
    assert fetched == [(STATIC / "pdf" / "document.css").as_uri()]  # the chart is inline SVG
    text = pdf_text(data)
    for expected in [
        "Budgetopfølgning 2018",
        "Årets budget 12.600.000,00 kr.",
        f"Faktureret (godkendt, ekskl. moms) {money(approved_2018)}",
        f"Tilbage af budgettet {money(BUDGET - approved_2018)}",
        "Prognose",
        "Tilbage af budget",
        "marts 2018",
        "december 2018",
        "opgjort pr. 24-01-2019",
        "Side 1 af",
    ]:
        assert expected in text, expected
    pages = text.count("Københavns Kommune · Beskæftigelses- og Integrationsforvaltningen")
    assert pages >= 2 and f"Side {pages} af {pages}" in text  # header and page number on every page


def test_the_budget_pdf_through_the_api_for_finance_and_procurement_only(
    app, client, make_token, approved_2018, monkeypatch
):
    from contracts.documents.formatting import money

    for role in ("finance", "procurement"):
        token = make_token(app, f"{role}@example.dk", role)
        data = queued_api_pdf(app, client, monkeypatch, "/api/v1/budget/2018.pdf", bearer(token))
        assert money(approved_2018) in pdf_text(data)
    for role in ("admin",):
        token = make_token(app, f"{role}@example.dk", role)
        assert client.get("/api/v1/budget/2018.pdf", headers=bearer(token)).status_code == 403
    token = make_token(app, "x@example.dk", "finance")
    assert client.get("/api/v1/budget/1999.pdf", headers=bearer(token)).status_code == 404
    spec = client.get("/api/v1/openapi.json").get_json()
    answers = spec["paths"]["/api/v1/budget/{year}.pdf"]["get"]["responses"]
    assert answers["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/QueuedDocument"
    }
    assert "200" not in answers


def test_finance_downloads_the_budget_statement_from_the_home_page(
    app, client, make_user, approved_2018, monkeypatch
):
    from contracts.documents.formatting import money

    with app.app_context():
        make_user(db.session, "okonomi@example.dk", "finance")
        db.session.commit()
    login(client, "okonomi@example.dk")
    home = client.get("/finance/").get_data(as_text=True)
    assert 'href="/finance/budget/2018.pdf"' in home and 'href="/finance/budget/2019.pdf"' in home
    data = queued_pdf(app, client, monkeypatch, "/finance/budget/2018.pdf")
    assert money(approved_2018) in pdf_text(data)
