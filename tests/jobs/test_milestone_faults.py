"""A worker killed mid-month when the month pays milestones and takes them back (issue 20):
after a SIGKILL of the worker and its work horse, a new worker and the month started again
leave exactly one invoice per contract, with the totals and the milestone and clawback lines
the benchmark's hand-written floor SQL computes for the same month (tests/jobs/milestone_month.py),
each milestone paid or taken back once."""

import pytest
import sqlalchemy as sa

from contracts.models import Invoice, InvoiceLine, Score
from contracts.models.invoices import LINE_ITEMS
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from tests.jobs.mid_month_kill import kill_mid_month_and_finish
from tests.jobs.milestone_month import (
    JULY_ENDED,
    MONTH,
    expected_july,
    invoiced_july,
    make_milestone_months,
)

# Where the worker and its work horse are killed: the job the horse runs at that moment.
MOMENTS = {
    "a contract job with others queued": lambda ids: aggregation.invoice_job_id(ids[1], MONTH),
    "the last contract job": lambda ids: aggregation.invoice_job_id(ids[-1], MONTH),
    "the month job": lambda ids: aggregation.month_job_id(MONTH),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_worker_killed_mid_month_with_milestones_leaves_one_right_invoice_per_contract(
    any_app, moment
):
    any_app.config["PORTAL_TODAY"] = JULY_ENDED
    contract_ids = make_milestone_months(any_app)
    expected = expected_july(any_app)
    # The month is worth the test: it pays and takes back every kind of milestone.
    assert {item for _, _, item, _ in expected.milestone_lines} == set(LINE_ITEMS) - {"month"}

    kill_mid_month_and_finish(any_app, MONTH, MOMENTS[moment](contract_ids), JULY_ENDED.isoformat())

    with any_app.app_context():
        with db.engine.connect() as connection:
            july = invoiced_july(connection)
        invoices = db.session.execute(
            sa.select(Invoice.contract_id, Invoice.month, Invoice.kind)
        ).all()
        paid_twice = db.session.execute(
            sa.select(Invoice.contract_id, InvoiceLine.participant_id, InvoiceLine.item)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(InvoiceLine.item != "month")
            .group_by(Invoice.contract_id, InvoiceLine.participant_id, InvoiceLine.item)
            .having(sa.func.count() > 1)
        ).all()
        scores = db.session.scalar(
            sa.select(sa.func.count()).select_from(Score).where(Score.month == MONTH)
        )
    assert sorted(july.totals) == sorted(contract_ids)
    assert july.totals == expected.totals
    assert july.milestone_lines == expected.milestone_lines
    assert july.lines == expected.lines
    assert {kind for _, _, kind in invoices} == {"invoice"}
    assert (
        len(invoices) == len({(cid, month) for cid, month, _ in invoices}) == 7 * len(contract_ids)
    )
    assert paid_twice == []
    assert scores > 0
