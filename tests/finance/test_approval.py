"""Approval: gap-free numbers per provider and year (also when two approve at once), the ceiling's
second look; invoices are attested first (test_invoice_steps.py tests that order)."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Invoice, InvoiceApproval
from contracts.services import DomainError, approval, invoice_steps
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.finance.demo_approvals import ATTESTER
from tests.finance.documents import BUYER
from tests.finance.helpers import (
    DAY,
    at,
    corrected_invoice,
    finance_actor,
    finance_viewer,
    sample_invoice,
)
from tests.scenarios import sample_scenario


def attested(session, invoice_id: int, day: date = DAY) -> int:
    """Procurement attests the invoice (when it waits for that); its id."""
    if invoice_steps.awaits_attestation(session.get(Invoice, invoice_id)):
        invoice_steps.attest(session, *ATTESTER, invoice_id, at(day))
    return invoice_id


def approve(actor, viewer, invoice_id: int, day: date = DAY, reason: str | None = None):
    """Attest, then approve as `actor` on `day`."""
    attested(db.session, invoice_id, day)
    return approval.approve(db.session, actor, viewer, invoice_id, at(day), BUYER, reason)


def _draft(session, contract_id: int, version: int) -> int:
    invoice = Invoice(
        kind="invoice",
        contract_id=contract_id,
        month="2019-01",
        version=version,
        vat_rate=Decimal("0.25"),
        net=Decimal("100.00"),
        vat=Decimal("25.00"),
        total=Decimal("125.00"),
    )
    session.add(invoice)
    session.flush()
    return invoice.id


@pytest.mark.postgres
def test_approval_numbers_invoices_and_credit_notes_in_one_series_per_year(any_app, make_user):
    with any_app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        invoice = sample_invoice(db.session)
        db.session.commit()
        first = approve(finance_actor(user), finance_viewer(user), invoice.id, DAY)
        db.session.commit()
        assert (first.number, first.status, first.approved_by_id) == (
            "2019-000001",
            "approved",
            user.id,
        )
        note, new = corrected_invoice(db.session, invoice)
        db.session.commit()
        approve(finance_actor(user), finance_viewer(user), note.id, DAY)
        approve(finance_actor(user), finance_viewer(user), new.id, date(2020, 1, 2))
        db.session.commit()
        assert (note.number, new.number) == ("2019-000002", "2020-000001")
        record = db.session.get(InvoiceApproval, invoice.id)
        assert (record.issued_on, record.due_on, record.ceiling_reason) == (
            DAY,
            date(2019, 2, 23),
            None,
        )
        events = db.session.scalars(
            sa.select(AuditEvent).filter_by(action="invoice.approved")
        ).all()
        assert sorted(e.details["number"] for e in events) == [
            "2019-000001",
            "2019-000002",
            "2020-000001",
        ]


def test_an_approved_invoice_is_not_approved_again(app, make_user):
    with app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        invoice = sample_invoice(db.session)
        approve(finance_actor(user), finance_viewer(user), invoice.id, DAY)
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            approve(finance_actor(user), finance_viewer(user), invoice.id, DAY)
        assert refused.value.status == 409 and "2019-000001" in refused.value.message


def test_only_finance_approves_and_a_provider_never_learns_of_others(app, make_user, make_provider):
    with app.app_context():
        invoice = sample_invoice(db.session)
        other = make_provider(db.session)
        buyer = make_user(db.session, "indkob@example.dk", "procurement")
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            approve(finance_actor(buyer), finance_viewer(buyer), invoice.id, DAY)
        assert refused.value.status == 403
        outsider = Viewer(user_id=None, role="provider", provider_id=other.id)
        with pytest.raises(DomainError) as hidden:
            approve(finance_actor(buyer), outsider, invoice.id, DAY)
        assert hidden.value.status == 404
        assert db.session.get(Invoice, invoice.id).status == "attested"


def test_crossing_the_ceiling_needs_a_reason_recorded_with_who_gave_it(app, make_user):
    with app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        invoice = sample_invoice(db.session)
        invoice.exceeds_ceiling = True
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            approve(finance_actor(user), finance_viewer(user), invoice.id, DAY)
        assert refused.value.status == 409 and refused.value.field == "ceiling_reason"
        with pytest.raises(DomainError) as short:
            approve(finance_actor(user), finance_viewer(user), invoice.id, DAY, "ok")
        assert short.value.status == 422
        db.session.rollback()
        assert db.session.get(Invoice, invoice.id).number is None
        approve(
            finance_actor(user),
            finance_viewer(user),
            invoice.id,
            DAY,
            "Rammen udvides ved tillæg af 3. januar",
        )
        db.session.commit()
        record = db.session.get(InvoiceApproval, invoice.id)
        assert record.ceiling_confirmed_by_id == user.id
        assert record.ceiling_reason == "Rammen udvides ved tillæg af 3. januar"
        assert db.session.get(Invoice, invoice.id).number == "2019-000001"


def test_a_rolled_back_approval_gives_its_number_back(app, make_user):
    with app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        invoice = sample_invoice(db.session)
        db.session.commit()
        approve(finance_actor(user), finance_viewer(user), invoice.id, DAY)
        db.session.rollback()
        approved = approve(finance_actor(user), finance_viewer(user), invoice.id, DAY)
        db.session.commit()
        assert approved.number == "2019-000001"


def test_two_approvals_at_once_on_postgresql_take_consecutive_numbers(pg_app, make_user):
    """Two connections approve two drafts at the same moment: the second waits for the first."""
    with pg_app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        scenario = sample_scenario(db.session)
        ids = [attested(db.session, _draft(db.session, scenario.contract_id, v)) for v in (1, 2)]
        actor, viewer = finance_actor(user), finance_viewer(user)
        db.session.commit()

    first_holds_lock = threading.Event()
    release_first = threading.Event()
    numbers: dict[int, str] = {}
    errors: list[BaseException] = []

    def approve_one(invoice_id: int, hold: bool) -> None:
        try:
            with pg_app.app_context():
                invoice = approval.approve(db.session, actor, viewer, invoice_id, at(DAY), BUYER)
                if hold:
                    first_holds_lock.set()
                    release_first.wait(10)
                db.session.commit()
                numbers[invoice_id] = invoice.number
                db.session.remove()
        except BaseException as error:  # reported by the main thread below
            errors.append(error)
            first_holds_lock.set()

    first = threading.Thread(target=approve_one, args=(ids[0], True))
    first.start()
    assert first_holds_lock.wait(10)
    second = threading.Thread(target=approve_one, args=(ids[1], False))
    second.start()
    time.sleep(0.5)
    # The second approval is waiting on the year's counter row, not numbering past it.
    assert second.is_alive() and ids[1] not in numbers
    release_first.set()
    first.join(10)
    second.join(10)
    assert not errors, errors
    assert numbers == {ids[0]: "2019-000001", ids[1]: "2019-000002"}


def test_two_approvals_of_the_same_invoice_on_postgresql_give_one_number(pg_app, make_user):
    with pg_app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        scenario = sample_scenario(db.session)
        invoice_id = attested(db.session, _draft(db.session, scenario.contract_id, 1))
        actor, viewer = finance_actor(user), finance_viewer(user)
        db.session.commit()

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve_once() -> None:
        with pg_app.app_context():
            barrier.wait(10)
            try:
                outcomes.append(
                    approval.approve(db.session, actor, viewer, invoice_id, at(DAY), BUYER).number
                )
                db.session.commit()
            except DomainError as refused:
                db.session.rollback()
                outcomes.append(f"refused {refused.status}")
            db.session.remove()

    threads = [threading.Thread(target=approve_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["2019-000001", "refused 409"]
    with pg_app.app_context():
        assert db.session.scalar(sa.select(sa.func.max(Invoice.number_seq))) == 1
