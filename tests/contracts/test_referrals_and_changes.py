"""Referrals by CPR number, extensions by amendment, and the changeover to successor contracts."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contracts.models import Amendment, AuditEvent, Contract, Enrolment, Participant
from contracts.services import DomainError
from contracts.services.audit import Actor
from contracts.services.contract_changes import changeover, extend
from contracts.services.referrals import refer
from provider_portal.extensions import db
from tests.conftest import PSEUDONYM_KEY
from tests.factories import programme
from tests.scenarios import sample_scenario

KEY = PSEUDONYM_KEY.encode()
STAFF = Actor("indkob@example.dk")
ADULT_CPR = "150785-1234"  # born 15 July 1985: 33 in January 2019
YOUNG_CPR = "010200-4321"  # born 1 February 2000: 18 in January 2019


def everything_stored(session) -> str:
    """Every value of every table as text, to search for what must never be stored."""
    from contracts.models import Base

    out = []
    for table in Base.metadata.sorted_tables:
        for row in session.execute(sa.select(table)).all():
            out.append(repr(tuple(row)))
    return "\n".join(out)


def test_referral_pseudonymises_and_forgets_the_cpr_number(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        referral = refer(db.session, STAFF, ADULT_CPR, scenario.contract_id, date(2019, 1, 7), KEY)
        db.session.commit()
        assert referral.participant_ref.startswith("DL-") and len(referral.participant_ref) == 8
        stored = everything_stored(db.session)
        for form in ("150785-1234", "1507851234", "150785"):
            assert form not in stored
        enrolment = db.session.get(Enrolment, referral.enrolment_id)
        assert enrolment.age_at_start == 33 and enrolment.start_on == date(2019, 1, 7)


def test_the_same_citizen_is_recognised_and_has_one_open_enrolment(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        first = refer(db.session, STAFF, ADULT_CPR, scenario.contract_id, date(2019, 1, 7), KEY)
        with pytest.raises(DomainError, match="one open enrolment") as refused:
            refer(db.session, STAFF, "1507851234", scenario.contract_id, date(2019, 1, 8), KEY)
        # The refusal does not map the CPR number to the participant's reference or course.
        assert first.participant_ref not in refused.value.message
        assert "2019" not in refused.value.message
        enrolment = db.session.get(Enrolment, first.enrolment_id)
        enrolment.end_on, enrolment.end_reason = date(2019, 1, 20), "moved"
        again = refer(db.session, STAFF, ADULT_CPR, scenario.contract_id, date(2019, 1, 21), KEY)
        assert again.participant_ref == first.participant_ref
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 8


@pytest.mark.parametrize(
    "cpr, words",
    [
        ("123", "not a valid CPR number"),
        ("320185-1234", "not a valid CPR number"),  # 32 January
        (YOUNG_CPR, "30 and over"),  # 18 in an adult programme
    ],
)
def test_bad_referrals_are_refused_without_echoing_the_number(any_app, cpr, words):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        with pytest.raises(DomainError) as caught:
            refer(db.session, STAFF, cpr, scenario.contract_id, date(2019, 1, 7), KEY)
        assert words in caught.value.message
        assert cpr not in caught.value.message and cpr.replace("-", "") not in caught.value.message


def test_extension_up_to_the_option_and_refused_past_it(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        contract.end_on, contract.max_end_on = date(2019, 2, 28), date(2019, 8, 31)
        with pytest.raises(DomainError, match="extension option runs to 2019-08-31"):
            extend(db.session, STAFF, contract, date(2019, 9, 30), "for lang", date(2019, 1, 24))
        with pytest.raises(DomainError, match="needs a reason"):
            extend(db.session, STAFF, contract, date(2019, 8, 31), " ", date(2019, 1, 24))
        assert contract.end_on == date(2019, 2, 28)
        amendment = extend(
            db.session, STAFF, contract, date(2019, 8, 31), "Genudbud i gang", date(2019, 1, 24)
        )
        db.session.commit()
        assert (amendment.old_value, amendment.new_value) == ("2019-02-28", "2019-08-31")
        assert contract.end_on == date(2019, 8, 31)
        assert (
            db.session.scalar(
                sa.select(AuditEvent.action).where(
                    AuditEvent.record_id == contract.id, AuditEvent.record_type == "contract"
                )
            )
            == "contract.extended"
        )
        # Over by its dates (no job has to write "ended" on the day), or terminated: 409.
        with pytest.raises(DomainError) as caught:
            extend(db.session, STAFF, contract, date(2019, 8, 31), "x", date(2019, 9, 2))
        assert caught.value.status == 409 and "ended" in caught.value.message
        contract.status = "terminated"
        with pytest.raises(DomainError) as caught:
            extend(db.session, STAFF, contract, date(2019, 8, 31), "x", date(2019, 1, 24))
        assert caught.value.status == 409 and "terminated" in caught.value.message
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Amendment)) == 1


def test_changeover_moves_the_active_participants_once(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        old = db.session.get(Contract, scenario.contract_id)
        new = Contract(
            reference="SÆR-2019-03",
            provider_id=old.provider_id,
            programme_id=old.programme_id,
            kind="special_effort",
            status="draft",
            start_on=date(2019, 9, 1),
            end_on=date(2021, 8, 31),
            max_end_on=date(2022, 8, 31),
            monthly_fee=Decimal("9800.00"),
            hourly_rate=Decimal("46.00"),
            outcome_bonus=Decimal("15000.00"),
            ceiling=Decimal("3000000.00"),
            predecessor_id=old.id,
        )
        db.session.add(new)
        gone = db.session.get(Enrolment, scenario.enrolment_ids["DL-5MR2F"])
        gone.end_on, gone.end_reason = date(2019, 1, 3), "imprisonment"
        db.session.flush()
        assert changeover(db.session, date(2019, 9, 1)) == 6
        assert changeover(db.session, date(2019, 9, 1)) == 0
        db.session.commit()
        moved = db.session.scalars(
            sa.select(Enrolment).where(Enrolment.contract_id == new.id)
        ).all()
        assert len(moved) == 6 and {e.start_on for e in moved} == {date(2019, 9, 1)}
        ended = db.session.scalars(
            sa.select(Enrolment).where(Enrolment.end_reason == "transferred")
        ).all()
        assert len(ended) == 6 and {e.end_on for e in ended} == {date(2019, 8, 31)}
        assert (old.status, new.status) == ("ended", "active")
        assert programme(db.session).code == "adult-employment"
