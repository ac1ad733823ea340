"""The database itself refuses rows that would make the data untrue, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from contracts.models import (
    AuditEvent,
    Contract,
    Enrolment,
    Invoice,
    MonthlyReport,
    Participant,
    Programme,
    Provider,
    ReportLine,
    User,
)
from provider_portal.extensions import db


def _base(session):
    # The four programmes come with the schema.
    programme = session.scalar(sa.select(Programme).where(Programme.code == "adult-employment"))
    provider = Provider(name="Nyt Fodfæste A/S", cvr="13585628")
    session.add(provider)
    session.flush()
    contract = Contract(
        reference="SÆR-2018-03",
        provider_id=provider.id,
        programme_id=programme.id,
        kind="special_effort",
        start_on=date(2018, 3, 1),
        end_on=date(2019, 8, 31),
        max_end_on=date(2019, 8, 31),
        monthly_fee=Decimal("9500.00"),
        hourly_rate=Decimal("45.00"),
        outcome_bonus=Decimal("15000.00"),
        ceiling=Decimal("3000000.00"),
    )
    participant = Participant(ref="DL-4Q7K2", pseudonym="a" * 64)
    session.add_all([contract, participant])
    session.flush()
    enrolment = Enrolment(
        participant_id=participant.id,
        contract_id=contract.id,
        start_on=date(2018, 10, 1),
        age_at_start=34,
    )
    report = MonthlyReport(contract_id=contract.id, month="2019-01")
    session.add_all([enrolment, report])
    session.flush()
    return {
        "programme": programme,
        "provider": provider,
        "contract": contract,
        "participant": participant,
        "enrolment": enrolment,
        "report": report,
    }


def _refused(session, obj_or_callable):
    """Adding the row (or running the change) fails at the database, and nothing is kept."""
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            if callable(obj_or_callable):
                obj_or_callable()
            else:
                session.add(obj_or_callable)
            session.flush()


def _line(records, **overrides):
    values = dict(
        report_id=records["report"].id,
        position=1,
        participant_id=records["participant"].id,
        enrolment_id=records["enrolment"].id,
        hours_planned=Decimal("148"),
        hours_delivered=Decimal("131.50"),
        absence_hours=Decimal("16.50"),
        status="active",
    )
    values.update(overrides)
    return ReportLine(**values)


def test_contract_rules_are_enforced(any_app):
    with any_app.app_context():
        records = _base(db.session)
        contract = records["contract"]

        def copy(**changes):
            values = {
                c.key: getattr(contract, c.key)
                for c in sa.inspect(Contract).column_attrs
                if c.key not in ("id", "created_at", "reference")
            }
            values.update(changes)
            return Contract(reference="X-" + str(len(changes)) + str(sorted(changes)), **values)

        _refused(db.session, copy(end_on=date(2018, 1, 1)))  # ends before it starts
        _refused(db.session, copy(max_end_on=date(2019, 1, 1)))  # option before the end
        _refused(db.session, copy(monthly_fee=Decimal("-1.00")))
        _refused(db.session, copy(vat_rate=Decimal("1.5")))
        _refused(db.session, copy(kind="handshake"))
        _refused(db.session, copy(provider_id=999_999))  # foreign key
        _refused(
            db.session,
            Contract(
                **{
                    **{
                        c.key: getattr(contract, c.key)
                        for c in sa.inspect(Contract).column_attrs
                        if c.key not in ("id", "created_at")
                    }
                }
            ),
        )  # same reference
        db.session.rollback()


def test_money_keeps_its_ore(any_app):
    with any_app.app_context():
        records = _base(db.session)
        db.session.commit()
        amount = db.session.scalar(sa.select(Contract.monthly_fee))
    assert amount == Decimal("9500.00") and isinstance(amount, Decimal)
    assert str(amount) == "9500.00"
    assert records


def test_report_rules_are_enforced(any_app):
    with any_app.app_context():
        records = _base(db.session)
        db.session.add(_line(records))
        db.session.flush()
        _refused(db.session, _line(records, position=2))  # the same participant twice
        _refused(
            db.session, MonthlyReport(contract_id=records["contract"].id, month="2019-01")
        )  # same version
        _refused(
            db.session, MonthlyReport(contract_id=records["contract"].id, month="2019-1", version=2)
        )
        _refused(
            db.session,
            MonthlyReport(contract_id=records["contract"].id, month="2019-02", status="rejected"),
        )  # rejected without a reason
        other = MonthlyReport(contract_id=records["contract"].id, month="2019-02")
        db.session.add(other)
        db.session.flush()
        _refused(db.session, _line(records, report_id=other.id, hours_planned=Decimal("-5")))
        _refused(db.session, _line(records, report_id=other.id, absence_hours=Decimal("200")))
        _refused(
            db.session, _line(records, report_id=other.id, status="exited")
        )  # no date, no reason
        _refused(
            db.session, _line(records, report_id=other.id, exit_reason="job")
        )  # reason on active
        _refused(
            db.session,
            _line(
                records,
                report_id=other.id,
                status="exited",
                exit_on=date(2019, 2, 3),
                exit_reason="vacation",
            ),
        )
        db.session.rollback()


def test_one_open_enrolment_per_participant(any_app):
    with any_app.app_context():
        records = _base(db.session)
        second = Enrolment(
            participant_id=records["participant"].id,
            contract_id=records["contract"].id,
            start_on=date(2019, 1, 1),
            age_at_start=34,
        )
        _refused(db.session, second)
        _refused(
            db.session,
            Enrolment(
                participant_id=records["participant"].id,
                contract_id=records["contract"].id,
                start_on=date(2018, 1, 1),
                end_on=date(2018, 2, 1),
                age_at_start=34,
            ),
        )  # ended, no reason
        records["enrolment"].end_on = date(2018, 12, 31)
        records["enrolment"].end_reason = "job"
        db.session.flush()
        db.session.add(
            Enrolment(
                participant_id=records["participant"].id,
                contract_id=records["contract"].id,
                start_on=date(2019, 1, 1),
                age_at_start=34,
            )
        )
        db.session.flush()
        db.session.rollback()


def test_invoice_totals_and_numbers_are_consistent(any_app):
    with any_app.app_context():
        records = _base(db.session)
        contract_id = records["contract"].id

        def invoice(**changes):
            values = dict(
                contract_id=contract_id,
                month="2019-01",
                vat_rate=Decimal("0.25"),
                net=Decimal("99118.43"),
                vat=Decimal("24779.61"),
                total=Decimal("123898.04"),
            )
            values.update(changes)
            return Invoice(**values)

        provider_id = records["contract"].provider_id
        numbered = dict(number_provider_id=provider_id, number_year=2019)
        first = invoice(**numbered, number_seq=1, status="approved")
        db.session.add(first)
        db.session.flush()
        _refused(db.session, invoice(version=2, total=Decimal("123898.05")))  # total ≠ net + vat
        _refused(db.session, invoice())  # a second invoice for the same contract, month and version
        _refused(db.session, invoice(version=2, **numbered, number_seq=1))  # number reused
        _refused(db.session, invoice(version=2, number_year=2019, number_seq=2))  # whose series?
        _refused(db.session, invoice(version=2, status="returned"))  # returned without a reason
        _refused(db.session, invoice(version=2, kind="credit_note"))  # credits nothing
        _refused(db.session, invoice(version=2, net=Decimal("-1.00"), total=Decimal("24778.61")))
        db.session.rollback()


def test_user_roles_and_provider_ties(any_app):
    with any_app.app_context():
        records = _base(db.session)
        _refused(db.session, User(email="a@example.dk", password_hash="x", role="provider"))
        _refused(
            db.session,
            User(
                email="b@example.dk",
                password_hash="x",
                role="finance",
                provider_id=records["provider"].id,
            ),
        )
        _refused(db.session, User(email="c@example.dk", password_hash="x", role="superuser"))
        _refused(db.session, Provider(name="Kort CVR", cvr="123"))
        db.session.rollback()


def test_audit_log_is_append_only(any_app):
    with any_app.app_context():
        event = AuditEvent(actor_label="test", action="contract.created")
        db.session.add(event)
        db.session.commit()
        event.action = "something else"
        with pytest.raises(ValueError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, event.id))
        with pytest.raises(ValueError, match="append-only"):
            db.session.flush()
        db.session.rollback()
