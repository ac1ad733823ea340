"""Migration 0006 on SQLite and PostgreSQL: an enrolment may end as `withdrawn` (registered by
mistake) and no other new reason; going down is refused while such an enrolment exists, and
the copied SQLite table keeps its one-open-enrolment-per-participant rule."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from contracts.models import Enrolment, Participant
from provider_portal.extensions import db
from tests.scenarios import sample_scenario


def _insert(connection, participant_id: int, contract_id: int, end_reason: str | None) -> None:
    connection.execute(
        sa.insert(Enrolment.__table__).values(
            participant_id=participant_id,
            contract_id=contract_id,
            start_on=date(2019, 1, 7),
            end_on=date(2019, 1, 7) if end_reason else None,
            end_reason=end_reason,
            age_at_start=40,
            created_at=sa.func.now(),
        )
    )


def _people(app) -> tuple[int, int]:
    """A contract, and a participant not yet enrolled in it, committed."""
    with app.app_context():
        scenario = sample_scenario(db.session, refs=[])
        participant = Participant(ref="DL-M0001", pseudonym="m" * 64)
        db.session.add(participant)
        db.session.commit()
        return scenario.contract_id, participant.id


def test_an_enrolment_may_end_as_withdrawn_and_as_nothing_unknown(any_app):
    contract_id, participant_id = _people(any_app)
    with any_app.app_context():
        with db.engine.begin() as connection:
            _insert(connection, participant_id, contract_id, "withdrawn")
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            _insert(connection, participant_id, contract_id, "mistake")


def test_going_down_is_refused_while_a_withdrawn_enrolment_exists_and_works_after(any_app, capfd):
    contract_id, participant_id = _people(any_app)
    with any_app.app_context():
        with db.engine.begin() as connection:
            _insert(connection, participant_id, contract_id, "withdrawn")
        downgrade(revision="0006")  # the later revisions have nothing to refuse here
        db.engine.dispose()
        with pytest.raises(SystemExit):  # Flask-Migrate logs the refusal and exits
            downgrade(revision="0005")
        assert "1 enrolments ended as registered by mistake" in capfd.readouterr().err
        db.engine.dispose()
        with db.engine.begin() as connection:
            # Still at 0006, the enrolment still there.
            assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0006"
            assert connection.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
            connection.execute(sa.delete(Enrolment.__table__))
        downgrade(revision="0005")
        db.engine.dispose()
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            _insert(connection, participant_id, contract_id, "withdrawn")
        db.engine.dispose()
        upgrade()
        db.engine.dispose()
        with db.engine.begin() as connection:
            _insert(connection, participant_id, contract_id, "withdrawn")


def test_the_table_keeps_one_open_enrolment_per_participant(any_app):
    contract_id, participant_id = _people(any_app)
    with any_app.app_context():
        with db.engine.begin() as connection:
            # Ended ones may be many: a withdrawn one and an exit beside the open one.
            _insert(connection, participant_id, contract_id, "withdrawn")
            _insert(connection, participant_id, contract_id, "job")
            _insert(connection, participant_id, contract_id, None)
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            _insert(connection, participant_id, contract_id, None)
        with db.engine.connect() as connection:
            count = connection.scalar(sa.select(sa.func.count()).select_from(Enrolment))
    assert count == 3


def test_a_withdrawn_enrolment_does_not_count_in_sql_or_in_python(any_app):
    contract_id, participant_id = _people(any_app)
    with any_app.app_context():
        with db.engine.begin() as connection:
            for reason in ("withdrawn", "transferred", "job", None):
                _insert(connection, participant_id, contract_id, reason)
        counted = db.session.scalars(
            sa.select(Enrolment.end_reason).where(Enrolment.counts).order_by(Enrolment.id)
        ).all()
        assert counted == ["transferred", "job", None]
        assert [
            e.counts for e in db.session.scalars(sa.select(Enrolment).order_by(Enrolment.id))
        ] == [
            False,
            True,
            True,
            True,
        ]
