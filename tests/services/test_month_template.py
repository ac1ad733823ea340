"""The month's template lists who the month's report must carry, each exit already known filled
in: a confirmed notice's first, then the newest report's line, then an exit in effect on the
enrolment; and the month says how many participants it has without reading them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from contracts.models import Enrolment, MonthlyReport, Notice, ReportLine
from contracts.services.report_months import contract_month
from contracts.services.report_templates import TemplateLine, month_template
from contracts.services.scope import Viewer
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR
from tests.scenarios import other_provider_scenario, sample_scenario

TODAY = date(2019, 2, 5)


# Each participant's enrolment in the contract: start, end and why it ended. January's are listed;
# not one withdrawn, gone before it or come after it.
ENROLMENTS = {
    "DL-OPEN1": (date(2018, 10, 1), None, None),
    "DL-ENDED": (date(2018, 10, 1), date(2019, 1, 12), "job"),
    "DL-LINE1": (date(2018, 10, 1), date(2019, 1, 12), "job"),
    "DL-NOTE1": (date(2018, 10, 1), None, None),
    "DL-MOVED": (date(2018, 10, 1), date(2019, 1, 15), "transferred"),
    "DL-LATE1": (date(2019, 1, 31), None, None),
    "DL-WDRAW": (date(2019, 1, 10), date(2019, 1, 10), "withdrawn"),
    "DL-GONE1": (date(2018, 10, 1), date(2018, 12, 31), "job"),
    "DL-NEXT1": (date(2019, 2, 1), None, None),
}


def _month(session):
    """A contract's January: enrolments in and around it, a draft with exits, a confirmed notice;
    and another contract's January exit of one of its participants."""
    own = sample_scenario(session, refs=list(ENROLMENTS))
    enrolments = {ref: session.get(Enrolment, own.enrolment_ids[ref]) for ref in ENROLMENTS}
    for ref, (start, end, reason) in ENROLMENTS.items():
        enrolment = enrolments[ref]
        enrolment.start_on, enrolment.end_on, enrolment.end_reason = start, end, reason
    other = other_provider_scenario(session)
    elsewhere = session.get(Enrolment, other.enrolment_ids["DL-AAAAA"])
    elsewhere.participant_id = own.participant_ids["DL-OPEN1"]
    elsewhere.end_on, elsewhere.end_reason = date(2019, 1, 20), "job"
    line_ends, noticed = enrolments["DL-LINE1"], enrolments["DL-NOTE1"]
    contract_id = own.contract_id
    report = MonthlyReport(contract_id=contract_id, month="2019-01", version=1, status="draft")
    session.add(report)
    session.flush()
    hours = {"hours_planned": Decimal(10), "hours_delivered": Decimal(10)}
    for position, (enrolment, day, reason) in enumerate(
        [(line_ends, date(2019, 1, 20), "education"), (noticed, date(2019, 1, 21), "job")], 1
    ):
        session.add(
            ReportLine(
                report_id=report.id,
                position=position,
                participant_id=enrolment.participant_id,
                enrolment_id=enrolment.id,
                status="exited",
                exit_on=day,
                exit_reason=reason,
                **hours,
            )
        )
    session.add(
        Notice(
            contract_id=contract_id,
            enrolment_id=noticed.id,
            participant_id=noticed.participant_id,
            kind="exit",
            on=date(2019, 1, 25),
            exit_reason="benefit_stopped",
            status="confirmed",
            decided_at=datetime(2019, 1, 26, tzinfo=UTC),
        )
    )
    session.flush()
    return Viewer(None, "provider", own.provider_id), contract_id


def test_the_template_fills_in_each_exit_already_known_in_its_order(any_app):
    with any_app.app_context():
        viewer, contract_id = _month(db.session)
        template = month_template(db.session, viewer, TEST_ACTOR, contract_id, "2019-01", TODAY)
        assert template.lines == [
            TemplateLine("DL-ENDED", "exited", date(2019, 1, 12), "job"),
            TemplateLine("DL-LATE1", "active"),
            TemplateLine("DL-LINE1", "exited", date(2019, 1, 20), "education"),
            TemplateLine("DL-MOVED", "active"),  # a transfer is no exit
            TemplateLine("DL-NOTE1", "exited", date(2019, 1, 25), "benefit_stopped"),
            TemplateLine("DL-OPEN1", "active"),  # its exit from another contract is not this one's
        ]
        db.session.rollback()


def test_the_month_counts_the_participants_its_template_lists(any_app):
    with any_app.app_context():
        viewer, contract_id = _month(db.session)
        counted = contract_month(db.session, viewer, contract_id, "2019-01", TODAY).enrolled
        listed = contract_month(db.session, viewer, contract_id, "2019-01", TODAY).enrolled
        refs = [e.participant_ref for e in listed]
        assert len(counted) == len(refs) == 6  # counted without reading them, and read
        assert refs[0] == "DL-ENDED" and listed[-1].participant_ref == "DL-OPEN1"
        assert len(listed) == 6
        db.session.rollback()
