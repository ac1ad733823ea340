"""Fixtures for the notices: the sample contract of provider A, a second provider B with a
contract and participants of its own, and API tokens and logged-in clients of each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from provider_portal.extensions import db
from tests.conftest import login
from tests.scenarios import B_REFS, SAMPLE_REFS, two_providers


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
        world = two_providers(session)
        a, b = world.a, world.b
        tokens, user_ids = world.tokens, world.user_ids
        session.commit()
        return NoticeWorld(app, a.contract_id, b.contract_id, tokens, user_ids)


__all__ = ["B_REFS", "SAMPLE_REFS", "NoticeWorld"]
