"""API calls on one's own API tokens (DESIGN.md §8, §13): make one with a name and an expiry
(shown once), list them without their secrets, revoke one. Every role manages its own only."""

from __future__ import annotations

import datetime as dt

from flask import Response
from pydantic import BaseModel, Field

from contracts.models import ApiToken
from contracts.services.accounts import create_token, own_tokens_query, revoke_token
from contracts.services.paging import page_of

from .. import clock
from ..extensions import db
from ..security import ALL_ROLES, actor, current
from .declare import operation
from .types import IsoDate, Model


class TokenIn(Model):
    """What the token is for, and the last day it works (90 days from today when left out)."""

    name: str = Field(min_length=1, max_length=100, examples=["OCDS-eksport til opendata.dk"])
    expires_on: IsoDate | None = Field(
        default=None, description="The last day it works: after today, at most a year away"
    )


class TokenOut(BaseModel):
    """A token without its secret: the first characters tell it apart."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_on: dt.date
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @classmethod
    def of(cls, row: ApiToken) -> TokenOut:
        return cls(
            id=row.id,
            name=row.name,
            prefix=row.prefix,
            created_at=row.created_at,
            expires_on=row.expires_on,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


class NewTokenOut(TokenOut):
    token: str = Field(description="The token itself: shown this once, never again")


@operation(
    "POST",
    "/tokens",
    summary="Make an API token for yourself",
    roles=ALL_ROLES,
    tag="tokens",
    body=TokenIn,
    response=NewTokenOut,
    status=201,
    response_description="The token, with its secret shown this once",
)
def create_own_token(body: TokenIn):
    """422 for an expiry that is not after today or more than a year away."""
    row, token = create_token(
        db.session, actor(), current(), body.name, body.expires_on, clock.today()
    )
    return NewTokenOut(**TokenOut.of(row).model_dump(), token=token)


@operation(
    "GET",
    "/tokens",
    summary="List your API tokens",
    roles=ALL_ROLES,
    tag="tokens",
    response=TokenOut,
    paged=True,
    response_description="Your tokens, newest first, revoked and expired ones too",
)
def list_own_tokens(page: int, per_page: int):
    """Never a token's secret: only its first characters."""
    found = page_of(db.session, own_tokens_query(current()), page, per_page)
    return found.mapped(TokenOut.of)


@operation(
    "DELETE",
    "/tokens/<int:token_id>",
    summary="Revoke one of your API tokens",
    roles=ALL_ROLES,
    tag="tokens",
    response=None,
    status=204,
    response_description="Revoked: it stops working at once",
    extra_errors=(404,),
)
def revoke_own_token(token_id: int):
    """Another user's token is not found (404), whether or not it exists."""
    revoke_token(db.session, actor(), token_id, owner=current())
    return Response(status=204)
