"""Fixtures for the notices: the sample contract of provider A, a second provider B with a
contract and participants of its own, and API tokens and logged-in clients of each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from contracts.services.accounts import create_token, create_user
from provider_portal.extensions import db
from tests.conftest import TEST_ACTOR, TEST_PASSWORD, login
from tests.scenarios import SAMPLE_REFS, sample_scenario

B_REFS = ["DL-B1111", "DL-B2222"]


@dataclass
class NoticeWorld:
    """Provider A's sample contract (seven participants enrolled since 1 October 2018), provider
    B's contract with two participants, and a token of each role."""

    app: Flask
    contract_id: int
    b_contract_id: int
    tokens: dict[str, str]
    user_ids: dict[str, int]

    def headers(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def client(self, who: str):
        """A test client logged in through the login form as `who`'s user."""
        client = self.app.test_client()
        assert login(client, f"{who}@example.dk").status_code == 302
        return client


@pytest.fixture
def world(app) -> NoticeWorld:
    with app.app_context():
        session = db.session
        a = sample_scenario(session)
        b = sample_scenario(
            session,
            provider_name="Anden Leverandør ApS",
            cvr="29403473",
            refs=B_REFS,
            reference="SÆR-B",
        )
        people = {
            "provider": ("provider", a.provider_id),
            "other": ("provider", b.provider_id),
            "procurement": ("procurement", None),
            "finance": ("finance", None),
            "admin": ("admin", None),
        }
        tokens, user_ids = {}, {}
        for who, (role, provider_id) in people.items():
            user = create_user(
                session, TEST_ACTOR, f"{who}@example.dk", role, TEST_PASSWORD, provider_id
            )
            _, tokens[who] = create_token(session, TEST_ACTOR, user, "test")
            user_ids[who] = user.id
        session.commit()
        return NoticeWorld(app, a.contract_id, b.contract_id, tokens, user_ids)


__all__ = ["B_REFS", "SAMPLE_REFS", "NoticeWorld"]
