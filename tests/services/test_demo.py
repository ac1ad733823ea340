"""The demo data reproduces the seed's situation on 24 January 2019, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from stdnum import ean
from stdnum.dk import cvr

from contracts.models import (
    Amendment,
    AuditEvent,
    Contract,
    Enrolment,
    MonthlyReport,
    Participant,
    Programme,
    Provider,
    ReportLine,
    User,
)
from contracts.rules.cpr import age_on, parse_cpr, pseudonym
from contracts.rules.periods import month_of, months_between, overlap_days, parse_month
from contracts.services import DomainError
from contracts.services.accounts import check_password
from contracts.services.demo import (
    DEMO_PASSWORD,
    DEMO_TODAY,
    DEMO_USERS,
    load_demo,
    plan_citizens,
)
from contracts.services.figures import EffortTotals, effort_totals

SEED_FIGURES = EffortTotals(
    participants=107, active=70, exits=37, positive=6, benefit_stopped=17, other=14
)


@pytest.fixture
def demo(any_app):
    """The demo loaded and committed; yields the session inside an app context."""
    from provider_portal.extensions import db

    with any_app.app_context():
        summary = load_demo(db.session, any_app.config["PSEUDONYM_KEY"].encode("utf-8"))
        db.session.commit()
        db.session.info["summary"] = summary
        yield db.session


def test_the_figures_of_24_january_2019_come_from_the_stored_reports(demo):
    assert effort_totals(demo, DEMO_TODAY) == SEED_FIGURES
    assert demo.info["summary"] == (
        "Demo loaded: 4 programmes, 6 providers, 6 contracts, 107 participants, 60 reports, "
        "21 notices (as of 24-01-2019)."
    )


def test_the_figures_agree_with_a_plain_count_of_enrolments(demo):
    participants = demo.scalar(
        sa.text("SELECT count(DISTINCT participant_id) FROM enrolment WHERE start_on <= :day"),
        {"day": DEMO_TODAY},
    )
    active = demo.scalar(sa.text("SELECT count(*) FROM enrolment WHERE end_on IS NULL"))
    reasons = dict(
        demo.execute(
            sa.text(
                "SELECT end_reason, count(*) FROM enrolment WHERE end_on IS NOT NULL GROUP BY end_reason"
            )
        ).all()
    )
    assert (participants, active, sum(reasons.values())) == (107, 70, 37)
    assert reasons.get("job", 0) + reasons.get("education", 0) == 6
    assert reasons["benefit_stopped"] == 17
    assert sum(reasons.get(r, 0) for r in ("imprisonment", "death", "moved", "other")) == 14
    assert "transferred" not in reasons
    latest_exit = demo.scalar(sa.text("SELECT max(end_on) FROM enrolment"))
    assert date.fromisoformat(str(latest_exit)) <= DEMO_TODAY
    assert demo.scalar(sa.text("SELECT count(*) FROM enrolment WHERE end_on < start_on")) == 0


def test_the_special_effort_agreements_are_extended_to_august_2019(demo):
    procurement = demo.scalar(sa.select(User).where(User.email == "indkob@demo.dk"))
    special = demo.scalars(
        sa.select(Contract).where(Contract.kind == "special_effort").order_by(Contract.reference)
    ).all()
    assert [c.programme.code for c in special] == [
        "youth-bridging",
        "youth-placement",
        "adult-employment",
        "utility-work",
    ]
    for contract in special:
        assert contract.start_on.year == 2018
        assert contract.end_on == contract.max_end_on == date(2019, 8, 31)
        assert not contract.is_expiring(DEMO_TODAY)
        [amendment] = contract.amendments
        assert (amendment.kind, amendment.field) == ("extension", "end_on")
        assert (amendment.old_value, amendment.new_value) == ("2019-02-28", "2019-08-31")
        assert amendment.reason
        assert amendment.user_id == procurement.id
        assert (amendment.created_at.year, amendment.created_at.month) == (2019, 1)


def test_the_under_30_framework_agreements_are_expiring_on_the_demo_day(demo):
    frameworks = demo.scalars(sa.select(Contract).where(Contract.kind == "framework")).all()
    assert sorted(c.programme.code for c in frameworks) == ["youth-bridging", "youth-placement"]
    for contract in frameworks:
        assert contract.start_on < date(2018, 1, 1)
        assert contract.is_expiring(DEMO_TODAY)
        assert contract.programme.age_rule == "under_30"


def test_programmes_providers_and_users_are_as_the_seed_describes(demo):
    programmes = demo.scalars(sa.select(Programme).order_by(Programme.position)).all()
    assert [(p.code, p.age_rule) for p in programmes] == [
        ("youth-bridging", "under_30"),
        ("youth-placement", "under_30"),
        ("adult-employment", "30_and_over"),
        ("utility-work", "all"),
    ]
    assert all(p.weekly_hours_ceiling == 37 and p.name_da and p.name_en for p in programmes)
    providers = demo.scalars(sa.select(Provider)).all()
    assert all(cvr.is_valid(p.cvr) for p in providers)
    glns = [p.gln for p in providers if p.gln]
    assert glns and all(len(g) == 13 and ean.is_valid(g) for g in glns)

    users = {u.email: u for u in demo.scalars(sa.select(User))}
    assert {(email, users[email].role) for email in users} == set(DEMO_USERS)
    assert all(u.name and check_password(u, DEMO_PASSWORD) for u in users.values())
    adult = demo.scalar(
        sa.select(Contract)
        .join(Programme)
        .where(Programme.code == "adult-employment", Contract.kind == "special_effort")
    )
    assert users["leverandor@demo.dk"].provider_id == adult.provider_id


def test_every_contract_has_an_accepted_report_for_every_month_until_november_2018(demo):
    for contract in demo.scalars(sa.select(Contract)):
        first_start = demo.scalar(
            sa.select(sa.func.min(Enrolment.start_on)).where(Enrolment.contract_id == contract.id)
        )
        months = demo.execute(
            sa.select(MonthlyReport.month, MonthlyReport.status, MonthlyReport.version)
            .where(MonthlyReport.contract_id == contract.id, MonthlyReport.month <= "2018-11")
            .order_by(MonthlyReport.month)
        ).all()
        assert [m for m, _, _ in months] == months_between(month_of(first_start), "2018-11")
        assert {(s, v) for _, s, v in months} == {("accepted", 1)}


def test_each_enrolled_participant_is_on_each_report_exactly_once(demo):
    enrolments = demo.scalars(sa.select(Enrolment)).all()
    for report in demo.scalars(sa.select(MonthlyReport)):
        first, last = parse_month(report.month)
        expected = {
            e.participant_id
            for e in enrolments
            if e.contract_id == report.contract_id
            and e.start_on <= last
            and (e.end_on is None or e.end_on >= first)
        }
        on_report = [line.participant_id for line in report.lines]
        assert Counter(on_report) == Counter(expected), report.month


def test_report_lines_keep_within_37_hours_a_week_of_enrolled_days(demo):
    lines = demo.execute(
        sa.select(
            ReportLine,
            MonthlyReport.month,
            Enrolment.start_on,
            Enrolment.end_on,
            Enrolment.end_reason,
        )
        .join(MonthlyReport, MonthlyReport.id == ReportLine.report_id)
        .join(Enrolment, Enrolment.id == ReportLine.enrolment_id)
    ).all()
    assert len(lines) > 107
    for line, month, start_on, end_on, end_reason in lines:
        first, last = parse_month(month)
        exit_on = line.exit_on if line.status == "exited" else None
        days = overlap_days(start_on, exit_on, first, last)
        # Compared exactly: 7 × hours ≤ 37 × days.
        assert 7 * line.hours_planned <= 37 * days
        assert 7 * line.hours_delivered <= 37 * days
        assert line.absence_hours is None or line.absence_hours <= line.hours_planned
        if month == "2019-01":
            # January's report plans only the days up to the demo's day.
            planned_days = overlap_days(start_on, exit_on, first, DEMO_TODAY)
            assert 7 * line.hours_planned <= 37 * planned_days
        if line.status == "exited":
            assert first <= line.exit_on <= last and line.exit_on >= start_on
            assert (line.exit_on, line.exit_reason) == (end_on, end_reason)
        else:
            assert line.exit_on is None and line.exit_reason is None
    delivered = sum(line.hours_delivered for line, *_ in lines)
    planned = sum(line.hours_planned for line, *_ in lines)
    assert 0 < delivered <= planned


def test_every_participant_fits_the_age_rule_of_its_programme(demo):
    rows = demo.execute(
        sa.select(Enrolment.age_at_start, Programme.age_rule, Participant.ref)
        .join(Contract, Contract.id == Enrolment.contract_id)
        .join(Programme, Programme.id == Contract.programme_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
    ).all()
    assert len(rows) == 107
    fits = {"under_30": lambda a: a < 30, "30_and_over": lambda a: a >= 30, "all": lambda a: True}
    assert all(fits[rule](age) and 15 <= age < 100 for age, rule, _ in rows)
    # The age is the one the citizen's CPR birth date gives on the start day.
    planned = {c.ref: c for c in plan_citizens()}
    for age, _, ref in rows:
        _, born = parse_cpr(planned[ref].cpr)
        assert age == age_on(born, planned[ref].start_on)


def test_loading_twice_is_refused_and_changes_nothing(demo):
    def counts():
        return {
            model.__tablename__: demo.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (
                Programme,
                Provider,
                Contract,
                User,
                Participant,
                Enrolment,
                MonthlyReport,
                ReportLine,
                Amendment,
                AuditEvent,
            )
        }

    before = counts()
    with pytest.raises(DomainError, match="already holds data"):
        load_demo(demo, b"another-key-that-is-long-enough-32")
    demo.rollback()
    assert counts() == before


def test_the_planned_citizens_have_valid_cprs_and_unambiguous_references():
    citizens = plan_citizens()
    assert citizens == plan_citizens()
    assert len(citizens) == 107
    assert len({c.cpr for c in citizens}) == 107 == len({c.ref for c in citizens})
    for citizen in citizens:
        assert re.fullmatch(r"\d{6}-\d{4}", citizen.cpr)
        parse_cpr(citizen.cpr)
        assert re.fullmatch(r"DL-[2-9A-HJ-NP-Z]{5}", citizen.ref)


def _every_stored_value(session) -> list[str]:
    """Every non-empty value of every column of every table, as text."""
    metadata = sa.MetaData()
    metadata.reflect(bind=session.connection())
    values = []
    for table in metadata.sorted_tables:
        for row in session.execute(sa.select(table)):
            values.extend(str(value) for value in row if value is not None)
    return values


def test_no_cpr_number_is_stored_anywhere(demo, any_app):
    values = _every_stored_value(demo)
    assert any("DL-" in v for v in values) and any("demo.loaded" in v for v in values)
    key = any_app.config["PSEUDONYM_KEY"].encode("utf-8")
    # Hex digests and key ids, bare (pseudonyms, file checksums) or within a value (an audit
    # event's document checksum, a benchmark key's id), are left out: they change from run to
    # run, a random one holds ten decimal digits in a row now and then, and a CPR number is not
    # written in hex (a run of 16 or more hex digits with a letter among them).
    text = re.sub(r"(?=[0-9a-f]*[a-f])[0-9a-f]{16,}", "<digest>", "\n".join(values))
    # A run of exactly ten digits, or DDMMYY-XXXX, in anything but a hex digest.
    assert not re.search(r"(?<!\d)\d{10}(?!\d)", text)
    assert not re.search(r"(?<!\d)\d{6}-\d{4}(?!\d)", text)
    everything = "\n".join(values)
    for citizen in plan_citizens():
        compact, _ = parse_cpr(citizen.cpr)
        assert compact not in everything and citizen.cpr not in everything
    # What is stored instead is the keyed HMAC of each citizen's CPR.
    stored = set(demo.scalars(sa.select(Participant.pseudonym)))
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in stored)
    assert stored == {pseudonym(parse_cpr(c.cpr)[0], key) for c in plan_citizens()}


def test_demo_data_command_prints_the_users_and_refuses_a_second_load(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "107 participants" in result.output
    assert DEMO_PASSWORD in result.output
    for email, role in DEMO_USERS:
        assert re.search(rf"{re.escape(email)}\s+{role}", result.output)

    again = runner.invoke(args=["demo-data"])
    assert again.exit_code != 0
    assert "already holds data" in again.output


def test_the_demo_reports_were_decided_by_the_demo_day(demo):
    latest = demo.scalar(sa.select(sa.func.max(MonthlyReport.decided_at)))
    assert latest <= datetime(2019, 1, 24, 23, 59, tzinfo=UTC)
    # A decided report was submitted first.
    unsubmitted = demo.scalar(
        sa.select(sa.func.count())
        .select_from(MonthlyReport)
        .where(
            MonthlyReport.decided_at.is_not(None),
            sa.or_(
                MonthlyReport.submitted_at.is_(None),
                MonthlyReport.submitted_at > MonthlyReport.decided_at,
            ),
        )
    )
    assert unsubmitted == 0
