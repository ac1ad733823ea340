"""An upload while a month is aggregated (issue 16): `make load` saw 4 of 21 report uploads
answered 503 "Forespørgslen tog for lang tid" while two workers invoiced a month.

Replacing a draft deletes its lines, and the foreign key from invoice_line checked each deleted
line by scanning every invoice line (no index): 1,000 lines against the month's 100,000 invoice
lines took 5.8 s on an idle machine, past the web's 10 s budget on a busy one. No lock was
waited for (benchmarks/load_waits.py saw none); it was the table the aggregation writes.
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from benchmarks.data import make_reports
from benchmarks.ingestion import make_csv
from contracts.models import (
    Contract,
    Enrolment,
    InvoiceLine,
    MonthlyReport,
    Participant,
    ReportLine,
)
from contracts.services import invoicing
from provider_portal import create_app
from provider_portal.extensions import db
from tests.conftest import app_config, csrf_token
from tests.factories import logged_in_client

CONTRACTS = 60  # each of PARTICIPANTS, all but the provider's invoiced first
PARTICIPANTS = 1000
PAGE = "/provider/contracts/{}/reports/2019-02"
TOO_LONG_DA = "Forespørgslen tog for lang tid"


@pytest.fixture
def budget_app(postgres_url, clean_redis, tmp_path):
    """The app on PostgreSQL with a second per statement of a web request, in March 2019."""
    config = app_config(
        postgres_url, clean_redis, tmp_path, STATEMENT_TIMEOUT=1.0, PORTAL_TODAY="2019-03-05"
    )
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _invoiced_month(app) -> tuple[int, int, list[str]]:
    """January of CONTRACTS contracts, every contract but the first invoiced as the month's jobs
    do; the first contract's id, provider and participants."""
    with app.app_context():
        ids = make_reports(db.session, CONTRACTS, PARTICIPANTS, "2019-01", "2019-01")
        db.session.commit()
        for contract_id in ids[1:]:
            invoicing.invoice_contract_month(db.session, contract_id, "2019-01")
            db.session.commit()
        invoicing.month_done(db.session)
        db.session.commit()
        lines = db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine))
        assert lines == (CONTRACTS - 1) * PARTICIPANTS
        refs = db.session.scalars(
            sa.select(Participant.ref)
            .join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(Enrolment.contract_id == ids[0])
            .order_by(Participant.ref)
        ).all()
        return ids[0], db.session.get(Contract, ids[0]).provider_id, refs


def _upload(client, contract_id: int, content: bytes):
    token = csrf_token(client.get(PAGE.format(contract_id)).get_data(as_text=True))
    return client.post(
        PAGE.format(contract_id) + "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(content), "rapport.csv")},
        content_type="multipart/form-data",
    )


def test_a_draft_replaced_after_a_large_month_is_invoiced_is_stored_within_the_budget(
    budget_app,
):
    app = budget_app
    contract_id, provider_id, refs = _invoiced_month(app)
    provider = logged_in_client(app, "koordinator@example.dk", "provider", provider_id)
    february = make_csv(refs).decode("cp1252").replace("16-01-2019", "15-02-2019")
    first = _upload(provider, contract_id, february.encode("cp1252"))
    assert first.status_code == 302, first.get_data(as_text=True)[:500]
    # The provider corrects one participant's hours and sends the whole file again: the draft's
    # 1,000 lines are replaced.
    corrected = february.replace(f"{refs[1]};147,75;147,5;", f"{refs[1]};147,75;100;", 1)
    assert corrected != february
    second = _upload(provider, contract_id, corrected.encode("cp1252"))
    text = second.get_data(as_text=True)
    assert TOO_LONG_DA not in text, "the upload ran out of its statement budget"
    assert second.status_code == 302, text[:500]
    with app.app_context():
        [report] = db.session.scalars(
            sa.select(MonthlyReport).where(MonthlyReport.month == "2019-02")
        ).all()
        assert (report.contract_id, report.status) == (contract_id, "draft")
        lines = db.session.scalar(
            sa.select(sa.func.count()).where(ReportLine.report_id == report.id)
        )
        hours = db.session.scalar(
            sa.select(ReportLine.hours_delivered)
            .join(Participant, Participant.id == ReportLine.participant_id)
            .where(ReportLine.report_id == report.id, Participant.ref == refs[1])
        )
    assert (lines, hours) == (PARTICIPANTS, 100)
