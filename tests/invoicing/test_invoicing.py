"""Invoices from accepted reports: the sample invoice to the øre, exactly once, corrections credited."""

from decimal import Decimal

import sqlalchemy as sa

from contracts.models import Contract, Invoice, InvoiceLine, MonthlyReport
from contracts.rules.pricing import invoice_totals, price_line
from contracts.services import invoicing
from provider_portal.extensions import db
from tests.factories import make_report, sample_report
from tests.scenarios import sample_scenario

# The sample invoice of tests/data/samples/README.md.
EXPECTED = {
    "DL-4Q7K2": (31, "9500.00", "5917.50", "0.00", "15417.50"),
    "DL-9XW3M": (31, "9500.00", "6660.00", "0.00", "16160.00"),
    "DL-2HB8R": (16, "4903.23", "2700.00", "15000.00", "22603.23"),
    "DL-7TZ5C": (31, "9500.00", "5411.25", "0.00", "14911.25"),
    "DL-3PJ6N": (10, "3064.52", "945.00", "0.00", "4009.52"),
    "DL-8KD4V": (19, "5822.58", "4275.00", "15000.00", "25097.58"),
    "DL-5MR2F": (3, "919.35", "0.00", "0.00", "919.35"),
}


def lines_of(session, invoice):
    rows = session.execute(
        sa.select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
    ).scalars()
    from contracts.models import Participant

    return {
        session.get(Participant, line.participant_id).ref: (
            line.days,
            str(line.base_fee),
            str(line.hours_amount),
            str(line.bonus),
            str(line.amount),
        )
        for line in rows
    }


def test_the_sample_invoice_comes_out_to_the_ore(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(db.session, contract, sample_report("report-2019-01-excel-da.csv"))
        invoice = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        db.session.expire_all()
        invoice = db.session.get(Invoice, invoice.id)
        assert lines_of(db.session, invoice) == EXPECTED
        assert (str(invoice.net), str(invoice.vat), str(invoice.total)) == (
            "99118.43",
            "24779.61",
            "123898.04",
        )
        assert invoice.kind == "invoice" and invoice.status == "draft" and invoice.number is None
        assert db.session.get(MonthlyReport, invoice.report_id).status == "invoiced"
        assert not invoice.exceeds_ceiling


def test_a_worker_prepares_the_statements_without_writing_or_changing_an_invoice(any_app):
    """worker.py compiles the invoicing statements before it forks; that must touch no row."""
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(db.session, contract, sample_report("report-2019-01-excel-da.csv"))
        db.session.commit()
        invoicing.prepare(db.session)
        counts = [
            db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in (Invoice, InvoiceLine)
        ]
        db.session.rollback()
        assert counts == [0, 0]
        invoice = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        assert (str(invoice.net), str(invoice.total)) == ("99118.43", "123898.04")


def test_the_sql_agrees_with_the_decimal_reference():
    # The rule in Decimal gives the same figures as the SQL above: one definition, two proofs.
    line = price_line(
        Decimal("9500.00"),
        Decimal("45.00"),
        Decimal("15000.00"),
        16,
        31,
        Decimal("60"),
        "job",
        False,
    )
    assert (line.base_fee, line.hours_amount, line.bonus, line.amount) == (
        Decimal("4903.23"),
        Decimal("2700.00"),
        Decimal("15000.00"),
        Decimal("22603.23"),
    )
    amounts = [Decimal(v[4]) for v in EXPECTED.values()]
    assert invoice_totals(amounts, Decimal("0.25")) == (
        Decimal("99118.43"),
        Decimal("24779.61"),
        Decimal("123898.04"),
    )


def test_running_the_month_again_changes_nothing(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(db.session, contract, sample_report("report-2019-01.json"), json=True)
        first = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        again = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        assert again.id == first.id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine)) == 7


def test_a_correction_after_invoicing_is_credited_and_invoiced_anew(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(db.session, contract, sample_report())
        old = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        # The provider finds DL-9XW3M delivered 140 hours, not 148: version 2 of the report.
        report = make_report(db.session, contract, sample_report(corrected=True))
        assert report.version == 2
        new = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        invoices = db.session.scalars(sa.select(Invoice).order_by(Invoice.id)).all()
        assert [(i.kind, i.version) for i in invoices] == [
            ("invoice", 1),
            ("credit_note", 1),
            ("invoice", 2),
        ]
        note = invoices[1]
        assert note.credited_invoice_id == old.id and note.total == old.total and note.total > 0
        assert new.net == old.net - Decimal("360.00")  # 8 hours × 45 kr.
        # The bonuses of the credited invoice are paid again on the new one, once.
        assert lines_of(db.session, new)["DL-2HB8R"][3] == "15000.00"


def test_the_outcome_bonus_is_paid_once_per_participant_and_contract(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(db.session, contract, sample_report())
        invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        bonuses = db.session.scalar(sa.select(sa.func.sum(InvoiceLine.bonus)))
        assert Decimal(str(bonuses)) == Decimal("30000.00")


def test_an_invoice_past_the_ceiling_is_flagged(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        contract.ceiling = Decimal("50000.00")
        make_report(db.session, contract, sample_report())
        invoice = invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        db.session.commit()
        assert invoice.exceeds_ceiling


def test_the_sample_month_scores(any_app):
    from contracts.services import score_tables, scoring

    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(db.session, contract, sample_report("report-2019-01-excel-da.csv"))
        written = scoring.compute_month(db.session, "2019-01")
        assert scoring.compute_month(db.session, "2019-01") == written  # replaced, not added
        db.session.commit()
        for scope, scope_id in [
            ("all", 0),
            ("contract", contract.id),
            ("provider", contract.provider_id),
            ("programme", contract.programme_id),
        ]:
            for cumulative in (False, True):
                figures = score_tables.figures(db.session, scope, scope_id, "2019-01", cumulative)
                body = figures.as_json()
                assert (
                    body["participants"],
                    body["active_end"],
                    body["exits"],
                    body["positive"],
                    body["benefit_stopped"],
                    body["other"],
                ) == (7, 3, 4, 2, 1, 1)
                assert body["outcome_rate"] == "0.5000"
                assert figures.hours_delivered == Decimal("575.75")
                assert figures.hours_planned == Decimal("680.75")
                assert body["delivery_rate"] == "0.8458" and body["absence_rate"] == "0.1322"
                assert body["score"] is None  # fewer than 5 exits
                # Wilson's 95 % interval for 2 of 4 is 0.150 to 0.850.
                assert body["outcome_rate_ci"] == [0.15, 0.85]
