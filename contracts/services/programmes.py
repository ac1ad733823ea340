"""The programmes: reference data, the same for every viewer."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Programme


def all_programmes(session: Session) -> list[Programme]:
    """Every programme, in the order the pages list them."""
    return list(session.scalars(sa.select(Programme).order_by(Programme.position)))
