"""The demo as a working municipality on 24 January 2019: 2018 up to November approved and
numbered by `approve-demo` (as `make run` does), attested by procurement the day before finance
approved them, December's invoices waiting for procurement's attestation (January
has not ended, so it is not invoiced); every e-invoice of it, and a credit note, valid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.documents import ubl
from contracts.models import Invoice, InvoiceApproval, User
from contracts.rules.periods import COPENHAGEN
from contracts.services import invoicing
from contracts.services.audit import Actor
from contracts.services.invoice_documents import invoice_document
from provider_portal.extensions import db
from provider_portal.finance import commands
from tests.finance.demo_approvals import approve_invoice
from tests.finance.demo_books import invoice_demo
from tests.finance.documents import BUYER, three_layers
from tests.finance.helpers import FINANCE


@pytest.fixture
def books(app):
    """The demo with every month up to January 2019 invoiced as drafts, committed."""
    with app.app_context():
        made = invoice_demo(db.session, app.config["PSEUDONYM_KEY"].encode())
        db.session.commit()
    commands.register(app)
    return made


def test_approve_demo_approves_2018_in_month_order_and_leaves_december_waiting(app, books):
    result = app.test_cli_runner().invoke(args=["approve-demo", "--up-to", "2018-11"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                Invoice.month,
                Invoice.status,
                Invoice.number_provider_id,
                Invoice.number_year,
                Invoice.number_seq,
                InvoiceApproval.issued_on,
                InvoiceApproval.approved_by_id,
            )
            .outerjoin(InvoiceApproval, InvoiceApproval.invoice_id == Invoice.id)
            .order_by(Invoice.month, Invoice.id)
        ).all()
        finance_id = db.session.scalar(sa.select(User.id).where(User.email == "okonomi@demo.dk"))
        procurement_id = db.session.scalar(sa.select(User.id).where(User.email == "indkob@demo.dk"))
        steps = db.session.execute(
            sa.select(Invoice.attested_by_id, Invoice.attested_at, Invoice.approved_at).where(
                Invoice.month <= "2018-11"
            )
        ).all()
    assert {attester for attester, *_ in steps} == {procurement_id}
    assert all(attested < approved for _, attested, approved in steps)
    assert len(rows) == books
    done = [r for r in rows if r.month <= "2018-11"]
    waiting = [r for r in rows if r.month == "2018-12"]
    assert done and waiting
    # January 2019 has not ended on the demo's day: nothing of it is invoiced.
    assert {r.month for r in rows} == {f"2018-{m:02d}" for m in range(3, 13)}
    assert all(r.status == "approved" and r.approved_by_id == finance_id for r in done)
    # December's accepted reports (one waits for review, one is late) wait for finance.
    assert len(waiting) == 4
    assert all(r.status == "draft" and r.number_seq is None for r in waiting)
    # Approved the 15th of the month after: numbered in 2018, each provider's series gap-free
    # in month order.
    series = {r.number_provider_id for r in done}
    assert len(series) > 1
    for provider_id in series:
        numbers = [r.number_seq for r in done if r.number_provider_id == provider_id]
        assert numbers == list(range(1, len(numbers) + 1))
    assert {r.number_year for r in done} == {2018}
    assert [r.issued_on for r in done][:1] == [date(2018, 4, 15)]
    assert {r.issued_on for r in done if r.month == "2018-11"} == {date(2018, 12, 15)}
    assert "Attested and approved" in result.output
    again = app.test_cli_runner().invoke(args=["approve-demo", "--up-to", "2018-11"])
    assert again.exit_code == 0 and "Nothing to approve" in again.output


def test_as_make_run_calls_it_december_is_attested_and_waits_for_finance(app, books):
    """Every role has work on the demo's day: December's invoices wait for finance's approval,
    attested by procurement the day before (23 January 2019)."""
    result = app.test_cli_runner().invoke(
        args=["approve-demo", "--up-to", "2018-11", "--attest-also", "2018-12"]
    )
    assert result.exit_code == 0, result.output
    assert "Attested 4 invoice(s) of 2018-12" in result.output
    with app.app_context():
        december = db.session.execute(
            sa.select(Invoice.status, Invoice.attested_at, Invoice.number_seq).where(
                Invoice.month == "2018-12"
            )
        ).all()
    assert len(december) == 4
    assert {(status, number) for status, _, number in december} == {("attested", None)}
    assert {at.astimezone(COPENHAGEN).date() for _, at, _ in december} == {date(2019, 1, 23)}
    bad = app.test_cli_runner().invoke(
        args=["approve-demo", "--up-to", "2018-11", "--attest-also", "december"]
    )
    assert bad.exit_code != 0 and "must be months" in bad.output


def test_approve_demo_refuses_the_current_month_and_a_missing_user(app, books):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["approve-demo", "--up-to", "2019-01"]).exit_code != 0
    assert runner.invoke(args=["approve-demo", "--up-to", "2018-13"]).exit_code != 0
    missing = runner.invoke(
        args=["approve-demo", "--up-to", "2018-12", "--email", "nobody@demo.dk"]
    )
    assert missing.exit_code != 0 and "no active finance user" in missing.output
    with app.app_context():
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(Invoice.status == "approved")) == 0
        )


def test_every_e_invoice_of_the_approved_demo_months_and_a_credit_note_pass_all_three_layers(
    app, books
):
    assert app.test_cli_runner().invoke(args=["approve-demo", "--up-to", "2018-12"]).exit_code == 0
    validator = three_layers()
    with app.app_context():
        ids = db.session.scalars(
            sa.select(Invoice.id).where(Invoice.status == "approved").order_by(Invoice.id)
        ).all()
        assert len(ids) >= 30
        failures = {}
        for invoice_id in ids:
            report = validator.validate(ubl.build(invoice_document(db.session, invoice_id, BUYER)))
            if not report.valid:
                failures[invoice_id] = report.errors
        assert failures == {}
        # A correction of an approved demo invoice: its credit note, approved, is valid too.
        credited = db.session.get(Invoice, ids[-1])
        note = invoicing.credit(db.session, credited)
        approve_invoice(db.session, note.id, date(2019, 1, 24), (Actor("test"), FINANCE))
        doc = invoice_document(db.session, note.id, BUYER)
        report = validator.validate(ubl.build(doc))
    assert report.valid, report.errors
    assert doc.is_credit_note and doc.total == credited.total and doc.total > Decimal(0)
