"""The demo tells the seed's story on 24 January 2019 with work left to do (issue 12):
2018 reported and accepted, December partly waiting, January not yet reportable, January's
exits as confirmed notices (so the figures are the seed's), a few notices waiting, and a
timeline that stays on the demo's calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from contracts.models import Base, Contract, Enrolment, MonthlyReport, Notice, Participant
from contracts.rules.periods import COPENHAGEN
from contracts.rules.report_calendar import report_month
from contracts.services import DomainError, reports
from contracts.services.audit import Actor
from contracts.services.demo import (
    DEMO_TODAY,
    load_demo,
    plan_citizens,
    plan_notices,
    plan_reports,
)
from contracts.services.figures import EffortTotals, effort_totals

SEED_FIGURES = EffortTotals(
    participants=107, active=70, exits=37, positive=6, benefit_stopped=17, other=14
)
# The last moment of the demo's day, in Copenhagen.
END_OF_DEMO_DAY = datetime.combine(DEMO_TODAY + timedelta(days=1), time(), tzinfo=COPENHAGEN)
# Moments planned ahead rather than recorded: a tender's deadline lies in the future.
PLANNED_AHEAD = {("tender", "deadline_at")}


@pytest.fixture
def demo(any_app):
    from provider_portal.extensions import db

    with any_app.app_context():
        load_demo(db.session, any_app.config["PSEUDONYM_KEY"].encode("utf-8"))
        db.session.commit()
        yield db.session


def _december(demo) -> dict[str, str]:
    rows = demo.execute(
        sa.select(Contract.reference, MonthlyReport.status)
        .join(MonthlyReport, MonthlyReport.contract_id == Contract.id)
        .where(MonthlyReport.month == "2018-12")
    ).all()
    return dict(rows)


def test_december_is_accepted_but_one_report_waits_for_review_and_one_is_late(demo):
    december = _december(demo)
    references = set(demo.scalars(sa.select(Contract.reference)))
    assert december.pop("SÆR-2018-01") == "submitted"
    assert "SÆR-2018-03" not in december  # the demo provider's: not sent
    assert set(december) == references - {"SÆR-2018-01", "SÆR-2018-03"}
    assert set(december.values()) == {"accepted"}
    # The calendar says the missing one is late on the demo's day (due 10 January).
    late = report_month("2018-12", None, DEMO_TODAY)
    assert late.late and late.due_on.isoformat() == "2019-01-10"
    waiting = demo.scalar(sa.select(MonthlyReport).where(MonthlyReport.status == "submitted"))
    assert waiting.decided_at is None
    assert waiting.submitted_at.astimezone(COPENHAGEN).date() <= DEMO_TODAY


def test_january_is_not_reportable_yet_and_the_demo_provider_has_a_draft(demo):
    january = demo.execute(
        sa.select(Contract.reference, MonthlyReport.status)
        .join(MonthlyReport, MonthlyReport.contract_id == Contract.id)
        .where(MonthlyReport.month == "2019-01")
    ).all()
    assert january == [("SÆR-2018-03", "draft")]
    draft = demo.scalar(sa.select(MonthlyReport).where(MonthlyReport.month == "2019-01"))
    assert draft.submitted_at is None
    with pytest.raises(DomainError) as refused:
        reports.submit(
            demo, Actor("test"), draft, now=datetime.combine(DEMO_TODAY, time(12), tzinfo=UTC)
        )
    assert refused.value.status == 422 and "2019-02-01" in refused.value.message
    # No month after November is invoiceable in full: 2019 has no accepted report at all.
    assert (
        demo.scalar(
            sa.select(sa.func.count())
            .select_from(MonthlyReport)
            .where(MonthlyReport.month >= "2019-01", MonthlyReport.status != "draft")
        )
        == 0
    )


def test_the_figures_are_the_seeds_from_enrolments_and_confirmed_exit_notices(demo):
    assert effort_totals(demo, DEMO_TODAY) == SEED_FIGURES
    # Every January exit counts through a confirmed exit notice of the same day and reason.
    january_exits = demo.execute(
        sa.select(Enrolment.id, Enrolment.end_on, Enrolment.end_reason).where(
            Enrolment.end_on >= DEMO_TODAY.replace(day=1)
        )
    ).all()
    confirmed = {
        (n.enrolment_id, n.on, n.exit_reason)
        for n in demo.scalars(
            sa.select(Notice).where(Notice.kind == "exit", Notice.status == "confirmed")
        )
    }
    assert january_exits and set(january_exits) <= confirmed
    for notice in demo.scalars(sa.select(Notice).where(Notice.status == "confirmed")):
        assert notice.recorded_at <= notice.decided_at < END_OF_DEMO_DAY
        assert notice.recorded_at.astimezone(COPENHAGEN).date() == notice.on


def test_a_few_exit_notices_wait_for_procurement_and_do_not_count_yet(demo):
    waiting = demo.scalars(
        sa.select(Notice).where(Notice.kind == "exit", Notice.status == "received")
    ).all()
    assert 1 <= len(waiting) <= 5
    for notice in waiting:
        assert notice.on.strftime("%Y-%m") == "2019-01" and notice.on <= DEMO_TODAY
        assert notice.enrolment.end_on is None  # still active until confirmed
    # One waits on the demo provider's own contract, so the provider sees its notice pending.
    assert "SÆR-2018-03" in {n.contract.reference for n in waiting}
    absences = demo.scalars(sa.select(Notice).where(Notice.kind == "absence")).all()
    assert absences and all(n.hours_missed > 0 and n.on <= DEMO_TODAY for n in absences)
    # Confirming the waiting ones would move the figures: they are really uncounted now.
    assert effort_totals(demo, DEMO_TODAY).active == 70


def test_nothing_the_demo_made_is_dated_after_the_demo_day(demo):
    late = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in PLANNED_AHEAD:
                continue
            if not column.name.endswith("_at"):
                continue
            latest = demo.scalar(sa.select(sa.func.max(column)))
            if latest is None:
                continue
            if isinstance(latest, str):  # SQLite without the column type's conversion
                latest = datetime.fromisoformat(latest)
            if latest.tzinfo is None:
                latest = latest.replace(tzinfo=UTC)
            if latest >= END_OF_DEMO_DAY:
                late.append(f"{table.name}.{column.name} {latest:%Y-%m-%d}")
    assert late == []


def test_the_plan_is_pure_and_repeatable():
    citizens = plan_citizens()
    planned = plan_reports(citizens)
    assert plan_notices(citizens, planned) == plan_notices(plan_citizens(), plan_reports(citizens))
    # Every exit is settled either by an accepted report or by a confirmed notice.
    accepted = {(r.contract, r.month) for r in planned if r.status == "accepted"}
    noticed = {n.citizen.ref for n in plan_notices(citizens, planned) if n.confirmed_at}
    for citizen in citizens:
        if citizen.exit_on is not None:
            carried = (citizen.contract, citizen.exit_on.strftime("%Y-%m")) in accepted
            assert carried != (citizen.ref in noticed), citizen.ref


def test_the_demo_participants_are_all_referred_by_the_demo_day(demo):
    assert (
        demo.scalar(
            sa.select(sa.func.count())
            .select_from(Enrolment)
            .join(Participant)
            .where(Enrolment.start_on > DEMO_TODAY)
        )
        == 0
    )
