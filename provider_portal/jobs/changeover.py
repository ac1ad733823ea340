"""The nightly changeover as a job: participants of contracts that ended yesterday move on."""

from __future__ import annotations

from contracts.services.contract_changes import changeover

from ..clock import today
from ..extensions import db


def daily_changeover() -> int:
    """Move the participants of contracts that ended yesterday to their successors (see schedule.py)."""
    return changeover(db.session, today())
