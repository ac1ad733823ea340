"""Factories: records made the way the portal makes them, each flushed, for tests to build on.

`make_contract` is a contract on the sample's terms (tests/data/samples/README.md) unless a
test says otherwise; `make_report` takes a report file through the report service as far as
the status asked for; `logged_in_client` is a new user with a test client logged in as them.
The named data sets built from these are in `tests.scenarios`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from contracts.models import Contract, Enrolment, MonthlyReport, Participant, Programme
from contracts.rules.periods import COPENHAGEN
from contracts.rules.report_format import read_csv, read_json
from contracts.services import reports
from contracts.services.accounts import create_user
from contracts.services.audit import Actor
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, login

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
ACTOR = Actor("test")

# The sample contract's terms: a special effort from March 2018 to August 2019.
SAMPLE_TERMS = {
    "kind": "special_effort",
    "status": "active",
    "start_on": date(2018, 3, 1),
    "end_on": date(2019, 8, 31),
    "max_end_on": date(2019, 8, 31),
    "monthly_fee": Decimal("9500.00"),
    "hourly_rate": Decimal("45.00"),
    "outcome_bonus": Decimal("15000.00"),
    "vat_rate": Decimal("0.25"),
    "ceiling": Decimal("3000000.00"),
}


def programme(session, code: str = "adult-employment") -> Programme:
    """The programme of that code (the four come with the schema), made if it is missing."""
    found = session.query(Programme).filter_by(code=code).one_or_none()
    if found:
        return found
    rules = {
        "youth-bridging": (1, "under_30"),
        "youth-placement": (2, "under_30"),
        "adult-employment": (3, "30_and_over"),
        "utility-work": (4, "all"),
    }
    position, age_rule = rules[code]
    row = Programme(code=code, position=position, name_da=code, name_en=code, age_rule=age_rule)
    session.add(row)
    session.flush()
    return row


def make_contract(
    session,
    provider_id: int,
    reference: str = "SÆR-2018-03",
    programme_code: str = "adult-employment",
    **terms,
) -> Contract:
    """A contract of the provider on the sample's terms, with `terms` changed."""
    contract = Contract(
        reference=reference,
        provider_id=provider_id,
        programme_id=programme(session, programme_code).id,
        **{**SAMPLE_TERMS, **terms},
    )
    session.add(contract)
    session.flush()
    return contract


def sample_report(name: str = "report-2019-01-utf8-bom.csv", corrected: bool = False) -> bytes:
    """A sample report file of January 2019; `corrected`, it is the month's version 2, in which
    DL-9XW3M delivered 140 hours, not 148."""
    data = (SAMPLES / name).read_bytes()
    if corrected:
        assert b"DL-9XW3M,148,148,0" in data, f"{name} has no line to correct"
        data = data.replace(b"DL-9XW3M,148,148,0", b"DL-9XW3M,148,140,8")
    return data


def make_report(
    session,
    contract: Contract,
    data: bytes,
    *,
    json: bool = False,
    status: str = "accepted",
    month: str = "2019-01",
    today: date = date(2019, 2, 5),
    actor: Actor = ACTOR,
) -> MonthlyReport:
    """The month's report of `data` (CSV, or JSON), saved as a draft and then submitted and
    accepted as far as `status` says."""
    assert status in ("draft", "submitted", "accepted"), status
    read = read_json(data) if json else read_csv(data)
    report = reports.save_draft(session, actor, contract, month, read, today, "test")
    # Sent and decided on `today` (the domain's default is the portal's clock, the test's
    # 24 January 2019, when January has not ended).
    moment = datetime.combine(today, time(9), tzinfo=COPENHAGEN)
    if status in ("submitted", "accepted"):
        reports.submit(session, actor, report, now=moment)
    if status == "accepted":
        reports.accept(session, actor, report, now=moment)
    return report


def enrol_newcomer(session, contract_id: int, ref: str, start_on: date) -> int:
    """A new participant `ref` enrolled on the contract from `start_on` (a referral after a
    report was made); the participant's id."""
    participant = Participant(ref=ref, pseudonym=ref.encode().hex().ljust(64, "0")[:64])
    session.add(participant)
    session.flush()
    session.add(
        Enrolment(
            participant_id=participant.id,
            contract_id=contract_id,
            start_on=start_on,
            age_at_start=33,
        )
    )
    session.flush()
    return participant.id


def logged_in_client(app, email: str, role: str, provider_id: int | None = None):
    """A new user of the role, and a test client logged in as them through the login form (the
    user's id is the client's `user_id`)."""
    with app.app_context():
        user = create_user(db.session, TEST_ACTOR, email, role, TEST_PASSWORD, provider_id)
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    assert login(client, email).status_code == 302
    client.user_id = user_id
    return client
