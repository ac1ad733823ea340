"""A provider sending a month's report as people do: the sample contract with its coordinator,
another provider's coordinator and procurement, reached by page and API, and the lines stored."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa

from contracts.models import MonthlyReport, Participant, ReportLine
from contracts.services.accounts import create_token, create_user
from contracts.services.report_lines import LINE_VALUES
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, csrf_token, login
from tests.scenarios import other_provider_scenario, sample_scenario

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
PAGE = "/provider/contracts/{}/reports/2019-01"
API = "/api/v1/contracts/{}/reports/2019-01"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class People:
    """The sample contract's and another provider's coordinators, and procurement."""

    contract_id: int
    other_contract_id: int
    provider_token: str
    other_token: str
    procurement_token: str


def people(app) -> People:
    """The sample scenario, another provider with a contract of its own, and their users."""
    with app.app_context():
        own = sample_scenario(db.session)
        other = other_provider_scenario(db.session)
        tokens = []
        for email, role, provider_id in [
            ("koordinator@example.dk", "provider", own.provider_id),
            ("anden@example.dk", "provider", other.provider_id),
            ("indkob@example.dk", "procurement", None),
        ]:
            user = create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, provider_id)
            tokens.append(create_token(db.session, TEST_ACTOR, user, "test")[1])
        db.session.commit()
    return People(own.contract_id, other.contract_id, *tokens)


def page_client(app, email: str = "koordinator@example.dk", language: str = "da"):
    """A browser logged in through the login form, in the language chosen."""
    client = app.test_client()
    client.set_cookie("lang", language)
    assert login(client, email).status_code == 302
    return client


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def upload(client, contract_id: int, data: bytes, filename: str = "rapport.csv"):
    """Send one file from the report page's upload form, as a browser does."""
    token = csrf_token(client.get(PAGE.format(contract_id)).get_data(as_text=True))
    return client.post(
        PAGE.format(contract_id) + "/upload",
        data={"csrf_token": token, "file": (BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def submit(client, contract_id: int):
    """Submit the contract's January report from its page, as the provider's button does."""
    token = csrf_token(client.get(PAGE.format(contract_id)).get_data(as_text=True))
    return client.post(PAGE.format(contract_id) + "/submit", data={"csrf_token": token})


def put(client, token: str, contract_id: int, data: bytes, content_type: str):
    """Send the month's report by the API."""
    return client.put(
        API.format(contract_id), data=data, headers=bearer(token), content_type=content_type
    )


def stored(app, contract_id: int, month: str = "2019-01") -> list[tuple]:
    """The newest version's lines as stored, in the order sent: every value of a line."""
    with app.app_context():
        newest = db.session.scalar(
            sa.select(sa.func.max(MonthlyReport.id)).where(
                MonthlyReport.contract_id == contract_id, MonthlyReport.month == month
            )
        )
        return db.session.execute(
            sa.select(*LINE_VALUES)
            .join(Participant, Participant.id == ReportLine.participant_id)
            .where(ReportLine.report_id == newest)
            .order_by(ReportLine.position)
        ).all()


def versions(app, contract_id: int, month: str = "2019-01") -> list[tuple[int, str, int]]:
    """The month's report versions: (version, status, number of lines)."""
    with app.app_context():
        return db.session.execute(
            sa.select(MonthlyReport.version, MonthlyReport.status, sa.func.count(ReportLine.id))
            .outerjoin(ReportLine, ReportLine.report_id == MonthlyReport.id)
            .where(MonthlyReport.contract_id == contract_id, MonthlyReport.month == month)
            .group_by(MonthlyReport.version, MonthlyReport.status)
            .order_by(MonthlyReport.version)
        ).all()
