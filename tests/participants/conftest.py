"""Fixtures for procurement's participant list: provider A's sample contract with enrolments in
every status on 24 January 2019, provider B's contract, and logged-in clients of each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from contracts.models import AuditEvent, Enrolment, Participant
from provider_portal.extensions import db
from tests.conftest import login
from tests.scenarios import B_REFS, two_providers

# Provider A's sample contract on 24 January 2019, beside the seven active since 1 October 2018.
EXITED = ("DL-X0001", date(2018, 11, 1), date(2018, 12, 14), "benefit_stopped")
TRANSFERRED = ("DL-T0001", date(2018, 9, 1), date(2018, 12, 31), "transferred")
UPCOMING = ("DL-U0001", date(2019, 2, 4), None, None)
NEW_IN_JANUARY = ("DL-N0001", date(2019, 1, 7), None, None)


@dataclass
class ListWorld:
    """The contracts and enrolments, and one user of each role (see the module)."""

    app: Flask
    contract_id: int
    b_contract_id: int
    enrolment_ids: dict[str, int]

    def client(self, who: str):
        """A test client logged in through the login form as `who`'s user."""
        client = self.app.test_client()
        assert login(client, f"{who}@example.dk").status_code == 302
        return client

    def list_url(self, contract_id: int | None = None, **args) -> str:
        query = "&".join(f"{name}={value}" for name, value in args.items())
        url = f"/procurement/contracts/{contract_id or self.contract_id}/participants"
        return f"{url}?{query}" if query else url

    def withdraw_url(self, ref: str, contract_id: int | None = None) -> str:
        return (
            f"/procurement/contracts/{contract_id or self.contract_id}/participants/"
            f"{self.enrolment_ids[ref]}/withdraw"
        )


def enrol(session, contract_id: int, ref: str, start: date, end=None, reason=None) -> Enrolment:
    """A participant of that reference enrolled from `start` (ended on `end` for `reason`)."""
    participant = Participant(ref=ref, pseudonym=f"{ref:0>64}"[-64:])
    session.add(participant)
    session.flush()
    enrolment = Enrolment(
        participant_id=participant.id,
        contract_id=contract_id,
        start_on=start,
        end_on=end,
        end_reason=reason,
        age_at_start=35,
    )
    session.add(enrolment)
    session.flush()
    return enrolment


@pytest.fixture
def world(app) -> ListWorld:
    with app.app_context():
        session = db.session
        world = two_providers(session)
        a, b = world.a, world.b
        ids = dict(a.enrolment_ids)
        for ref, start, end, reason in (EXITED, TRANSFERRED, UPCOMING, NEW_IN_JANUARY):
            ids[ref] = enrol(session, a.contract_id, ref, start, end, reason).id
        ids.update(b.enrolment_ids)
        session.commit()
        return ListWorld(app, a.contract_id, b.contract_id, ids)


MISTAKE = ("DL-W0001", date(2019, 1, 7))


@pytest.fixture
def plain(app) -> ListWorld:
    """Provider A's sample contract (seven participants since 1 October 2018) and one more
    referred from 7 January 2019 by mistake (MISTAKE), provider B's contract, and the users."""
    with app.app_context():
        session = db.session
        world = two_providers(session)
        a, b = world.a, world.b
        ids = {**a.enrolment_ids, **b.enrolment_ids}
        ids[MISTAKE[0]] = enrol(session, a.contract_id, *MISTAKE).id
        session.commit()
        return ListWorld(app, a.contract_id, b.contract_id, ids)


def add_many(app, contract_id: int, count: int, first: date = date(2018, 4, 2)) -> list[str]:
    """`count` more participants of the contract, a few a day from `first`, set-based; their
    references in the order the list sorts them (start, then reference)."""
    with app.app_context():
        session = db.session
        start_id = session.scalar(sa.select(sa.func.coalesce(sa.func.max(Participant.id), 0)))
        people = [
            {"id": start_id + n + 1, "ref": f"DL-M{n:04d}", "pseudonym": f"m{n:063d}"}
            for n in range(count)
        ]
        session.execute(sa.insert(Participant), people)
        session.execute(
            sa.insert(Enrolment),
            [
                {
                    "participant_id": person["id"],
                    "contract_id": contract_id,
                    "start_on": date.fromordinal(first.toordinal() + n // 3),
                    "age_at_start": 40,
                }
                for n, person in enumerate(people)
            ],
        )
        session.commit()
    return [person["ref"] for person in people]


def read_events(app, contract_id: int) -> list[AuditEvent]:
    """The audit events of reading the contract's participant list, oldest first."""
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.action == "participants.viewed",
                AuditEvent.record_type == "contract",
                AuditEvent.record_id == contract_id,
            )
            .order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return list(events)


__all__ = ["B_REFS", "MISTAKE", "ListWorld", "add_many", "enrol", "read_events"]
