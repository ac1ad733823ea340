"""Storing monthly reports: whole or not at all, the same from every way in, and its flow."""

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.models import AuditEvent, Contract, Enrolment, MonthlyReport, ReportLine
from contracts.rules.problems import InputRejected
from contracts.rules.report_format import read_csv, read_json
from contracts.services import DomainError, reports
from contracts.services.audit import Actor
from provider_portal.extensions import db
from tests.scenarios import sample_scenario

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
TODAY = date(2019, 2, 5)
PROVIDER = Actor("koordinator@example.dk")
PROCUREMENT = Actor("indkob@example.dk")


def read(name):
    data = (SAMPLES / name).read_bytes()
    return read_json(data) if name.endswith(".json") else read_csv(data)


def stored(session, report):
    """The stored lines as the API shows them (DESIGN.md §8), in the order sent."""
    lines = session.execute(
        sa.select(ReportLine).where(ReportLine.report_id == report.id).order_by(ReportLine.position)
    ).scalars()
    return [
        (
            line.participant.ref,
            str(line.hours_planned),
            str(line.hours_delivered),
            str(line.absence_hours),
            line.status,
            line.exit_on,
            line.exit_reason,
        )
        for line in lines
    ]


def test_the_three_good_files_store_the_same_report(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        results = []
        for name in [
            "report-2019-01-excel-da.csv",
            "report-2019-01-utf8-bom.csv",
            "report-2019-01.json",
        ]:
            report = reports.save_draft(
                db.session, PROVIDER, contract, "2019-01", read(name), TODAY, "test"
            )
            db.session.commit()
            results.append(stored(db.session, report))
            assert report.version == 1 and report.status == "draft"
        assert results[0] == results[1] == results[2]
        assert results[0][0] == ("DL-4Q7K2", "148.00", "131.50", "16.50", "active", None, None)
        assert results[0][2][5:] == (date(2019, 1, 16), "job")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) == 1


def test_a_bad_file_stores_nothing_and_keeps_the_earlier_draft(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        report = reports.save_draft(
            db.session, PROVIDER, contract, "2019-01", read("report-2019-01.json"), TODAY, "test"
        )
        db.session.commit()
        before = stored(db.session, report)
        with pytest.raises(InputRejected) as caught:
            reports.save_draft(
                db.session,
                PROVIDER,
                contract,
                "2019-01",
                read("bad-report-2019-01.csv"),
                TODAY,
                "test",
            )
        db.session.rollback()
        assert {p.line for p in caught.value.problems} >= {3, 4, 5, 6, 7, 8, 9, 10}
        assert stored(db.session, report) == before


@pytest.mark.usefixtures("january_ended")  # January is sent once it has ended
def test_submit_accept_closes_the_enrolments_of_those_who_left(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        report = reports.save_draft(
            db.session,
            PROVIDER,
            contract,
            "2019-01",
            read("report-2019-01-utf8-bom.csv"),
            TODAY,
            "test",
        )
        reports.submit(db.session, PROVIDER, report)
        with pytest.raises(DomainError, match="waiting for review"):
            reports.save_draft(
                db.session,
                PROVIDER,
                contract,
                "2019-01",
                read("report-2019-01.json"),
                TODAY,
                "test",
            )
        reports.accept(db.session, PROCUREMENT, report)
        db.session.commit()
        ended = dict(
            db.session.execute(
                sa.select(Enrolment.id, Enrolment.end_reason).where(Enrolment.end_on.is_not(None))
            ).all()
        )
        assert ended == {
            scenario.enrolment_ids["DL-2HB8R"]: "job",
            scenario.enrolment_ids["DL-3PJ6N"]: "benefit_stopped",
            scenario.enrolment_ids["DL-8KD4V"]: "education",
            scenario.enrolment_ids["DL-5MR2F"]: "imprisonment",
        }
        with pytest.raises(DomainError, match="accepted and locked"):
            reports.save_draft(
                db.session,
                PROVIDER,
                contract,
                "2019-01",
                read("report-2019-01.json"),
                TODAY,
                "test",
            )
        with pytest.raises(DomainError, match="only a submitted report"):
            reports.accept(db.session, PROCUREMENT, report)
        # February is reported by the three still enrolled only.
        assert [
            e.participant_ref
            for e in reports.enrolled_for_month(db.session, contract.id, "2019-02")
        ] == ["DL-4Q7K2", "DL-7TZ5C", "DL-9XW3M"]
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert actions.count("report.saved") == 1
        assert {"report.submitted", "report.accepted"} <= set(actions)


@pytest.mark.usefixtures("january_ended")  # January is sent once it has ended
def test_reject_needs_a_reason_and_lets_the_provider_fix_the_report(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        report = reports.save_draft(
            db.session, PROVIDER, contract, "2019-01", read("report-2019-01.json"), TODAY, "test"
        )
        reports.submit(db.session, PROVIDER, report)
        with pytest.raises(DomainError, match="needs a reason"):
            reports.reject(db.session, PROCUREMENT, report, "  ")
        reports.reject(db.session, PROCUREMENT, report, "Timerne for DL-9XW3M ser for høje ud")
        db.session.commit()
        assert report.status == "rejected"
        again = reports.save_draft(
            db.session,
            PROVIDER,
            contract,
            "2019-01",
            read("report-2019-01-excel-da.csv"),
            TODAY,
            "test",
        )
        assert again.id == report.id and again.status == "draft" and again.rejection_reason is None


def test_months_outside_the_contract_or_in_the_future_are_refused(any_app):
    with any_app.app_context():
        scenario = sample_scenario(db.session)
        contract = db.session.get(Contract, scenario.contract_id)
        for month, words in [
            ("2019-03", "has not started"),
            ("2017-12", "outside"),
            ("2019-13", "YYYY-MM"),
        ]:
            with pytest.raises(DomainError, match=words):
                reports.save_draft(
                    db.session,
                    PROVIDER,
                    contract,
                    month,
                    read("report-2019-01.json"),
                    TODAY,
                    "test",
                )
