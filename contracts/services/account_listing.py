"""The administrator's lists: users, API tokens and the providers a provider user may belong to.

The administrator sees no contract or participant data; these lists hold none.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import ApiToken, Provider, User


def provider_names(session: Session) -> list[tuple[int, str]]:
    """Every provider's id and name, by name, for choosing a provider user's provider.

    Names only: scope.providers() refuses the admin role, so this is read here directly.
    """
    rows = session.execute(sa.select(Provider.id, Provider.name).order_by(Provider.name))
    return [(provider_id, name) for provider_id, name in rows]


def all_users(session: Session) -> list[User]:
    """Every user by email, with the provider they belong to."""
    return list(
        session.scalars(sa.select(User).options(selectinload(User.provider)).order_by(User.email))
    )


def all_tokens(session: Session) -> list[ApiToken]:
    """Every API token, newest first, with its user."""
    return list(
        session.scalars(
            sa.select(ApiToken)
            .options(selectinload(ApiToken.user))
            .order_by(ApiToken.created_at.desc())
        )
    )
