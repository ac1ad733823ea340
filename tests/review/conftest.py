"""The review tests run on SQLite and PostgreSQL: the preview's prices must match the invoice's
to the øre on both."""

from __future__ import annotations

import pytest


@pytest.fixture
def app(any_app):
    return any_app
