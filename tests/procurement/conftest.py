"""Helpers for the procurement tests: tokens, JSON calls and a clock that can be moved."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from contracts.rules.periods import COPENHAGEN
from tests.api.conftest import bearer, make_token  # noqa: F401  (the fixture is shared)
from tests.procurement.ocds_schema import validator  # noqa: F401  (the fixture is shared)


def set_clock(app, day, at: time = time(9, 0)) -> datetime:
    """Move the portal's today and now to a day at a Copenhagen time of day."""
    moment = datetime.combine(day, at, tzinfo=COPENHAGEN)
    app.config["PORTAL_TODAY"] = day
    app.config["PORTAL_NOW"] = moment
    return moment


class Api:
    """JSON calls with a bearer token; returns (status, body)."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, url: str, token: str, body=None):
        response = self.client.open(url, method=method, headers=bearer(token), json=body)
        return response.status_code, response.get_json()


@pytest.fixture
def api(client) -> Api:
    return Api(client)
