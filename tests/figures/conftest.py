"""Fixtures for the figures as of a day: provider A's sample contract (seven participants enrolled
since 1 October 2018), provider B's contract with two of its own, a token and a logged-in client
of each role, and the calls the tests make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from contracts.models import Enrolment, Participant
from provider_portal.extensions import db
from tests.conftest import login
from tests.scenarios import B_REFS, SAMPLE_REFS, two_providers

FIGURE_NAMES = ("participants", "active", "exits", "positive", "benefit_stopped", "other")


@dataclass
class FiguresWorld:
    """Provider A's contract (7 participants), provider B's (2), their ids and a token per role."""

    app: Flask
    contract_id: int
    b_contract_id: int
    provider_id: int
    b_provider_id: int
    programme_id: int
    tokens: dict[str, str]

    def headers(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, who: str, **params):
        """GET /api/v1/figures with `params` as `who`; the response."""
        return self.app.test_client().get(
            "/api/v1/figures", query_string=params, headers=self.headers(who)
        )

    def figures(self, who: str = "procurement", **params) -> dict:
        """The six figures of a call that must succeed, by name."""
        response = self.call(who, **params)
        assert response.status_code == 200, response.get_json()
        answer = response.get_json()
        return {name: answer[name] for name in FIGURE_NAMES}

    def client(self, who: str):
        """A test client logged in through the login form as `who`'s user."""
        client = self.app.test_client()
        assert login(client, f"{who}@example.dk").status_code == 302
        return client

    def exit_confirmed(self, ref: str, day: str, reason: str, contract_id: int | None = None):
        """An exit notice sent by the contract's provider and confirmed by procurement, by the API."""
        contract_id = self.contract_id if contract_id is None else contract_id
        who = "other" if contract_id == self.b_contract_id else "provider"
        client = self.app.test_client()
        sent = client.post(
            f"/api/v1/contracts/{contract_id}/notices",
            json={"participant_ref": ref, "kind": "exit", "date": day, "reason": reason},
            headers=self.headers(who),
        )
        assert sent.status_code == 201, sent.get_json()
        confirmed = client.post(
            f"/api/v1/notices/{sent.get_json()['id']}/confirm",
            json={},
            headers=self.headers("procurement"),
        )
        assert confirmed.status_code == 200, confirmed.get_json()

    def enrol(self, ref: str, contract_id: int, start: date, **extra) -> int:
        """A new citizen enrolled in a contract from `start`, as a referral stores it."""
        with self.app.app_context():
            participant = Participant(ref=ref, pseudonym=ref.ljust(64, "0"))
            db.session.add(participant)
            db.session.flush()
            enrolment = Enrolment(
                participant_id=participant.id,
                contract_id=contract_id,
                start_on=start,
                age_at_start=35,
                **extra,
            )
            db.session.add(enrolment)
            db.session.commit()
            return enrolment.id

    def enrolment_of(self, ref: str) -> int:
        with self.app.app_context():
            return db.session.scalar(
                sa.select(Enrolment.id)
                .join(Participant, Participant.id == Enrolment.participant_id)
                .where(Participant.ref == ref, Enrolment.end_on.is_(None))
            )


def figures_of(participants, active, positive=0, benefit_stopped=0, other=0) -> dict:
    """The six figures as the API names them, exits the sum of its three categories."""
    return {
        "participants": participants,
        "active": active,
        "exits": positive + benefit_stopped + other,
        "positive": positive,
        "benefit_stopped": benefit_stopped,
        "other": other,
    }


@pytest.fixture
def world(app) -> FiguresWorld:
    with app.app_context():
        session = db.session
        world = two_providers(session)
        a, b, tokens = world.a, world.b, world.tokens
        session.commit()
        return FiguresWorld(
            app,
            a.contract_id,
            b.contract_id,
            a.provider_id,
            b.provider_id,
            a.programme_id,
            tokens,
        )


__all__ = ["B_REFS", "SAMPLE_REFS", "FiguresWorld", "figures_of"]
