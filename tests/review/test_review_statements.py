"""The review page costs the same SQL statements for a correction of 1,000 lines as of 10."""

from __future__ import annotations

from datetime import date, datetime

from contracts.models import Contract
from contracts.rules.periods import COPENHAGEN
from contracts.rules.report_format import read_csv
from contracts.services import invoicing, reports
from contracts.services.audit import Actor
from provider_portal.extensions import db
from tests.api.sql_statements import statements
from tests.factories import logged_in_client, make_report
from tests.scenarios import sample_scenario

REVIEW = "/procurement/contracts/{}/reports/2019-01"
ACTOR = Actor("test")
HEADER = (
    "participant_ref,hours_planned,hours_delivered,absence_hours,status,exit_date,exit_reason\n"
)


def _report(refs: list[str], delivered: str) -> bytes:
    return (
        HEADER
        + "".join(
            f"{ref},150,{delivered if n % 2 else 160},{n % 3},active,,\n"
            for n, ref in enumerate(refs)
        )
    ).encode()


# The correction is sent on the day it is saved (the test clock is 24 January 2019).
SENT_ON_20_FEBRUARY = datetime(2019, 2, 20, 9, tzinfo=COPENHAGEN)


def correction_of(app, size: int, cvr: str) -> int:
    """A contract of `size` participants: December accepted, January invoiced and its
    correction (every other line changed) submitted; its id."""
    refs = [f"DL-{cvr[:2]}{n:04d}" for n in range(size)]
    with app.app_context():
        scenario = sample_scenario(
            db.session, provider_name=f"Leverandør {cvr}", cvr=cvr, refs=refs, reference=f"R-{cvr}"
        )
        contract = db.session.get(Contract, scenario.contract_id)
        make_report(
            db.session, contract, _report(refs, "140"), month="2018-12", today=date(2019, 1, 5)
        )
        make_report(db.session, contract, _report(refs, "140"))
        invoicing.invoice_contract_month(db.session, contract.id, "2019-01")
        corrected = reports.save_draft(
            db.session,
            ACTOR,
            contract,
            "2019-01",
            read_csv(_report(refs, "120")),
            date(2019, 2, 20),
            "test",
        )
        reports.submit(db.session, ACTOR, corrected, now=SENT_ON_20_FEBRUARY)
        db.session.commit()
        return contract.id


def test_the_review_of_1000_lines_sends_as_many_statements_as_of_10(app):
    small = correction_of(app, 10, "13585628")
    large = correction_of(app, 1000, "29403473")
    client = logged_in_client(app, "indkob@example.dk", "procurement")
    counts = []
    for contract_id in (small, large):
        with statements(app) as sent:
            response = client.get(REVIEW.format(contract_id))
        assert response.status_code == 200
        assert 'id="differences"' in response.get_data(as_text=True)
        counts.append(len(sent))
    assert counts[0] == counts[1], counts
