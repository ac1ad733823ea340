"""API calls on providers: register one (procurement), list and read them (scoped)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from contracts.models import Provider
from contracts.services import providers as register

from ..extensions import db
from ..security import actor, viewer
from .declare import operation
from .types import Model

READERS = ("procurement", "finance", "provider")


class ProviderIn(Model):
    """A provider to register."""

    name: str = Field(min_length=1, max_length=200, examples=["Exit Aktiv ApS"])
    cvr: str = Field(description="Danish CVR number, 8 digits", examples=["13585628"])
    gln: str | None = Field(
        default=None,
        description="GLN/EAN location number for e-invoices, 13 digits",
        examples=["5798009800275"],
    )

    @field_validator("cvr")
    @classmethod
    def _cvr(cls, value: str) -> str:
        problem = register.cvr_problem(value)
        if problem:
            raise ValueError(problem.message)
        return register.compact_cvr(value)

    @field_validator("gln")
    @classmethod
    def _gln(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        problem = register.gln_problem(value)
        if problem:
            raise ValueError(problem.message)
        return register.compact_gln(value)


class ProviderOut(BaseModel):
    """A provider as the API shows it."""

    id: int
    name: str
    cvr: str
    gln: str | None

    @classmethod
    def of(cls, provider: Provider) -> ProviderOut:
        return cls(id=provider.id, name=provider.name, cvr=provider.cvr, gln=provider.gln)


@operation(
    "POST",
    "/providers",
    summary="Register a provider",
    roles=("procurement",),
    tag="providers",
    body=ProviderIn,
    response=ProviderOut,
    status=201,
    response_description="The registered provider",
    conflicts="A provider with this CVR number is registered already.",
)
def create_provider(body: ProviderIn):
    """CVR and GLN are checked digit by digit; nothing is stored when anything is wrong."""
    provider = register.create_provider(db.session, actor(), body.name, body.cvr, body.gln)
    return ProviderOut.of(provider)


@operation(
    "GET",
    "/providers",
    summary="List providers",
    roles=READERS,
    tag="providers",
    response=ProviderOut,
    paged=True,
    response_description="A page of the providers you may see, by name",
)
def list_providers(page: int, per_page: int):
    """Procurement and finance see every provider; a provider user sees only its own."""
    return register.provider_page(db.session, viewer(), page, per_page).mapped(ProviderOut.of)


@operation(
    "GET",
    "/providers/<int:provider_id>",
    summary="Read a provider",
    roles=READERS,
    tag="providers",
    response=ProviderOut,
    response_description="The provider",
)
def get_provider(provider_id: int):
    """Another provider's record is answered 404, as if it did not exist."""
    return ProviderOut.of(register.get_provider(db.session, viewer(), provider_id))
